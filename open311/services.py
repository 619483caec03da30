"""Open311 writes: issuing and revoking keys, and filing a request through the intake service."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.auth import demo_login_refused
from casework.errors import NotFound, NotPermitted, ValidationFailed
from casework.models import Category, OrgUnit, Role
from casework.services import membership_grant, person_create
from casework.text import clean_text
from open311.models import Open311Key, Open311Submission
from requests_app.models import Channel
from requests_app.services import request_collect
from requests_app.services._common import REQUEST_PLACE_KINDS
from requests_app.services.requests import DESCRIPTION_MAX

#: Open311 allows 4,000 characters of description; a request holds 2,000 (``DESCRIPTION_MAX``),
#: so a longer one is refused with a 400 naming ``description``, never cut short.
SPEC_DESCRIPTION_MAX = 4000
KEY_BYTES = 32
#: Metres per degree of latitude (and of longitude at the equator).
METRES_PER_DEGREE = 111_320


def key_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    key: Open311Key
    raw: str


def _check_place(place: OrgUnit, unit: OrgUnit, field: str) -> None:
    if place.kind not in REQUEST_PLACE_KINDS or not place.path.startswith(unit.path):
        raise ValidationFailed(
            _("Choose a grid, compound or building inside the key's unit."), field=field
        )


@transaction.atomic
def open311_key_create(
    *, name: str, unit: OrgUnit, fallback_place: OrgUnit | None = None, is_demo: bool = False
) -> IssuedKey:
    """Issue a key for an integration; the raw key is in the answer and nowhere else.

    Creates the key's service account (no password, cannot sign in) and gives it a volunteer's
    role over ``unit``, so the intake service lets it collect there and nowhere else. Without a
    ``fallback_place``, a unit that is itself a grid, compound or building is its own.
    The account is flagged ``is_service_account`` (never rated, ranked nor notified as a
    worker); a demo key's account is a demo account too (``is_demo``), so the key is refused
    whenever demo sign-ins are.
    """
    name = clean_text(name, field="name", limit=64, required=True, label=_("Name"))
    if Open311Key.objects.filter(name=name).exists():
        raise ValidationFailed(_("A key with this name exists."), field="name", code="unique")
    if fallback_place is None and unit.kind in REQUEST_PLACE_KINDS:
        fallback_place = unit
    if fallback_place is not None:
        _check_place(fallback_place, unit, "fallback_place")
    raw = secrets.token_urlsafe(KEY_BYTES)
    # Named after the key (names are unique), so the same demo makes the same users.
    account = person_create(
        username=f"open311-{hashlib.sha256(name.encode()).hexdigest()[:12]}",
        name=_("Open311: %(name)s") % {"name": name},
        is_demo=is_demo,
    )
    account.set_unusable_password()
    account.is_service_account = True
    account.save(update_fields=["password", "is_service_account"])
    membership_grant(user=account, unit=unit, role=Role.VOLUNTEER)
    key = Open311Key.objects.create(
        name=name,
        key_hash=key_digest(raw),
        prefix=raw[:6],
        unit=unit,
        fallback_place=fallback_place,
        account=account,
    )
    return IssuedKey(key=key, raw=raw)


@transaction.atomic
def open311_key_revoke(*, key: Open311Key, at=None) -> Open311Key:
    """Refuse the key from now on; its service account can no longer be used either."""
    key = Open311Key.objects.select_for_update().get(pk=key.pk)
    if not key.is_active:
        return key
    key.is_active = False
    key.revoked_at = at or timezone.now()
    key.save(update_fields=["is_active", "revoked_at"])
    key.account.is_active = False
    key.account.password = make_password(None)
    key.account.save(update_fields=["is_active", "password"])
    return key


def open311_key_check(raw: str | None) -> Open311Key:
    """The active key whose hash matches ``raw``, its use time recorded; else ``NotPermitted``."""
    if not raw:
        raise NotPermitted(_("api_key is required."), field="api_key")
    key = (
        Open311Key.objects.select_related("unit", "fallback_place", "account")
        .filter(key_hash=key_digest(raw), is_active=True)
        .first()
    )
    if key is None or demo_login_refused(key.account):
        raise NotPermitted(_("api_key is not valid."), field="api_key")
    now = timezone.now()
    Open311Key.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now
    return key


# --- Filing a request ---------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """A ``POST requests`` body, as parsed from the form (every value a string)."""

    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    description: str = ""
    media_url: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    attributes: tuple[tuple[str, str], ...] = ()


def _number(value: str, field: str, limit: int) -> Decimal:
    try:
        number = Decimal(value.strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Not a number."), field=field) from None
    if not number.is_finite() or abs(number) > limit:
        raise ValidationFailed(_("Out of range."), field=field)
    return number


def nearest_place(unit: OrgUnit, lat: Decimal, lng: Decimal) -> OrgUnit | None:
    """The grid, compound or building with known coordinates in ``unit`` nearest to the point,
    within ``MINQING_OPEN311_PLACE_RADIUS_M`` metres; ``None`` when there is none.

    Distances are on the equirectangular approximation (exact enough within a county). Ties go
    to the smaller place (a building before its compound before its grid)."""
    candidates = (
        OrgUnit.objects.filter(
            path__startswith=unit.path,
            kind__in=REQUEST_PLACE_KINDS,
            is_active=True,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .only("pk", "path", "name", "kind", "depth", "latitude", "longitude")
        .order_by("pk")
    )
    squeeze = math.cos(math.radians(float(lat)))
    best, best_key = None, None
    for place in candidates.iterator(chunk_size=2000):
        dy = float(place.latitude - lat)
        dx = float(place.longitude - lng) * squeeze
        metres = math.hypot(dx, dy) * METRES_PER_DEGREE
        key = (round(metres, 1), -place.depth)
        if best_key is None or key < best_key:
            best, best_key = place, key
    if best is None or best_key[0] > settings.MINQING_OPEN311_PLACE_RADIUS_M:
        return None
    return best


def _place_for(
    key: Open311Key, data: Submission
) -> tuple[OrgUnit, Decimal | None, Decimal | None]:
    lat_given, long_given = bool(data.lat.strip()), bool(data.long.strip())
    if data.address_id.strip():
        ident = data.address_id.strip()
        place = None
        if ident.isdigit() and len(ident) < 19:
            place = OrgUnit.objects.filter(pk=int(ident), is_active=True).first()
        if place is None or not place.path.startswith(key.unit.path):
            raise ValidationFailed(_("address_id was not found."), field="address_id")
        _check_place(place, key.unit, "address_id")
        return place, None, None
    if lat_given != long_given:
        field = "long" if lat_given else "lat"
        raise ValidationFailed(_("lat and long must be sent together."), field=field)
    if lat_given:
        lat = _number(data.lat, "lat", 90)
        lng = _number(data.long, "long", 180)
        place = nearest_place(key.unit, lat, lng) or key.fallback_place
        if place is None:
            raise ValidationFailed(
                _("No known place is near this point; send address_id."), field="lat"
            )
        return place, lat, lng
    if data.address_string.strip():
        if key.fallback_place is None:
            raise ValidationFailed(
                _("address_string alone cannot be placed; send lat and long or address_id."),
                field="address_string",
            )
        return key.fallback_place, None, None
    raise ValidationFailed(
        _("A location is required: lat and long, address_string or address_id."),
        field="lat",
        code="required",
    )


def _description(data: Submission, address: str, media_url: str) -> str:
    # Cleaned without a cap first, so the refusal below names this server's own limit.
    text = clean_text(
        data.description,
        field="description",
        limit=max(len(data.description or ""), 1),
        required=True,
        label=_("description"),
    )
    lines = [text]
    if address:
        lines.append(_("Address given: %(address)s") % {"address": address})
    if media_url:
        lines.append(_("Media (not fetched): %(url)s") % {"url": media_url})
    full = "\n\n".join(lines)
    if len(full) > DESCRIPTION_MAX:
        room = DESCRIPTION_MAX - (len(full) - len(text))
        raise ValidationFailed(
            _(
                "description: at most %(limit)d characters here (this has %(length)d); "
                "this server keeps %(max)d with the address and media link."
            )
            % {"limit": room, "length": len(text), "max": DESCRIPTION_MAX},
            field="description",
            code="max_length",
        )
    return full


def _media_url(raw: str) -> str:
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    url = clean_text(raw, field="media_url", limit=500, label="media_url")
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationFailed(_("media_url is not an http(s) URL."), field="media_url") from None
    return url


@transaction.atomic
def open311_request_submit(*, key: Open311Key, data: Submission) -> Open311Submission:
    """File a request from an Open311 client through ``request_collect`` (channel ``open311``),
    collected by the key's service account, and record what Open311 brought with it.

    Refusals are ``ValidationFailed`` (400) naming the Open311 field, or ``NotFound`` (404) for
    an unknown ``service_code`` or ``address_id``; nothing is written then.
    """
    code = data.service_code.strip()
    if not code:
        raise ValidationFailed(_("service_code is required."), field="service_code")
    category = (
        Category.objects.select_related("parent")
        .filter(code=code, is_active=True, children__isnull=True)
        .first()
    )
    if category is None:
        raise NotFound(_("service_code was not found."), field="service_code")
    for name, _value in data.attributes:
        # No category defines extra questions (service definitions have no attributes).
        raise ValidationFailed(
            _("This service has no attribute %(code)s.") % {"code": name},
            field=f"attribute[{name}]",
        )
    address = clean_text(data.address_string, field="address_string", limit=200, label="")
    media_url = _media_url(data.media_url)
    place, lat, lng = _place_for(key, data)
    description = _description(data, address, media_url)
    first = clean_text(data.first_name, field="first_name", limit=32, label="first_name")
    last = clean_text(data.last_name, field="last_name", limit=32, label="last_name")
    resident = None
    if first or last or data.phone.strip():
        # A Chinese name is written family name first.
        resident = {"name": f"{last}{first}", "phone": data.phone, "address": ""}
    try:
        request = request_collect(
            actor=key.account,
            channel=Channel.OPEN311,
            category=category,
            unit=place,
            description=description,
            resident=resident,
            latitude=lat,
            longitude=lng,
        )
    except ValidationFailed as exc:
        if exc.field == "resident.phone":
            raise ValidationFailed(exc.message, field="phone", code=exc.code) from None
        raise
    return Open311Submission.objects.create(
        request=request,
        key=key,
        token=secrets.token_hex(16),
        media_url=media_url,
        address_string=address,
    )


def request_id_by_token(token: str) -> int:
    """The id of the request filed with this token; ``NotFound`` when there is none."""
    found = (
        Open311Submission.objects.filter(token=(token or "")[:32])
        .values_list("request_id", flat=True)
        .first()
    )
    if found is None:
        raise NotFound(_("token was not found."), field="token")
    return found
