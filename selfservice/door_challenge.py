"""The door's self-hosted proof-of-work challenge (ALTCHA, PoW v2), no third-party service.

The server makes a signed challenge (``challenge_new``); the resident's browser finds the
counter whose PBKDF2 key starts with the signed prefix (the vendored widget,
``static/vendor/altcha/``, a second or so on a phone) and sends the payload with the form;
``challenge_spend`` checks the signature, the expiry and the solution (one key derivation) and
records the challenge's nonce, so one solved challenge is good for one submission only.

The signing key is derived from ``SECRET_KEY``: nothing to configure, and rotating the secret
voids every challenge in flight. Settings (read when called): ``MINQING_DOOR_CHALLENGE_COST``
(PBKDF2 iterations per try, default 10,000; about 256 tries are needed on average) and
``MINQING_DOOR_CHALLENGE_MINUTES`` (how long a challenge may be solved and used, default 30).
"""

from __future__ import annotations

import datetime

import altcha
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from casework.errors import ValidationFailed
from selfservice.models import SpentChallenge

ALGORITHM = "PBKDF2/SHA-256"
#: One byte of the derived key must be zero: 1 in 256 tries succeeds.
KEY_PREFIX = "00"
#: A payload longer than this is not one of ours (ours are about 600 characters).
MAX_PAYLOAD = 4000
#: The form field (and API body field) that carries the solved challenge, as the widget names it.
FIELD = "altcha"


def _secret() -> str:
    return salted_hmac("minqing.selfservice.altcha", "challenge").hexdigest()


def _cost() -> int:
    return int(getattr(settings, "MINQING_DOOR_CHALLENGE_COST", 10_000))


def _lifetime() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "MINQING_DOOR_CHALLENGE_MINUTES", 30)))


def challenge_new() -> dict:
    """A fresh signed challenge, as the widget fetches it (``{parameters, signature}``)."""
    expires = timezone.now() + _lifetime()
    challenge = altcha.create_challenge(
        algorithm=ALGORITHM,
        cost=_cost(),
        key_prefix=KEY_PREFIX,
        expires_at=expires,
        hmac_secret=_secret(),
    )
    return challenge.to_dict()


def _refused(message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, field=FIELD, code=code)


@transaction.atomic
def challenge_spend(payload: str | None) -> None:
    """Accept a solved challenge once, or raise ``ValidationFailed`` naming ``altcha``.

    Refused: no payload (``challenge_required``), one that is not ours, altered, unsolved or
    expired (``challenge_invalid``), and one already used (``challenge_used``).
    """
    payload = (payload or "").strip()
    if not payload:
        raise _refused(
            _("Please complete the check that you are not a robot."), "challenge_required"
        )
    invalid = _refused(_("The check failed or expired. Please do it again."), "challenge_invalid")
    if len(payload) > MAX_PAYLOAD:
        raise invalid
    try:
        result = altcha.verify_solution(payload, _secret())
        parsed = altcha.Payload.from_base64(payload) if result.verified else None
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise invalid from None
    if parsed is None:
        raise invalid
    parameters = parsed.challenge.parameters
    if parameters.algorithm != ALGORITHM or not isinstance(parameters.expires_at, int):
        raise invalid
    now = timezone.now()
    SpentChallenge.objects.filter(expires_at__lt=now).delete()
    expires_at = datetime.datetime.fromtimestamp(parameters.expires_at, tz=datetime.UTC)
    try:
        with transaction.atomic():
            SpentChallenge.objects.create(nonce=str(parameters.nonce)[:64], expires_at=expires_at)
    except IntegrityError:
        raise _refused(
            _("This check was already used. Please do it again."), "challenge_used"
        ) from None
