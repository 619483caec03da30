"""Filing a problem at the door, page and API alike: it lands in the grid's queue as channel
online, collected by the county's service account, waiting to be taken up; the resident gets
the tracking code on screen and by SMS."""

import pytest
from django.urls import reverse

from casework.models import Role, User
from requests_app.models import Channel, Request, RequestStatus
from selfservice.door import door_account_username
from selfservice.models import CategorySource, DoorReport
from tests.selfservice_door.conftest import image

pytestmark = pytest.mark.django_db

API = "/api/v1/public/requests/"


def body(tree, **extra):
    fields = {
        "place": tree.compound_a1.pk,
        "description": "3号楼电梯坏了两天，老人下不了楼",
        "phone": "138 1234 5678",
    }
    fields.update(extra)
    return fields


def test_a_resident_files_on_the_page_and_sees_the_tracking_code(anon, tree, kinds):
    response = anon.post("/report/", body(tree, category=kinds.lift.pk, name="王伟"))
    assert response.status_code == 302 and response["Location"] == reverse("selfservice:door-done")
    filed = Request.objects.get()
    assert filed.channel == Channel.ONLINE
    assert filed.status == RequestStatus.COLLECTED
    assert filed.unit == tree.compound_a1 and filed.category == kinds.lift
    assert filed.resident.phone == "13812345678" and filed.resident.name == "王伟"
    assert filed.acknowledged_at is None and filed.acknowledged_by is None
    assert [e.kind for e in filed.events.all()] == ["collected"]
    assert DoorReport.objects.get().category_source == CategorySource.CHOSEN

    done = anon.get(reverse("selfservice:door-done"))
    text = done.content.decode()
    assert filed.tracking_code_display in text
    assert f"/track/?code={filed.tracking_code_display}" in text
    assert "<svg" in text  # the QR of the tracking page
    assert "13812345678" not in text and "138****5678" in text


def test_the_county_service_account_collects_made_once_and_never_a_worker(
    anon, anon_api, tree, kinds
):
    anon.post("/report/", body(tree))
    anon_api.post(API, body(tree, place=tree.compound_b1.pk, phone="13900001111"))
    account = User.objects.get(username=door_account_username(tree.county))
    assert account.is_service_account and not account.has_usable_password()
    assert list(account.memberships.values_list("unit", "role")) == [
        (tree.county.pk, Role.VOLUNTEER)
    ]
    assert set(Request.objects.values_list("collected_by", flat=True)) == {account.pk}


def test_without_a_category_the_suggestion_is_taken(anon_api, tree, kinds):
    response = anon_api.post(API, body(tree, description="电梯故障，电梯停在五楼不动"))
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert answer["category"] == "电梯故障" and answer["category_source"] == "suggested"
    assert Request.objects.get().category == kinds.lift


def test_with_no_suggestion_the_default_category_is_taken(anon_api, tree, kinds):
    # No character in common with any category's name: the keyword ranker has nothing.
    response = anon_api.post(API, body(tree, description="谢谢你们！"))
    assert response.status_code == 201, response.json()
    assert response.json()["category_source"] == "fallback"
    assert Request.objects.get().category == kinds.policy  # consult-policy


def test_a_category_that_needs_an_id_number_cannot_be_picked_nor_suggested(anon_api, tree, kinds):
    refused = anon_api.post(API, body(tree, category=kinds.subsistence.pk))
    assert refused.status_code == 400 and "category" in refused.json()
    group = anon_api.post(API, body(tree, category=kinds.property.pk))
    assert group.status_code == 400 and "category" in group.json()
    filed = anon_api.post(API, body(tree, description="申请低保需要什么材料"))
    assert filed.status_code == 201
    assert Request.objects.get().category != kinds.subsistence


def test_the_answer_carries_the_code_and_no_personal_data(anon_api, tree, kinds):
    answer = anon_api.post(API, body(tree, name="王伟")).json()
    filed = Request.objects.get()
    assert answer["tracking_code"] == filed.tracking_code
    assert answer["tracking_code_display"] == filed.tracking_code_display
    assert answer["track_url"].endswith(f"/track/?code={filed.tracking_code_display}")
    assert answer["place"] == "阳光小区"
    text = str(answer)
    assert "王伟" not in text and "5678" not in text and "3号楼" not in text


def test_the_tracking_code_goes_by_sms_to_a_mobile_and_never_to_a_landline(
    anon_api, tree, kinds, django_capture_on_commit_callbacks
):
    from tests.selfservice_door.conftest import RecordingSMS

    with django_capture_on_commit_callbacks(execute=True):
        anon_api.post(API, body(tree))
    filed = Request.objects.get()
    assert RecordingSMS.sent == [
        {
            "phone": "13812345678",
            "text": RecordingSMS.sent[0]["text"],
            "key": f"door-{filed.tracking_code_display}",
        }
    ]
    assert filed.tracking_code_display in RecordingSMS.sent[0]["text"]
    assert "/track/?code=" in RecordingSMS.sent[0]["text"]
    RecordingSMS.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        anon_api.post(API, body(tree, phone="0775-2345678", description="路灯不亮"))
    assert RecordingSMS.sent == []


def test_a_failing_sms_provider_neither_fails_the_report_nor_logs_the_number(
    anon_api, tree, kinds, settings, caplog, django_capture_on_commit_callbacks
):
    settings.MINQING_SMS_BACKEND = "tests.selfservice_door.test_file.BrokenSMS"
    with django_capture_on_commit_callbacks(execute=True):
        response = anon_api.post(API, body(tree))
    assert response.status_code == 201
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text


class BrokenSMS:
    def send(self, *, phone, text, key):
        raise ConnectionError(f"provider refused {phone}")


def test_the_console_backend_logs_the_number_masked(
    anon_api, tree, kinds, settings, caplog, django_capture_on_commit_callbacks
):
    settings.MINQING_SMS_BACKEND = "casework.channels.ConsoleSMSBackend"
    with caplog.at_level("INFO"), django_capture_on_commit_callbacks(execute=True):
        anon_api.post(API, body(tree))
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text


def test_up_to_three_photos_are_kept_and_a_fourth_is_refused(anon, anon_api, tree, kinds):
    three = anon_api.post(API, {**body(tree), "photos": [image() for _ in range(3)]})
    assert three.status_code == 201, three.json()
    assert Request.objects.get().photos.count() == 3
    four = anon_api.post(
        API, {**body(tree, phone="13900001111"), "photos": [image() for _ in range(4)]}
    )
    assert four.status_code == 400 and "photos" in four.json()
    page = anon.post(
        "/report/",
        {**body(tree, phone="13900002222"), "new_anyway": "1", "photos": [image()] * 4},
    )
    assert page.status_code == 400 and list(page.context["errors"]) == ["photos"]
    assert Request.objects.count() == 1


def test_a_file_that_is_no_image_is_refused_and_nothing_is_kept(anon_api, tree, kinds):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = anon_api.post(API, {**body(tree), "photos": [bad]})
    assert response.status_code == 400 and "photos" in response.json()
    assert Request.objects.count() == 0 and DoorReport.objects.count() == 0


@pytest.mark.parametrize("phone", ["", "12345", "+1 415 555 0100", "110"])
def test_a_bad_phone_is_a_clear_400_naming_it(anon, anon_api, tree, kinds, phone):
    response = anon_api.post(API, body(tree, phone=phone))
    assert response.status_code == 400
    assert "phone" in response.json(), response.json()
    page = anon.post("/report/", body(tree, phone=phone))
    assert page.status_code == 400 and "phone" in page.context["errors"]
    assert Request.objects.count() == 0


def test_missing_or_unknown_place_and_missing_text_are_400s_naming_them(
    anon, anon_api, tree, kinds
):
    for place in (tree.grid_a1.pk, tree.building_a1.pk, tree.company.pk, 999999):
        response = anon_api.post(API, body(tree, place=place))
        assert response.status_code == 400 and "place" in response.json()
    page = anon.post("/report/", body(tree, place=""))
    assert page.status_code == 400 and "place" in page.context["errors"]
    page = anon.post("/report/", body(tree, description="  "))
    assert page.status_code == 400 and "description" in page.context["errors"]
    long = anon_api.post(API, body(tree, description="长" * 2001))
    assert long.status_code == 400 and "description" in long.json()
    assert Request.objects.count() == 0


def test_the_community_alone_lands_on_its_first_grid(anon_api, tree, kinds):
    response = anon_api.post(API, body(tree, place=tree.community_b.pk))
    assert response.status_code == 201
    assert Request.objects.get().unit == tree.grid_b1


def test_a_closed_door_says_so(anon_api, tree, kinds):
    anon_api.post(API, body(tree))
    account = User.objects.get(username=door_account_username(tree.county))
    account.is_active = False
    account.save()
    response = anon_api.post(API, body(tree, phone="13900001111", description="路灯不亮"))
    assert response.status_code == 403 and response.json()["code"] == "door_closed"
    assert Request.objects.count() == 1


def test_the_grid_worker_sees_it_in_the_queue_waiting_to_be_taken_up(
    anon_api, client_as, people, tree, kinds
):
    anon_api.post(API, body(tree))
    filed = Request.objects.get()
    client = client_as(people.grid_a1)
    page = client.get(reverse("requests_app:list"), {"all": "1", "status": "unacknowledged"})
    assert [r.pk for r in page.context["page"]] == [filed.pk]
    assert page.context["page"][0].channel == Channel.ONLINE
    api = client.get("/api/v1/requests/", {"channel": "online", "acknowledged": "false"}).json()
    assert [r["id"] for r in api["results"]] == [filed.pk]
    assert api["results"][0]["acknowledged_at"] is None
    other = client_as(people.grid_b1).get("/api/v1/requests/", {"channel": "online"}).json()
    assert other["count"] == 0


def test_the_page_works_on_get_for_anyone(anon, client_as, people, kinds):
    page = anon.get("/report/")
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex"
    text = page.content.decode()
    assert "data-altcha" not in text  # no check asked yet
    assert 'name="phone"' in text and 'name="photos"' in text
    assert "低保申请" not in text  # needs an ID number: never offered here
    assert client_as(people.grid_a1).get("/report/").status_code == 200


def test_the_done_page_without_a_report_goes_back_to_the_form(anon):
    response = anon.get(reverse("selfservice:door-done"))
    assert response.status_code == 302 and response["Location"] == reverse("selfservice:door")
