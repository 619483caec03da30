"""Showing a phone or an ID number in full is explicit, scoped and recorded."""

import pytest

from casework.errors import NotFound, ValidationFailed
from requests_app.models import PersonalDataAccess
from requests_app.services import request_id_number_reveal, resident_phone_reveal
from tests.requests_app.conftest import valid_id_number


def test_revealing_a_phone_writes_who_what_and_when(collect, people):
    request = collect()
    phone = resident_phone_reveal(actor=people.grid_a1, resident=request.resident, reason="回访")
    assert phone == "13812345678"
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.field, access.resident) == (
        people.grid_a1,
        "phone",
        request.resident,
    )
    assert access.created_at is not None


def test_revealing_an_id_number_decrypts_and_records(collect, people, categories):
    number = valid_id_number()
    request = collect(category=categories.subsistence, id_number=number)
    assert (
        request_id_number_reveal(actor=people.supervisor_a, request=request, reason="核对")
        == number
    )
    access = PersonalDataAccess.objects.get()
    assert (access.field, access.request, access.resident) == (
        "id_number",
        request,
        request.resident,
    )


def test_nothing_is_revealed_out_of_scope_and_nothing_recorded(collect, people, categories):
    request = collect(category=categories.subsistence, id_number=valid_id_number())
    with pytest.raises(NotFound):
        resident_phone_reveal(actor=people.grid_b1, resident=request.resident)
    with pytest.raises(NotFound):
        request_id_number_reveal(actor=people.grid_b1, request=request)
    assert not PersonalDataAccess.objects.exists()


def test_revealing_what_is_not_there_is_an_error(collect, people):
    request = collect(resident={"name": "无电话"})
    with pytest.raises(ValidationFailed):
        resident_phone_reveal(actor=people.grid_a1, resident=request.resident)
    with pytest.raises(ValidationFailed):
        request_id_number_reveal(actor=people.grid_a1, request=request)
    assert not PersonalDataAccess.objects.exists()
