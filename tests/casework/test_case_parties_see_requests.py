"""Every party to a case sees what the case is about: its requests' text, place and photos, on
the case page, in the case's API detail and on the request's own page, the resident masked;
and adds photos of its own, before and after the work (12345 practice), through both doors.

The parties, as ``casework.policies.parties`` names them: the supervisor over the place, the
lead handler (here in the property company, outside the grid the request came from), a
co-handler (the county's department) and the collector (the grid worker). Anyone else out of
scope gets 404, never a 403 that tells the request exists.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework import services
from casework.models import CaseEvent, CasePhoto, EventKind
from casework.services import category_create
from requests_app.services import request_collect, request_merge, request_open_case
from tests.requests_app.conftest import image_bytes, upload

PHONE = "13812345678"
MASKED = "138****5678"
NAME = "王伟"
PLACE = "阳光小区 1栋"  # the building with its compound


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def lift(db):
    parent = category_create(code="property", name="物业管理")
    return category_create(code="property-lift", name="电梯故障", parent=parent)


@pytest.fixture
def collect(tree, people, lift):
    def make(description="1栋电梯停在半层，老人不敢坐", photos=1, **extra):
        return request_collect(
            actor=people.grid_a1,
            channel="onsite",
            category=lift,
            unit=tree.building_a1,
            description=description,
            resident={"name": NAME, "phone": PHONE, "address": "阳光小区1栋301"},
            photos=[upload(image_bytes(color=(10 * i, 90, 40))) for i in range(photos)],
            **extra,
        )

    return make


@pytest.fixture
def case_world(tree, people, collect):
    """A request with a photo, opened as a case by the grid worker, assigned to the property
    company's handler (lead) with the county's department co-handling."""
    first = collect()
    case = request_open_case(request=first, actor=people.grid_a1)
    case = services.case_assign(
        case=case,
        actor=people.supervisor_a,
        unit=tree.company,
        handler=people.handler_company,
        co_handlers=[tree.department],
    )
    return case, first


PARTIES = ["handler_company", "handler_department", "supervisor_a", "grid_a1"]
STRANGERS = ["grid_b1", "supervisor_b", "outsider"]


@pytest.mark.parametrize("who", PARTIES)
def test_every_party_sees_the_requests_text_place_and_photos(
    who, people, client_as, api_as, case_world
):
    case, first = case_world
    user = getattr(people, who)
    photo = first.photos.get()
    photo_url = reverse("requests_app:photo", args=[first.pk, photo.pk])
    detail_url = reverse("requests_app:detail", args=[first.pk])

    client = client_as(user)
    html = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert first.description in html
    assert first.tracking_code_display in html
    assert PLACE in html
    assert photo_url in html and detail_url in html
    assert MASKED in html and PHONE not in html and NAME not in html

    # The thumbnail loads, and the link to the request leads to its page (never a 404).
    image = client.get(photo_url)
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"
    page = client.get(detail_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert first.description in body and photo_url in body
    assert PHONE not in body

    api = api_as(user).get(f"/api/v1/cases/{case.pk}/")
    assert api.status_code == 200
    (linked,) = api.json()["linked_requests"]
    assert linked["description"] == first.description
    assert linked["tracking_code"] == first.tracking_code
    assert linked["category_name"] == "电梯故障"
    assert linked["place_label"] == PLACE
    assert linked["channel"] == "onsite" and linked["collected_at"]
    assert linked["resident"] == {"name": "王*", "phone": MASKED}
    assert [p["url"] for p in linked["photos"]] == [photo_url]
    assert PHONE not in api.content.decode() and NAME not in api.content.decode()
    assert api_as(user).get(photo_url).status_code == 200


@pytest.mark.parametrize("who", ["handler_company", "handler_department"])
def test_a_party_out_of_the_grid_reads_the_request_but_may_do_nothing_to_it(
    who, people, client_as, case_world
):
    case, first = case_world
    client = client_as(getattr(people, who))
    page = client.get(reverse("requests_app:detail", args=[first.pk]))
    html = page.content.decode()
    assert page.context["read_only"] is True and page.context["can_act"] is False
    assert "王*" in html and NAME not in html and "阳光小区1栋301" not in html
    # No reveal, no decision, no link to the resident's or visit's page (they would be 404s).
    assert reverse("requests_app:reveal", args=[first.pk, "phone"]) not in html
    assert reverse("requests_app:resident", args=[first.resident_id]) not in html
    assert reverse("case-detail", args=[case.pk]) in html
    for field in ("phone", "id-number"):
        refused = client.post(
            reverse("requests_app:reveal", args=[first.pk, field]), {"reason": "回访"}
        )
        assert refused.status_code == 404
    decide = client.post(
        reverse("requests_app:decide", args=[first.pk, "reject"]), {"reason": "不是诉求"}
    )
    assert decide.status_code == 404


def test_those_in_scope_still_get_the_full_request_page(people, client_as, case_world):
    _case, first = case_world
    page = client_as(people.supervisor_a).get(reverse("requests_app:detail", args=[first.pk]))
    assert page.context["read_only"] is False
    html = page.content.decode()
    assert NAME in html and reverse("requests_app:reveal", args=[first.pk, "phone"]) in html
    assert PHONE not in html


@pytest.mark.parametrize("who", STRANGERS)
def test_a_non_party_out_of_scope_gets_404_everywhere(who, people, client_as, api_as, case_world):
    case, first = case_world
    photo = first.photos.get()
    client = client_as(getattr(people, who))
    for url in (
        reverse("case-detail", args=[case.pk]),
        reverse("requests_app:detail", args=[first.pk]),
        reverse("requests_app:photo", args=[first.pk, photo.pk]),
    ):
        assert client.get(url).status_code == 404, url
    api = api_as(getattr(people, who))
    assert api.get(f"/api/v1/cases/{case.pk}/").status_code == 404


def test_a_request_of_another_case_stays_hidden_from_this_cases_handler(
    people, client_as, case_world, collect
):
    """Being a party to one case opens that case's requests, not every request of the place."""
    other = collect(description="路灯不亮")
    client = client_as(people.handler_company)
    photo = other.photos.get()
    assert client.get(reverse("requests_app:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("requests_app:photo", args=[other.pk, photo.pk])).status_code == 404


# --- Photos of the work: before / after, through both doors --------------------------------


def _jpeg(name="site.jpg"):
    return upload(image_bytes(), name=name)


def test_the_page_adds_an_after_photo_and_groups_photos_by_stage(people, client_as, case_world):
    case, _first = case_world
    client = client_as(people.handler_company)
    url = reverse("case-detail", args=[case.pk])
    html = client.get(url).content.decode()
    # The form: big radio buttons whose labels wrap their inputs, the camera on the file input.
    assert re.search(
        r'<label class="segment" for="id_photo_stage_\d">\s*<input type="radio" name="stage" '
        r'value="before"',
        html,
    )
    assert re.search(r'<input type="file" name="image"[^>]*accept="image/\*"', html)
    assert 'capture="environment"' in html

    done = client.post(
        reverse("case-act", args=[case.pk, "photo"]),
        {"image": _jpeg(), "stage": "after", "caption": "修好了", "version": case.version},
    )
    assert done.status_code == 302
    photo = CasePhoto.objects.get(case=case)
    assert photo.stage == "after"
    event = CaseEvent.objects.filter(case=case, kind=EventKind.PHOTO).get()
    assert event.data == {"photo": photo.pk, "stage": "after"}

    services.case_photo_add(case=case, actor=people.supervisor_a, upload=_jpeg(), stage="before")
    page = client.get(url)
    groups = [(g["stage"], len(g["photos"])) for g in page.context["photo_groups"]]
    assert groups == [("before", 1), ("after", 1)]
    html = page.content.decode()
    assert html.index('data-stage="before"') < html.index('data-stage="after"')
    assert reverse("case-photo", args=[case.pk, photo.pk]) in html
    # The resident's photos come with the request, marked as the resident's.
    assert 'data-panel="requests"' in html


def test_the_page_refuses_a_bad_stage_on_the_field(people, client_as, case_world):
    case, _first = case_world
    client = client_as(people.handler_company)
    refused = client.post(
        reverse("case-act", args=[case.pk, "photo"]), {"image": _jpeg(), "stage": "later"}
    )
    assert refused.status_code == 400
    form = refused.context["photo_form"]["form"]
    assert "stage" in form.errors
    assert not CasePhoto.objects.filter(case=case).exists()


def test_the_api_adds_a_before_photo_and_refuses_a_bad_stage(people, api_as, case_world):
    case, _first = case_world
    api = api_as(people.handler_department)
    url = f"/api/v1/cases/{case.pk}/photo/"
    done = api.post(url, {"image": _jpeg(), "stage": "before"}, format="multipart")
    assert done.status_code == 200, done.content
    photos = api.get(f"/api/v1/cases/{case.pk}/photos/").json()
    assert [p["stage"] for p in photos] == ["before"]
    event = CaseEvent.objects.filter(case=case, kind=EventKind.PHOTO).get()
    assert event.data["stage"] == "before"

    refused = api.post(url, {"image": _jpeg(), "stage": "later"}, format="multipart")
    assert refused.status_code == 400
    assert "stage" in refused.json()
    # Without a stage, as clients did before: "other".
    assert api.post(url, {"image": _jpeg()}, format="multipart").status_code == 200
    assert sorted(CasePhoto.objects.filter(case=case).values_list("stage", flat=True)) == [
        "before",
        "other",
    ]


def test_the_service_refuses_a_bad_stage_naming_the_field(people, case_world):
    from casework.errors import ValidationFailed

    case, _first = case_world
    with pytest.raises(ValidationFailed) as refused:
        services.case_photo_add(
            case=case, actor=people.handler_company, upload=_jpeg(), stage="later"
        )
    assert refused.value.field == "stage"


# --- Queries: the same with one request or three, each with photos ------------------------


def test_the_case_page_and_api_cost_the_same_with_one_or_three_requests(
    people, client_as, api_as, case_world, collect
):
    case, first = case_world
    page_url = reverse("case-detail", args=[case.pk])
    api_url = f"/api/v1/cases/{case.pk}/"
    counts = []
    for _round in range(2):
        client = client_as(people.handler_company)
        with CaptureQueriesContext(connection) as page_queries:
            page = client.get(page_url)
        assert page.status_code == 200
        api = api_as(people.handler_company)
        with CaptureQueriesContext(connection) as api_queries:
            body = api.get(api_url).json()
        counts.append((len(page_queries), len(api_queries), len(body["linked_requests"])))
        for _more in range(2):
            request_merge(request=collect(photos=2), actor=people.grid_a1, into=first)
    (page_1, api_1, n_1), (page_3, api_3, n_3) = counts
    assert (n_1, n_3) == (1, 3)
    assert page_3 == page_1
    assert api_3 == api_1
