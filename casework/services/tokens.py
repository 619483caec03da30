"""Personal API tokens: made, renamed and revoked by their owner; checked on every API call.

A key is ``PREFIX_LENGTH`` characters to find its row by, then the secret; only the SHA-256 digest
of the whole key is stored, so a copy of the database holds no working key. Each token expires
``MINQING_TOKEN_TTL_HOURS`` after it is made (the expiry is fixed then); a person holds at most
``MINQING_TOKENS_PER_PERSON`` live ones.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from casework.errors import Conflict, NotFound
from casework.models import ApiToken, User
from casework.models.tokens import PREFIX_LENGTH
from casework.text import clean_text

log = logging.getLogger("minqing.tokens")

NAME_LIMIT = 64
#: ``last_used_at`` is written at most this often per token: not one write per request.
LAST_USED_EVERY = timedelta(minutes=1)


def key_digest(key: str) -> str:
    """The stored form of a key: its SHA-256, in hex. Keys are random 256-bit strings, so a
    plain digest is enough (a slow password hash would cost every API call for nothing)."""
    return hashlib.sha256(key.encode()).hexdigest()


def token_ttl() -> timedelta:
    return timedelta(hours=settings.MINQING_TOKEN_TTL_HOURS)


def tokens_per_person() -> int:
    return settings.MINQING_TOKENS_PER_PERSON


def _clean_name(name: str) -> str:
    label = pgettext("token", "Name")
    return clean_text(name, field="name", limit=NAME_LIMIT, required=True, label=label)


def _live_q(now: datetime) -> Q:
    return Q(revoked_at__isnull=True, expires_at__gt=now)


@transaction.atomic
def token_create(*, user: User, name: str, now: datetime | None = None) -> tuple[ApiToken, str]:
    """Make a token for ``user`` named ``name``; return it and its key, which is shown once.

    Refuses (400, ``name``) an empty or over-long name and (409) a person who already holds
    ``MINQING_TOKENS_PER_PERSON`` live tokens. The person's row is locked, so two requests at
    once cannot both take the last place.
    """
    now = now or timezone.now()
    name = _clean_name(name)
    User.objects.select_for_update().filter(pk=user.pk).first()
    limit = tokens_per_person()
    if ApiToken.objects.filter(_live_q(now), user=user).count() >= limit:
        raise Conflict(
            _("You already hold %(n)d tokens: revoke one you no longer use first.") % {"n": limit},
            code="too_many_tokens",
        )
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_hash=key_digest(key),
        created_at=now,
        expires_at=now + token_ttl(),
    )
    log.info("api token %s (%s…) made for user %s", token.pk, token.prefix, user.pk)
    return token, key


def _own_token(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound(_("No such token of yours."), field="token")
    return token


@transaction.atomic
def token_rename(*, actor: User, token_id: int, name: str) -> ApiToken:
    """Rename one of ``actor``'s own tokens (another person's is "not found", 404)."""
    name = _clean_name(name)
    token = _own_token(actor=actor, token_id=token_id)
    token.name = name
    token.save(update_fields=["name"])
    return token


@transaction.atomic
def token_revoke(
    *, actor: User, token_id: int, now: datetime | None = None, any_owner: bool = False
) -> ApiToken:
    """Revoke a token: it stops working at once, and stays listed for the record.

    ``actor`` revokes their own tokens; with ``any_owner`` (the admin site, for staff who may
    change tokens) anyone's. Revoking twice is a 409, and writes nothing.
    """
    now = now or timezone.now()
    if any_owner:
        token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
        if token is None:
            raise NotFound(_("No such token."), field="token")
    else:
        token = _own_token(actor=actor, token_id=token_id)
    if token.revoked_at is not None:
        raise Conflict(_("This token is already revoked."), code="revoked")
    token.revoked_at = now
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    log.info("api token %s (%s…) revoked by user %s", token.pk, token.prefix, actor.pk)
    return token


@dataclass(frozen=True)
class TokenCheck:
    """What a key presented to the API turned out to be: the token, or why it is refused."""

    token: ApiToken | None
    refusal: str = ""  # "", "unknown", "revoked", "expired"


def token_check(*, key: str, now: datetime | None = None) -> TokenCheck:
    """Find the token ``key`` belongs to and say whether it may be used now.

    Rows are found by the clear prefix, then the digest is compared in constant time. A
    token used for the first time in ``LAST_USED_EVERY`` gets ``last_used_at`` (one conditional
    UPDATE, so concurrent requests write it once).
    """
    now = now or timezone.now()
    if len(key) <= PREFIX_LENGTH:
        return TokenCheck(None, "unknown")
    digest = key_digest(key)
    found = None
    for candidate in ApiToken.objects.filter(prefix=key[:PREFIX_LENGTH]).select_related("user"):
        if hmac.compare_digest(candidate.key_hash, digest):
            found = candidate
    if found is None:
        return TokenCheck(None, "unknown")
    if found.revoked_at is not None:
        return TokenCheck(found, "revoked")
    if now >= found.expires_at:
        return TokenCheck(found, "expired")
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_EVERY),
            pk=found.pk,
        ).update(last_used_at=now)
        found.last_used_at = now
    return TokenCheck(found)
