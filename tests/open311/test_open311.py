"""Open311 GeoReport v2: every method in both formats, the errors, the round trips, and no
resident's personal data in any answer."""

from __future__ import annotations

import json
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone

from casework import services as case_services
from open311.models import Open311Submission
from open311.services import open311_key_revoke
from requests_app.models import Channel, Request, Resident
from requests_app.services import (
    request_answer_on_spot,
    request_collect,
    request_open_case,
    request_reject,
)

from .conftest import PERSONAL, REPORTER, RESIDENT

BASE = "/open311/v2/"


def parse(response):
    """The body as Python: JSON as is; XML as (root tag, the element)."""
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314  (our own answer)


def assert_no_personal_data(response):
    body = response.content.decode()
    for value in PERSONAL:
        assert value not in body, value


def get(client, path, **params):
    response = client.get(BASE + path, params, REMOTE_ADDR="10.0.0.1")
    assert_no_personal_data(response)
    return response


def collect(world, *, unit=None, resident=True, description=None, at=None):
    """A request collected at a grid by its grid worker, with the resident's data."""
    request = request_collect(
        actor=world.people.grid_a1,
        channel=Channel.ONSITE,
        category=world.lift,
        unit=unit or world.tree.compound_a1,
        description=description or f"{RESIDENT.name}说{RESIDENT.words}，电话{RESIDENT.phone}",
        resident={"name": RESIDENT.name, "phone": RESIDENT.phone, "address": RESIDENT.address}
        if resident
        else None,
    )
    if at is not None:
        Request.objects.filter(pk=request.pk).update(collected_at=at)
    return request


# --- Discovery, services, service definitions ------------------------------------------------


def test_discovery_in_both_formats(client, world):
    data = parse(get(client, "discovery.json"))
    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert data["endpoints"][0]["url"] == "http://testserver/open311/v2"
    assert data["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    root = parse(get(client, "discovery.xml"))
    assert root.tag == "discovery"
    formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert formats == ["text/xml", "application/json"]
    assert root.findtext("endpoints/endpoint/type") == "production"


def test_services_are_the_leaf_categories_in_both_formats(client, world):
    # Hand count: 物业管理 (a group) has one leaf, 电梯故障; 消防隐患 is a leaf on its own.
    data = {s["service_code"]: s for s in parse(get(client, "services.json"))}
    # In the project's category order (category_list); compared by code here, since where a
    # top-level leaf sorts (NULL parent) differs between SQLite and PostgreSQL.
    assert sorted(data) == ["property-lift", "safety-fire"]
    lift = data["property-lift"]
    assert lift == {
        "service_code": "property-lift",
        "service_name": "电梯故障",
        "description": lift["description"],
        "metadata": False,
        "type": "realtime",
        "keywords": lift["keywords"],
        "group": "物业管理",
    }
    assert "物业管理" in lift["keywords"] and "7" in lift["description"]
    assert data["safety-fire"]["group"] == ""
    root = parse(get(client, "services.xml"))
    assert root.tag == "services"
    services = {s.findtext("service_code"): s for s in root.findall("service")}
    assert sorted(services) == ["property-lift", "safety-fire"]
    assert services["property-lift"].findtext("metadata") == "false"
    assert services["property-lift"].findtext("type") == "realtime"
    assert services["property-lift"].findtext("group") == "物业管理"
    assert services["safety-fire"].find("group").text is None


def test_service_definition_has_no_attributes_in_both_formats(client, world):
    assert parse(get(client, "services/property-lift.json")) == {
        "service_code": "property-lift",
        "attributes": [],
    }
    root = parse(get(client, "services/property-lift.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "property-lift"
    assert list(root.find("attributes")) == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_definition_is_404(client, world, fmt):
    # The group 物业管理 is not a service: requests are filed under its leaves.
    for code in ("no-such", "property"):
        response = get(client, f"services/{code}.{fmt}")
        assert response.status_code == 404
        body = parse(response)
        if fmt == "json":
            assert body == [{"code": 404, "description": "service_code 不存在。"}]
        else:
            assert body.tag == "errors"
            assert body.findtext("error/code") == "404"
            assert "service_code" in body.findtext("error/description")


@pytest.mark.parametrize("path", ["services.html", "discovery.yaml", "requests.csv"])
def test_an_unknown_format_is_404(client, world, path):
    response = get(client, path)
    assert response.status_code == 404
    assert parse(response).findtext("error/code") == "404"


# --- POST requests ----------------------------------------------------------------------------


def full_post(world, **extra):
    fields = {
        "api_key": world.raw,
        "service_code": "property-lift",
        "lat": "22.27001",
        "long": "109.98001",
        "address_string": "阳光小区北门",
        "description": "电梯困人",
        "first_name": REPORTER.first,
        "last_name": REPORTER.last,
        "phone": REPORTER.phone,
        "email": REPORTER.email,
        "device_id": "dev-1",
        "account_id": "acc-1",
        "media_url": "https://img.example.org/lift.jpg",
    }
    fields.update(extra)
    return fields


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_files_a_request_through_intake_and_get_shows_it(client, world, post311, fmt):
    response = post311(fmt, **full_post(world))
    assert response.status_code == 200, response.content
    assert_no_personal_data(response)
    body = parse(response)
    if fmt == "json":
        (answer,) = body
        assert set(answer) == {"service_request_id", "service_notice", "account_id"}
        assert answer["account_id"] is None
        request_id = answer["service_request_id"]
    else:
        assert body.tag == "service_requests"
        request_id = int(body.findtext("request/service_request_id"))
        assert body.find("request/account_id").text is None
        assert body.find("request/token") is None
    request = Request.objects.select_related("resident", "collected_by").get(pk=request_id)
    # The same intake service: channel open311, collected by the key's service account, the
    # point matched to the nearest place (阳光小区, 1 m away), the reporter as the resident.
    assert request.channel == Channel.OPEN311
    assert request.collected_by == world.key.account
    assert request.unit == world.tree.compound_a1
    assert request.resident.name == REPORTER.last + REPORTER.first
    assert request.resident.phone == REPORTER.phone
    assert request.events.get().kind == "collected"
    assert "阳光小区北门" in request.description
    assert "https://img.example.org/lift.jpg" in request.description
    submission = Open311Submission.objects.get(request=request)
    assert submission.key == world.key and submission.media_url.endswith("lift.jpg")
    world.key.refresh_from_db()
    assert world.key.last_used_at is not None

    row = parse(get(client, f"requests/{request_id}.json"))[0]
    assert row["service_request_id"] == request_id
    assert row["status"] == "open"
    assert row["service_code"] == "property-lift"
    assert row["description"] is None
    assert row["address"] == "阳光小区, 城东社区"
    assert row["media_url"] == "https://img.example.org/lift.jpg"
    assert row["lat"] == 22.27 and row["long"] == 109.98
    assert row["requested_datetime"].endswith("+08:00")
    listed = parse(get(client, "requests.xml"))
    assert [int(r.findtext("service_request_id")) for r in listed.findall("request")] == [
        request_id
    ]


def test_a_point_far_from_every_place_goes_to_the_keys_fallback(client, world, post311):
    response = post311(**full_post(world, lat="23.5", long="111.0"))
    assert response.status_code == 200
    request = Request.objects.get(pk=parse(response)[0]["service_request_id"])
    assert request.unit == world.tree.grid_a1


def test_address_id_and_address_string_place_the_request(client, world, post311):
    by_id = post311(**full_post(world, lat="", long="", address_id=str(world.tree.building_a1.pk)))
    assert by_id.status_code == 200, by_id.content
    assert Request.objects.get(pk=parse(by_id)[0]["service_request_id"]).unit == (
        world.tree.building_a1
    )
    by_text = post311(**full_post(world, lat="", long=""))
    assert by_text.status_code == 200
    assert Request.objects.get(pk=parse(by_text)[0]["service_request_id"]).unit == (
        world.tree.grid_a1
    )


def test_a_long_description_within_the_project_limit_is_kept_whole(world, post311):
    text = "漏" * 1900
    response = post311(**full_post(world, description=text, address_string="", media_url=""))
    assert response.status_code == 200
    assert Request.objects.get().description == text


ERRORS = [
    # (fields changed, status, field named)
    ({"api_key": None}, 403, "api_key"),
    ({"api_key": "not-a-key"}, 403, "api_key"),
    ({"service_code": None}, 400, "service_code"),
    ({"service_code": "no-such"}, 404, "service_code"),
    ({"service_code": "property"}, 404, "service_code"),
    ({"lat": None, "long": None, "address_string": None}, 400, "lat"),
    ({"long": None, "address_string": None}, 400, "long"),
    ({"lat": "abc"}, 400, "lat"),
    ({"lat": "91"}, 400, "lat"),
    ({"lat": None, "long": None, "address_id": "999999"}, 400, "address_id"),
    ({"description": None}, 400, "description"),
    # Open311 allows 4,000 characters; this server keeps 2,000: refused, never cut.
    ({"description": "漏" * 3000}, 400, "description"),
    ({"description": "漏" * 4001}, 400, "description"),
    ({"phone": "12345"}, 400, "phone"),
    ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
    ({"attribute[WHISPAWN]": "1"}, 400, "attribute[WHISPAWN]"),
]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(("change", "status", "field"), ERRORS)
def test_refused_posts_write_nothing(world, post311, fmt, change, status, field):
    fields = full_post(world)
    for name, value in change.items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    residents = Resident.objects.count()
    response = post311(fmt, **fields)
    assert response.status_code == status, response.content
    assert_no_personal_data(response)
    body = parse(response)
    if fmt == "json":
        (error,) = body
        assert error["code"] == status and field in error["description"]
    else:
        assert body.tag == "errors"
        assert body.findtext("error/code") == str(status)
        assert field in body.findtext("error/description")
    assert Request.objects.count() == 0
    assert Open311Submission.objects.count() == 0
    assert Resident.objects.count() == residents


def test_address_id_outside_the_keys_unit_is_refused(world, post311):
    outside = str(world.tree.compound_b1.pk)
    response = post311(**full_post(world, lat="", long="", address_id=outside))
    assert response.status_code == 400
    assert "address_id" in parse(response)[0]["description"]
    assert Request.objects.count() == 0


def test_a_revoked_key_is_refused(world, post311):
    open311_key_revoke(key=world.key)
    response = post311(**full_post(world))
    assert response.status_code == 403
    assert Request.objects.count() == 0


def test_without_a_fallback_an_unplaceable_request_is_refused(world, post311, tree):
    from open311.services import open311_key_create

    issued = open311_key_create(name="无兜底", unit=tree.community_a)
    assert issued.key.fallback_place is None
    for extra, field in (
        ({"lat": "23.5", "long": "111.0"}, "lat"),
        ({"lat": "", "long": ""}, "address_string"),
    ):
        response = post311(**full_post(world, api_key=issued.raw, **extra))
        assert response.status_code == 400
        assert field in parse(response)[0]["description"]
    assert Request.objects.count() == 0


def test_reads_need_no_key_but_other_methods_are_refused(client, world):
    response = client.put(BASE + "requests.json")
    assert response.status_code == 405
    assert parse(response)[0]["code"] == 405


# --- GET requests ------------------------------------------------------------------------------


def test_status_follows_the_request_and_its_case(client, world, drive):
    """Hand-built: collected → open; answered on the spot, rejected → closed; a case open →
    open; the case closed or cancelled → closed."""
    people = world.people
    collected = collect(world)
    answered = collect(world)
    request_answer_on_spot(request=answered, actor=people.grid_a1, answer="已答复")
    rejected = collect(world)
    request_reject(request=rejected, actor=people.grid_a1, reason="重复")
    with_case = collect(world)
    case = request_open_case(request=with_case, actor=people.grid_a1)
    cancelled = collect(world)
    cancelled_case = request_open_case(request=cancelled, actor=people.grid_a1)
    drive(cancelled_case, "cancelled")

    def statuses():
        rows = parse(get(client, "requests.json"))
        return {row["service_request_id"]: row["status"] for row in rows}

    assert statuses() == {
        collected.pk: "open",
        answered.pk: "closed",
        rejected.pk: "closed",
        with_case.pk: "open",
        cancelled.pk: "closed",
    }
    assert parse(get(client, "requests.json", status="open")) and {
        r["service_request_id"] for r in parse(get(client, "requests.json", status="open"))
    } == {collected.pk, with_case.pk}
    assert {
        r["service_request_id"] for r in parse(get(client, "requests.json", status="closed"))
    } == {answered.pk, rejected.pk, cancelled.pk}
    assert len(parse(get(client, "requests.json", status="open,closed"))) == 5

    # The round trip: the case assigned, resolved and closed through casework's services.
    case = drive(case, "assigned")
    row = parse(get(client, f"requests/{with_case.pk}.json"))[0]
    assert row["status"] == "open"
    assert row["agency_responsible"] == "城东物业"
    assert row["expected_datetime"] == timezone.localtime(case.due_at).isoformat(
        timespec="seconds"
    )
    assert row["expected_datetime"].endswith("+08:00")
    case_services.case_accept(case=case, actor=people.handler_company)
    case = case_services.case_resolve(case=case, actor=people.handler_company, result="修好了")
    case = case_services.feedback_record(
        case=case, actor=people.grid_a1, solved=True, satisfaction="satisfied"
    )
    assert case.state == "closed"
    closed = parse(get(client, f"requests/{with_case.pk}.xml")).find("request")
    assert closed.findtext("status") == "closed"
    assert closed.findtext("updated_datetime") == timezone.localtime(case.closed_at).isoformat(
        timespec="seconds"
    )
    assert closed.findtext("status_notes")
    assert closed.find("description").text is None


def test_filters_dates_ids_codes_and_pages(client, world):
    now = timezone.now()
    old = collect(world, at=now - timedelta(days=100))
    recent = [collect(world, at=now - timedelta(days=d)) for d in (1, 2, 3)]
    fire = request_collect(
        actor=world.people.grid_a1,
        channel=Channel.HOTLINE,
        category=world.fire,
        unit=world.tree.grid_a1,
        description="楼道堆物",
    )
    ids = lambda r: [row["service_request_id"] for row in parse(r)]  # noqa: E731
    # Default: the last 90 days, newest first; the 100-day-old one is left out.
    assert ids(get(client, "requests.json")) == [fire.pk] + [r.pk for r in recent]
    assert ids(get(client, "requests.json", service_code="safety-fire")) == [fire.pk]
    assert ids(get(client, "requests.json", service_code="safety-fire,property-lift")) == [
        fire.pk
    ] + [r.pk for r in recent]
    # service_request_id overrides everything else, old ones included.
    assert ids(
        get(
            client,
            "requests.json",
            service_request_id=f"{old.pk},{fire.pk}",
            status="open",
            service_code="nothing",
        )
    ) == [fire.pk, old.pk]
    start = (now - timedelta(days=110)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now - timedelta(days=50)).isoformat()
    assert ids(get(client, "requests.json", start_date=start, end_date=end)) == [old.pk]
    assert ids(get(client, "requests.json", page_size="2")) == [fire.pk, recent[0].pk]
    assert ids(get(client, "requests.json", page_size="2", page="2")) == [
        recent[1].pk,
        recent[2].pk,
    ]
    assert ids(get(client, "requests.json", page_size="2", page="3")) == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-45T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "start_date"),
        ({"start_date": "2025-01-01T00:00:00Z", "end_date": "2025-06-01T00:00:00Z"}, "end_date"),
        ({"status": "pending"}, "status"),
        ({"service_request_id": "12,abc"}, "service_request_id"),
        ({"page_size": "1001"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"start_date": "2026-01-01\x00"}, "start_date"),
    ],
)
def test_bad_query_parameters_are_400(client, world, fmt, params, field):
    response = get(client, f"requests.{fmt}", **params)
    assert response.status_code == 400
    body = parse(response)
    description = body[0]["description"] if fmt == "json" else body.findtext("error/description")
    assert field in description


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("path", ["requests/999999", "requests/abc", "tokens/nothing"])
def test_unknown_request_or_token_is_404(client, world, fmt, path):
    response = get(client, f"{path}.{fmt}")
    assert response.status_code == 404
    body = parse(response)
    code = body[0]["code"] if fmt == "json" else int(body.findtext("error/code"))
    assert code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_token_gives_the_request_id(client, world, post311, fmt):
    response = post311(**full_post(world))
    request_id = parse(response)[0]["service_request_id"]
    token = Open311Submission.objects.get(request_id=request_id).token
    body = parse(get(client, f"tokens/{token}.{fmt}"))
    if fmt == "json":
        assert body == [{"service_request_id": request_id, "token": token}]
    else:
        assert body.findtext("request/service_request_id") == str(request_id)
        assert body.findtext("request/token") == token


def test_no_resident_data_in_any_answer(client, world, post311, drive):
    """Requests with a resident's name, phone and address, and one filed with a reporter, read
    through every method in both formats: none of it appears (``get`` scans every answer)."""
    first = collect(world)
    case = request_open_case(request=first, actor=world.people.grid_a1)
    drive(case, "resolved")
    collect(world, unit=world.tree.building_a1)
    posted = post311(**full_post(world, description=f"{RESIDENT.words}{RESIDENT.phone}"))
    assert posted.status_code == 200
    assert_no_personal_data(posted)
    token = Open311Submission.objects.get().token
    for fmt in ("json", "xml"):
        for path in (
            "discovery",
            "services",
            "services/property-lift",
            "requests",
            f"requests/{first.pk}",
            f"tokens/{token}",
        ):
            assert get(client, f"{path}.{fmt}").status_code == 200
    # The building's request is shown at its compound, never the building or the flat.
    rows = parse(get(client, "requests.json"))
    assert {row["address"] for row in rows} == {"阳光小区, 城东社区"}


def test_reads_are_throttled_per_client_address(client, world, settings):
    settings.MINQING_OPEN311_READ_LIMIT = 3
    for _ in range(3):
        assert client.get(BASE + "services.json", REMOTE_ADDR="10.1.1.1").status_code == 200
    refused = client.get(BASE + "services.json", REMOTE_ADDR="10.1.1.1")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    assert parse(refused)[0]["code"] == 429
    assert client.get(BASE + "services.json", REMOTE_ADDR="10.1.1.2").status_code == 200


@pytest.mark.parametrize("rows", [1, 6])
def test_the_request_list_takes_two_queries_however_many_rows(
    client, world, django_assert_num_queries, rows
):
    for i in range(rows):
        request = collect(world, unit=world.tree.building_a1 if i % 2 else None)
        if i % 3 == 0:
            request_open_case(request=request, actor=world.people.grid_a1)
    with django_assert_num_queries(2):
        response = client.get(BASE + "requests.json", REMOTE_ADDR="10.0.0.2")
    assert len(parse(response)) == rows
    with django_assert_num_queries(2):
        response = client.get(BASE + "requests.xml", REMOTE_ADDR="10.0.0.2")
    assert len(parse(response).findall("request")) == rows
