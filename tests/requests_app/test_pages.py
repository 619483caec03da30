"""The intake pages: the form (with and without JavaScript), lists, detail, visits, residents,
and the public tracking page."""

import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from casework.models import Role
from casework.services import membership_grant, person_create
from requests_app.models import PersonalDataAccess, Request
from requests_app.services import request_answer_on_spot, request_open_case
from tests.requests_app.conftest import image_bytes, upload, valid_id_number


def _form(tree, categories, **extra):
    data = {
        "channel": "onsite",
        "category": categories.elevator.pk,
        "unit": tree.building_a1.pk,
        "urgency": "normal",
        "description": "1栋电梯停在半层",
        "resident_phone": "13812345678",
        "resident_name": "王伟",
        "resident_address": "1栋301",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def test_the_intake_page_offers_the_one_handed_form(client_as, people, categories):
    page = client_as(people.grid_a1).get(reverse("requests_app:intake"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'capture="environment"' in html and 'accept="image/*"' in html
    assert 'value="answer_on_spot"' in html and 'value="open_case"' in html
    assert "requests_app/intake.js" in html
    # Categories carry their pinyin so "wy" finds 物业 offline, in the browser.
    assert 'data-search="电梯故障 dtgz diantiguzhang' in html
    assert "wygl wuyeguanli" in html
    assert 'data-needs-id="1"' in html
    assert "zh-hans" in html


def test_someone_who_does_not_collect_gets_403(client_as, people):
    assert client_as(people.handler_company).get(reverse("requests_app:intake")).status_code == 403


def test_the_form_posts_without_javascript_and_a_resend_does_not_double(
    client_as, people, tree, categories
):
    client = client_as(people.grid_a1)
    data = _form(tree, categories, outcome="answer_on_spot", answer="已联系维保")
    data["photos"] = [upload(image_bytes("JPEG"))]
    response = client.post(reverse("requests_app:intake"), data)
    assert response.status_code == 302
    request = Request.objects.get()
    assert response.url == reverse("requests_app:detail", args=[request.pk])
    assert request.status == "answered_on_spot" and request.photos.count() == 1
    data["photos"] = [upload(image_bytes("JPEG"))]
    again = client.post(reverse("requests_app:intake"), data)
    assert again.status_code == 302 and again.url == response.url
    assert Request.objects.count() == 1


def test_the_form_opens_a_case_or_merges(client_as, people, tree, categories):
    client = client_as(people.grid_a1)
    client.post(reverse("requests_app:intake"), _form(tree, categories, outcome="open_case"))
    first = Request.objects.get()
    assert first.status == "case_opened"
    client.post(reverse("requests_app:intake"), _form(tree, categories, merge_into=first.pk))
    second = Request.objects.exclude(pk=first.pk).get()
    assert second.status == "merged" and second.case_id == first.case_id


def test_form_errors_come_back_on_their_fields(client_as, people, tree, categories):
    client = client_as(people.grid_a1)
    page = client.post(
        reverse("requests_app:intake"), _form(tree, categories, resident_phone="12345")
    )
    assert page.status_code == 200
    assert page.context["form"].errors["resident_phone"]
    page = client.post(
        reverse("requests_app:intake"),
        _form(tree, categories, category=categories.subsistence.pk),
    )
    assert page.context["form"].errors["id_number"]
    page = client.post(
        reverse("requests_app:intake"), _form(tree, categories, unit=tree.compound_b1.pk)
    )
    assert page.context["form"].errors["unit"]
    assert not Request.objects.exists()


def test_my_list_masks_phones_and_escapes_html(client_as, people, collect):
    collect(description="<script>alert('x')</script>")
    html = client_as(people.grid_a1).get(reverse("requests_app:list")).content.decode()
    assert "138****5678" in html and "13812345678" not in html
    request = Request.objects.get()
    detail = client_as(people.grid_a1).get(reverse("requests_app:detail", args=[request.pk]))
    text = detail.content.decode()
    assert "<script>alert" not in text and "&lt;script&gt;alert" in text
    assert "138****5678" in text and "13812345678" not in text


def test_the_detail_page_reveals_on_request_and_records_it(client_as, people, collect, categories):
    number = valid_id_number()
    request = collect(category=categories.subsistence, id_number=number)
    client = client_as(people.grid_a1)
    page = client.get(reverse("requests_app:detail", args=[request.pk])).content.decode()
    assert number not in page and request.id_number_masked in page
    why = {"reason": "回访"}
    shown = client.post(reverse("requests_app:reveal", args=[request.pk, "id-number"]), why)
    assert number in shown.content.decode()
    phone = client.post(reverse("requests_app:reveal", args=[request.pk, "phone"]), why)
    assert "13812345678" in phone.content.decode()
    assert PersonalDataAccess.objects.count() == 2
    other = client_as(people.grid_b1)
    assert other.get(reverse("requests_app:detail", args=[request.pk])).status_code == 404
    assert (
        other.post(reverse("requests_app:reveal", args=[request.pk, "phone"]), why).status_code
        == 404
    )
    assert PersonalDataAccess.objects.count() == 2


def test_the_detail_page_decides(client_as, people, collect):
    client = client_as(people.grid_a1)
    first, second, third = collect(), collect(), collect()
    url = lambda r, a: reverse("requests_app:decide", args=[r.pk, a])  # noqa: E731
    client.post(url(first, "open-case"))
    client.post(url(second, "merge"), {"into": first.pk})
    client.post(url(third, "answer"), {"answer": "已答复"})
    statuses = dict(Request.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "case_opened", second.pk: "merged", third.pk: "answered_on_spot"}
    response = client.post(url(third, "reject"), {"reason": "x"}, follow=True)
    assert Request.objects.get(pk=third.pk).status == "answered_on_spot"
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_the_detail_page_offers_duplicates(client_as, people, collect):
    first = collect()
    request_open_case(request=first, actor=people.grid_a1)
    second = collect(description="1栋电梯又停在半层了")
    page = client_as(people.grid_a1).get(reverse("requests_app:detail", args=[second.pk]))
    assert [c.request.pk for c in page.context["candidates"]] == [first.pk]


def test_the_duplicates_and_resident_partials(client_as, people, collect, tree, categories):
    first = collect()
    request_open_case(request=first, actor=people.grid_a1)
    client = client_as(people.grid_a1)
    html = client.post(
        reverse("requests_app:duplicates"),
        {
            "category": categories.elevator.pk,
            "unit": tree.compound_a1.pk,
            "description": "1栋电梯停在半层了",
        },
    ).content.decode()
    assert first.tracking_code_display in html and f'value="{first.pk}"' in html
    hint = client.post(
        reverse("requests_app:resident-lookup"), {"resident_phone": "138 1234 5678"}
    )
    assert 'data-name="王伟"' in hint.content.decode() and "138****5678" in hint.content.decode()
    nobody = client_as(people.grid_b1).post(
        reverse("requests_app:resident-lookup"), {"resident_phone": "13812345678"}
    )
    assert "王伟" not in nobody.content.decode()


def test_a_visit_page_shows_the_articles_counts(client_as, people, tree, collect):
    secretary = person_create(username="secretary", name="民情书记")
    membership_grant(user=secretary, unit=tree.community_a, role=Role.MINQING_SECRETARY)
    client = client_as(secretary)
    response = client.post(
        reverse("requests_app:visit-new"),
        {
            "unit": tree.compound_a1.pk,
            "kind": "feedback_day",
            # A week ago: a visit is recorded within a year of it.
            "visited_at": (timezone.localtime() - timedelta(days=7)).strftime("%Y-%m-%dT09:30"),
        },
    )
    assert response.status_code == 302
    visit = secretary.visits.get()
    for i in range(3):
        request = collect(actor=secretary, visit=visit)
        if i < 2:
            request_answer_on_spot(request=request, actor=secretary, answer="好")
        else:
            request_open_case(request=request, actor=secretary)
    page = client.get(reverse("requests_app:visit", args=[visit.pk]))
    assert page.context["counts"]["collected"] == 3
    html = page.content.decode()
    assert 'data-count="answered_on_spot">2<' in html and 'data-count="case_opened">1<' in html
    intake = client.get(reverse("requests_app:intake"), {"visit": visit.pk})
    assert f'value="{visit.pk}"' in intake.content.decode()


def test_the_resident_page_shows_their_history(client_as, people, collect):
    first = collect()
    collect(resident={"phone": "13812345678"}, description="又坏了")
    page = client_as(people.grid_a1).get(
        reverse("requests_app:resident", args=[first.resident_id])
    )
    assert len(page.context["page"]) == 2
    assert "13812345678" not in page.content.decode()


# --- Public tracking ----------------------------------------------------------------------------


@pytest.fixture(autouse=False)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_tracking_shows_the_status_and_no_personal_data(client, collect, people, fresh_cache):
    request = collect(description="1栋电梯停在半层，王伟家门口")
    request_open_case(request=request, actor=people.grid_a1)
    response = client.get(reverse("requests_app:track"), {"code": request.tracking_code.lower()})
    assert response.status_code == 200
    html = response.content.decode()
    assert request.tracking_code_display in html
    assert "电梯故障" in html
    for private in ("王伟", "138****", "13812345678", "1栋电梯停在半层", "阳光小区", "grid-a1"):
        assert private not in html
    assert response.context["found"]["case_opened"] is True
    dashed = client.get(reverse("requests_app:track"), {"code": request.tracking_code_display})
    assert dashed.context["found"]["code"] == request.tracking_code_display


def test_tracking_an_unknown_code_says_so(client, db, fresh_cache):
    response = client.get(reverse("requests_app:track"), {"code": "ABCDE-FGHJK"})
    assert response.status_code == 200
    assert response.context["searched"] and "found" not in response.context


def test_tracking_is_throttled_per_address(client, db, fresh_cache):
    url = reverse("requests_app:track")
    for _ in range(30):
        assert client.get(url, {"code": "ABCDEFGHJK"}).status_code == 200
    assert client.get(url, {"code": "ABCDEFGHJK"}).status_code == 429


def test_the_service_worker_is_served_for_the_requests_scope(client, db):
    """The intake-only worker is retired (it unregisters itself); the site's one worker at the
    root keeps the intake page and its files (tests/requests_app/test_webapp.py)."""
    response = client.get(reverse("requests_app:service-worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "unregister()" in response.content.decode()
    body = client.get(reverse("service-worker")).content.decode()
    assert reverse("requests_app:intake") in body and "requests_app/intake.js" in body
