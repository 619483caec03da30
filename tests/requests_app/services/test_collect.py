"""request_collect: what a request holds, who may collect where, and every bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.errors import NotPermitted, ValidationFailed
from casework.models import Role
from casework.services import membership_grant, unit_create
from requests_app.models import PersonalDataAccess, Request, RequestEvent, Resident
from requests_app.personal import decrypt
from requests_app.services import request_collect
from requests_app.services.requests import TRACKING_ALPHABET
from tests.requests_app.conftest import image_bytes, media_files, upload, valid_id_number


def test_a_collected_request_holds_what_was_asked_and_who_collected_it(collect, people, tree):
    request = collect(urgency="urgent", latitude="22.6012346", longitude=110.15)
    request.refresh_from_db()
    assert request.status == "collected"
    assert request.collected_by == people.grid_a1
    assert request.unit == tree.building_a1
    assert request.urgency == "urgent"
    assert str(request.latitude) == "22.601235" and str(request.longitude) == "110.150000"
    assert request.resident.name == "王伟"
    assert request.resident.phone == "13812345678"
    assert request.resident.unit == tree.building_a1
    assert request.case is None
    events = list(RequestEvent.objects.filter(request=request).values_list("kind", flat=True))
    assert events == ["collected"]


def test_tracking_codes_are_ten_unambiguous_characters_and_differ(collect):
    codes = {collect().tracking_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 10
        assert set(code) <= set(TRACKING_ALPHABET)
        assert not set(code) & set("01OIL")


def test_a_repeat_caller_is_recognised_by_phone_in_any_format(collect):
    first = collect(resident={"name": "王伟", "phone": "138 1234 5678"})
    second = collect(resident={"name": "", "phone": "１３８１２３４５６７８", "address": "1栋"})
    assert first.resident_id == second.resident_id
    resident = Resident.objects.get()
    # Blank fields are filled in; a recorded name is not overwritten.
    assert resident.address == "1栋"
    third = collect(resident={"name": "别的名字", "phone": "13812345678"})
    assert third.resident_id == first.resident_id
    assert Resident.objects.get().name == "王伟"


def test_an_anonymous_request_has_no_resident(collect):
    request = collect(channel="mailbox", resident=None)
    assert request.resident is None
    request = collect(channel="mailbox", resident={"name": " ", "phone": "", "address": ""})
    assert request.resident is None


@pytest.mark.parametrize("who", ["grid_a1", "volunteer_a1", "supervisor_a", "admin"])
def test_collectors_supervisors_and_admins_may_collect_in_their_scope(collect, people, who):
    assert collect(actor=getattr(people, who)).collected_by == getattr(people, who)


def test_a_minqing_secretary_collects_across_the_community(collect, tree):
    from casework.services import person_create

    secretary = person_create(username="sec", name="民情书记")
    membership_grant(user=secretary, unit=tree.community_a, role=Role.MINQING_SECRETARY)
    assert collect(actor=secretary, unit=tree.grid_a2).unit == tree.grid_a2


def test_a_place_outside_the_scope_is_unknown(collect, people, tree):
    with pytest.raises(ValidationFailed) as caught:
        collect(actor=people.grid_a1, unit=tree.compound_b1)
    assert caught.value.field == "unit"
    assert caught.value.code == "does_not_exist"
    assert not Request.objects.exists()


def test_a_handler_may_not_collect_even_in_scope(collect, people, tree):
    # A handler of the property company, given a handler membership over the grid too.
    membership_grant(user=people.handler_company, unit=tree.grid_a1, role=Role.HANDLER)
    with pytest.raises(NotPermitted):
        collect(actor=people.handler_company, unit=tree.compound_a1)
    assert not Request.objects.exists()


@pytest.mark.parametrize("kind", ["community_a", "town", "company"])
def test_a_request_is_about_a_grid_compound_or_building(collect, people, tree, kind):
    with pytest.raises(ValidationFailed) as caught:
        collect(actor=people.admin, unit=getattr(tree, kind))
    assert caught.value.field == "unit"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"urgency": "whenever"}, "urgency"),
        ({"description": "   "}, "description"),
        ({"description": "长" * 2001}, "description"),
        ({"resident": {"name": "王" * 65, "phone": "13812345678"}}, "resident.name"),
        ({"resident": {"name": "王伟", "phone": "12345"}}, "resident.phone"),
        ({"resident": {"name": "王伟", "address": "址" * 201}}, "resident.address"),
        ({"resident": {"name": "王伟", "email": "a@b.c"}}, "resident.email"),
        ({"latitude": 22.6}, "longitude"),
        ({"latitude": 91, "longitude": 110}, "latitude"),
        ({"latitude": 22, "longitude": "east"}, "longitude"),
        ({"latitude": 22, "longitude": "NaN"}, "longitude"),
        ({"collected_at": timezone.now() + timedelta(hours=1)}, "collected_at"),
        ({"collected_at": timezone.now() - timedelta(days=31)}, "collected_at"),
        ({"id_number": valid_id_number()}, "id_number"),  # not needed for lifts
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(collect, overrides, field):
    with pytest.raises(ValidationFailed) as caught:
        collect(**overrides)
    assert caught.value.field == field
    assert not Request.objects.exists()
    assert not Resident.objects.exists()


def test_an_inactive_category_is_refused(collect, categories):
    categories.elevator.is_active = False
    categories.elevator.save()
    with pytest.raises(ValidationFailed) as caught:
        collect()
    assert caught.value.field == "category"


def test_an_id_number_is_required_checked_and_stored_encrypted(collect, categories):
    with pytest.raises(ValidationFailed) as caught:
        collect(category=categories.subsistence)
    assert (caught.value.field, caught.value.code) == ("id_number", "required")
    bad = valid_id_number()[:17] + ("1" if valid_id_number()[17] != "1" else "2")
    with pytest.raises(ValidationFailed) as caught:
        collect(category=categories.subsistence, id_number=bad)
    assert caught.value.code == "invalid_id_number"
    number = valid_id_number()
    request = collect(category=categories.subsistence, id_number=number.lower())
    request.refresh_from_db()
    assert request.id_number_masked == number[:4] + "*" * 10 + number[-4:]
    assert number not in request.id_number_encrypted
    assert decrypt(request.id_number_encrypted) == number
    # Reading it encrypted is not a showing: no access record.
    assert not PersonalDataAccess.objects.exists()


def test_an_explicit_collection_time_is_kept(collect):
    at = timezone.now() - timedelta(days=29)
    request = collect(collected_at=at)
    assert request.collected_at == at
    assert request.events.get().created_at == at


def test_photos_are_stored_re_encoded(collect, _media):
    request = collect(photos=[upload(image_bytes("PNG")), upload(image_bytes("JPEG"))])
    photos = list(request.photos.all())
    assert len(photos) == 2
    assert all(p.image.name.endswith(".jpg") for p in photos)
    assert len(media_files(_media)) == 2
    assert request.events.filter(kind="photo_added").count() == 2


def test_a_bad_photo_among_good_ones_stores_nothing(collect, _media):
    with pytest.raises(ValidationFailed) as caught:
        collect(photos=[upload(image_bytes("JPEG")), upload(b"<svg/>", name="x.svg")])
    assert caught.value.field == "photos"
    assert not Request.objects.exists()
    assert media_files(_media) == []


def test_more_than_six_photos_are_refused(collect):
    with pytest.raises(ValidationFailed) as caught:
        collect(photos=[upload(image_bytes("JPEG")) for _ in range(7)])
    assert caught.value.field == "photos"


def test_a_new_compound_without_buildings_is_a_place_too(tree, people, categories):
    compound = unit_create(name="新小区", kind="compound", parent=tree.grid_a1)
    request = request_collect(
        actor=people.grid_a1,
        channel="hotline",
        category=categories.facility,
        unit=compound,
        description="路灯坏了",
    )
    assert request.unit == compound


def test_old_idempotency_keys_are_pruned(people):
    import uuid

    from requests_app.models import IdempotencyKey
    from requests_app.tasks import prune_idempotency_keys

    old = IdempotencyKey.objects.create(
        user=people.grid_a1, key=uuid.uuid4(), endpoint="e", fingerprint="f", status_code=201
    )
    IdempotencyKey.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    IdempotencyKey.objects.create(
        user=people.grid_a1, key=uuid.uuid4(), endpoint="e", fingerprint="f", status_code=201
    )
    assert prune_idempotency_keys() == 1
    assert IdempotencyKey.objects.count() == 1
