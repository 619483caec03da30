"""Rotating the key of ID numbers at rest: a new key first, every value encrypted again, the old
key dropped, nothing lost."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from requests_app.models import Request
from requests_app.services import request_id_number_reveal
from tests.requests_app.conftest import valid_id_number


def test_rotating_the_field_key_keeps_every_id_number_readable_without_the_old_key(
    collect, people, categories, settings
):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MINQING_FIELD_KEY = [old_key]
    numbers = [valid_id_number(f"4509231990010112{i}") for i in range(3)]
    requests = [collect(category=categories.subsistence, id_number=n) for n in numbers]
    before = list(Request.objects.order_by("pk").values_list("id_number_encrypted", flat=True))

    settings.MINQING_FIELD_KEY = [new_key, old_key]
    call_command("rotate_field_key", stdout=io.StringIO())
    after = list(Request.objects.order_by("pk").values_list("id_number_encrypted", flat=True))
    assert all(a and a != b for a, b in zip(after, before, strict=True))

    settings.MINQING_FIELD_KEY = [new_key]  # the old key is gone
    for request, number in zip(requests, numbers, strict=True):
        request.refresh_from_db()
        assert (
            request_id_number_reveal(actor=people.supervisor_a, request=request, reason="核对")
            == number
        )


def test_rotation_refuses_a_value_no_configured_key_can_read_and_writes_nothing(
    collect, categories, settings
):
    settings.MINQING_FIELD_KEY = [Fernet.generate_key().decode()]
    collect(category=categories.subsistence, id_number=valid_id_number())
    before = list(Request.objects.values_list("id_number_encrypted", flat=True))
    settings.MINQING_FIELD_KEY = [Fernet.generate_key().decode()]
    with pytest.raises(ValueError):
        call_command("rotate_field_key", stdout=io.StringIO())
    assert list(Request.objects.values_list("id_number_encrypted", flat=True)) == before
