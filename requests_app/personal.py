"""Residents' personal data: phone numbers and ID numbers, validated, masked, encrypted.

Pure functions, no ORM. Settings are read when called, never at import.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import unicodedata
from datetime import date

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from requests_app.models.residents import mask_phone

__all__ = [
    "InvalidIdNumber",
    "InvalidPhone",
    "decrypt",
    "encrypt",
    "mask_id_number",
    "mask_phone",
    "normalise_id_number",
    "normalise_phone",
    "phone_hash",
]

_PHONE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


class InvalidPhone(ValueError):
    pass


class InvalidIdNumber(ValueError):
    pass


def _ascii(text: str) -> str:
    """Full-width digits and letters become ASCII (NFKC), spaces go."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def normalise_phone(raw: str) -> str:
    """Return a mainland mobile as 11 digits, a landline as its area code and number.

    ``１３８ １２３４ ５６７８`` → ``13812345678``; ``(0775)2345678`` → ``07752345678``.
    Raise ``InvalidPhone`` for anything else (short numbers, service numbers, other regions).
    """
    text = _ascii(raw)
    if not text:
        raise InvalidPhone("empty")
    if len(text) > 32:
        raise InvalidPhone("too long")
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise InvalidPhone("unparseable") from None
    if (
        phonenumbers.region_code_for_number(number) != "CN"
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _PHONE_TYPES
    ):
        raise InvalidPhone("not a mainland mobile or landline")
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(ch for ch in national if ch.isdigit())


def _hash_key() -> bytes:
    """The HMAC key for phone look-ups: ``MINQING_HASH_KEY``, else one derived from
    ``SECRET_KEY`` with HKDF-SHA256 (a different derivation from the encryption key's)."""
    configured = getattr(settings, "MINQING_HASH_KEY", "")
    if configured:
        return configured.encode() if isinstance(configured, str) else configured
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"minqing.requests_app",
        info=b"phone-lookup-hash",
    ).derive(settings.SECRET_KEY.encode())


def phone_hash(phone: str) -> str:
    """The keyed hash (HMAC-SHA256, hex) of a normalised phone, ``""`` for no phone.

    Residents are looked up by this, never by the number itself, so a look-up can travel and be
    indexed without the number. Changing the key means hashing every stored phone again.
    """
    if not phone:
        return ""
    return hmac.new(_hash_key(), phone.encode(), hashlib.sha256).hexdigest()


# --- ID numbers (居民身份证号码, GB 11643) ------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def normalise_id_number(raw: str, *, today: date | None = None) -> str:
    """Return an 18-character ID number with an upper-case ``X``, or raise ``InvalidIdNumber``.

    Checks the shape, the birth date (a real day, not in the future, not before 1900) and the
    check character.
    """
    text = _ascii(raw).upper()
    if len(text) != 18 or not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise InvalidIdNumber("shape")
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise InvalidIdNumber("birth date") from None
    if born.year < 1900 or born > (today or date.today()):
        raise InvalidIdNumber("birth date")
    if id_check_digit(text[:17]) != text[17]:
        raise InvalidIdNumber("check digit")
    return text


def mask_id_number(id_number: str) -> str:
    """``450923199001011234`` → ``4509**********1234``: the birth date is hidden."""
    if not id_number:
        return ""
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


# --- Encryption at rest ------------------------------------------------------------------------


def _keys() -> list[bytes]:
    """Fernet keys, newest first: ``MINQING_FIELD_KEY`` (one key or a list, for rotation),
    else one derived from ``SECRET_KEY`` with HKDF-SHA256."""
    configured = getattr(settings, "MINQING_FIELD_KEY", None)
    if configured:
        keys = [configured] if isinstance(configured, str | bytes) else list(configured)
        return [k.encode() if isinstance(k, str) else k for k in keys]
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"minqing.requests_app",
        info=b"field-encryption",
    ).derive(settings.SECRET_KEY.encode())
    return [base64.urlsafe_b64encode(derived)]


@functools.lru_cache(maxsize=4)
def _fernet_for(keys: tuple[bytes, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def _fernet() -> MultiFernet:
    return _fernet_for(tuple(_keys()))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def reencrypt(token: str) -> str:
    """``token`` encrypted again with the newest key (``MultiFernet.rotate``); ``ValueError``
    when no configured key can read it."""
    if not token:
        return ""
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise ValueError("cannot decrypt with the configured keys") from None


def decrypt(token: str) -> str:
    """The clear value; ``ValueError`` when the key that encrypted it is gone."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("cannot decrypt with the configured keys") from None
