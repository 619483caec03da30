"""Phones and ID numbers: validation, normalisation, masking and encryption (plain functions)."""

from datetime import date

import pytest
from cryptography.fernet import Fernet

from requests_app import personal
from requests_app.personal import (
    InvalidIdNumber,
    InvalidPhone,
    decrypt,
    encrypt,
    mask_id_number,
    mask_phone,
    normalise_id_number,
    normalise_phone,
)
from tests.requests_app.conftest import valid_id_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("0775-2345678", "07752345678"),  # Yulin landline
        ("（0775）2345678", "07752345678"),  # full-width brackets
        ("010-12345678", "01012345678"),
    ],
)
def test_mainland_mobiles_and_landlines_are_normalised(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "12345", "95588", "400-123-4567", "+852 9123 4567", "1381234567", "abc", "1" * 40],
)
def test_anything_else_is_not_a_phone(raw):
    with pytest.raises(InvalidPhone):
        normalise_phone(raw)


def test_phones_are_masked_to_the_first_three_and_last_four_digits():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("07752345678") == "077****5678"
    assert mask_phone("") == ""


def test_a_valid_id_number_passes_with_its_check_character():
    number = valid_id_number()
    assert normalise_id_number(number) == number
    # Full-width input and a lower-case x are accepted and normalised.
    x_number = "11010519491231002X"
    assert normalise_id_number("１１０１０５１９４９１２３１００２x") == x_number


@pytest.mark.parametrize(
    "raw",
    [
        "45092319900101123",  # 17 characters
        "4509231990010112345",  # 19
        "45092319900101123A",  # not a digit or X
        "450923199002301230",  # 30 February
        "450923189001011230",  # born before 1900
    ],
)
def test_malformed_id_numbers_are_refused(raw):
    with pytest.raises(InvalidIdNumber):
        normalise_id_number(raw)


def test_an_id_number_with_a_wrong_check_character_is_refused():
    number = valid_id_number()
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(InvalidIdNumber):
        normalise_id_number(wrong)


def test_an_id_number_born_in_the_future_is_refused():
    number = valid_id_number("45092320300101123")
    with pytest.raises(InvalidIdNumber):
        normalise_id_number(number, today=date(2026, 1, 1))


def test_id_numbers_are_masked_with_the_birth_date_hidden():
    assert mask_id_number("450923199001011234") == "4509**********1234"


def test_encryption_round_trips_and_hides_the_value(settings):
    token = encrypt("450923199001011234")
    assert "450923199001011234" not in token
    assert decrypt(token) == "450923199001011234"
    assert encrypt("") == "" and decrypt("") == ""


def test_the_field_key_setting_takes_over_and_old_keys_still_decrypt(settings):
    derived = personal._keys()[0].decode()  # no MINQING_FIELD_KEY: derived from SECRET_KEY
    old = encrypt("secret")
    new_key = Fernet.generate_key().decode()
    settings.MINQING_FIELD_KEY = [new_key, derived]  # rotation: the newest key first
    token = encrypt("secret")
    assert Fernet(new_key.encode()).decrypt(token.encode()) == b"secret"
    assert decrypt(old) == "secret"
    settings.MINQING_FIELD_KEY = new_key
    with pytest.raises(ValueError):
        decrypt(old)
