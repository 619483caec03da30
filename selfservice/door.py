"""The public door's writes: a resident files a request, or adds their voice to an open one.

Both are called the same way by the page (``selfservice.views.door``) and the API
(``selfservice.views.door_api``), so the same validation, budgets and challenge apply:

1. the input is checked (400 naming the field: ``place``, ``description``, ``phone``, ``name``,
   ``photos``, ``category``, ``candidate``);
2. the budgets (``selfservice.door_budget``): 429 with ``Retry-After``;
3. the proof-of-work challenge when the address has made enough attempts
   (``selfservice.door_challenge``): 400 naming ``altcha``;
4. one transaction: the request through ``requests_app.services.request_collect`` (channel
   ``online``, collected by the county's service account, photos re-encoded, its
   ``RequestEvent``) and its ``DoorReport``; or the ``Voice``.

After commit the resident's mobile gets the tracking code by SMS through the configured backend
(``MINQING_SMS_BACKEND``; the default console backend only logs, with the number masked).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.channels import mask_phone, sms_backend
from casework.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from casework.models import OrgUnit, Role, UnitKind, User
from casework.selectors.scope import scope_for
from casework.services import membership_grant, person_create
from casework.text import clean_text
from requests_app.models import Channel, Request
from requests_app.personal import InvalidPhone, normalise_phone, phone_hash
from requests_app.services import request_collect
from requests_app.services.requests import DESCRIPTION_MAX
from selfservice import door_budget, door_challenge
from selfservice.door_places import candidate_from_ref, place_land, still_open_q
from selfservice.door_suggest import category_choose
from selfservice.models import DoorReport, Voice

log = logging.getLogger("minqing.selfservice")

#: A resident adds at most three photos (a worker at intake may add more).
DOOR_MAX_PHOTOS = 3
NAME_MAX = 64


# --- The county's service account ---------------------------------------------------------------


def _county_of(unit: OrgUnit) -> OrgUnit:
    steplen = OrgUnit.steplen
    prefixes = [unit.path[:n] for n in range(steplen, len(unit.path) + 1, steplen)]
    ancestors = list(OrgUnit.objects.filter(path__in=prefixes).order_by("path"))
    counties = [u for u in ancestors if u.kind == UnitKind.COUNTY]
    return counties[0] if counties else ancestors[0]


def door_account_username(county: OrgUnit) -> str:
    """Named after the county's place in the tree, not its id: the same demo makes the same."""
    return f"door-{hashlib.sha256(county.path.encode()).hexdigest()[:12]}"


def door_account(*, unit: OrgUnit) -> User:
    """The service account that files the door's requests in ``unit``'s county, made on first
    use like an Open311 key's: no usable password, flagged ``is_service_account`` (never rated,
    ranked nor notified), a volunteer's role over the county so the intake service lets it
    collect there. Deactivating it, or taking its role away, closes the door for the county."""
    county = _county_of(unit)
    username = door_account_username(county)
    account = User.objects.filter(username=username).first()
    if account is None:
        try:
            with transaction.atomic():
                account = person_create(
                    username=username,
                    name=_("Online reports: %(county)s") % {"county": county.name},
                )
                account.set_unusable_password()
                account.is_service_account = True
                account.save(update_fields=["password", "is_service_account"])
                membership_grant(user=account, unit=county, role=Role.VOLUNTEER)
        except (IntegrityError, ValidationFailed):
            # Made at the same moment by another submission.
            account = User.objects.get(username=username)
    if not account.is_active or not scope_for(account).has_role(Role.VOLUNTEER, path=unit.path):
        raise NotPermitted(
            _("Reporting online is closed here for now. Please call your community."),
            code="door_closed",
        )
    return account


# --- Input --------------------------------------------------------------------------------------


def _clean_phone(raw: str) -> str:
    if not (raw or "").strip():
        raise ValidationFailed(
            _("Leave a phone number, so that we can tell you what was done."),
            field="phone",
            code="required",
        )
    try:
        return normalise_phone(raw)
    except InvalidPhone:
        raise ValidationFailed(
            _("Enter a mainland mobile number (11 digits) or a landline with its area code."),
            field="phone",
            code="invalid_phone",
        ) from None


def _lock_phone(digest: str) -> None:
    """Serialise one phone's submissions until the transaction ends, so two at once cannot both
    pass the budget. SQLite serialises writers anyway."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(bytes.fromhex(digest[:16]), "big", signed=True) ^ 0x5D00
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


# --- Filing a request ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filed:
    request: Request
    category_source: str


@transaction.atomic
def door_request_submit(
    *,
    place_id,
    description: str,
    phone: str,
    address: str,
    category_id=None,
    name: str = "",
    photos=(),
    challenge: str | None = None,
    track_base: str = "",
) -> Filed:
    """File a resident's request from the public door and return it with its tracking code.

    ``address`` is the client address's hash (``door_budget.address_hash``). ``place_id`` is
    a compound or a community (``door_places.place_land``); the category the resident's, the
    model's suggestion or the default (``door_suggest.category_choose``). Counts an attempt
    whatever the outcome. Side effect after commit: the tracking code by SMS to a mobile, with
    a link to the public tracking page when ``track_base`` (its absolute URL) is given.
    """
    required = door_budget.challenge_required(address)
    door_budget.attempt_count(address)
    landing = place_land(place_id)
    description = clean_text(
        description,
        field="description",
        limit=DESCRIPTION_MAX,
        required=True,
        label=_("The problem"),
    )
    phone = _clean_phone(phone)
    name = clean_text(name, field="name", limit=NAME_MAX, label=_("Your name"))
    photos = [p for p in (photos or []) if p]
    if len(photos) > DOOR_MAX_PHOTOS:
        raise ValidationFailed(
            _("At most %(n)d photos.") % {"n": DOOR_MAX_PHOTOS}, field="photos", code="too_many"
        )
    choice = category_choose(category_id=category_id, description=description, place=landing.unit)
    digest = phone_hash(phone)
    _lock_phone(digest)
    now = timezone.now()
    door_budget.check_phone(digest, now)
    door_budget.check_address(address, now)
    if required:
        door_challenge.challenge_spend(challenge)
    account = door_account(unit=landing.unit)
    request = request_collect(
        actor=account,
        channel=Channel.ONLINE,
        category=choice.category,
        unit=landing.unit,
        description=description,
        resident={"name": name, "phone": phone},
        photos=photos,
    )
    DoorReport.objects.create(
        request=request,
        category_source=choice.source,
        phone_hash=digest,
        address_hash=address,
        created_at=now,
    )
    code = request.tracking_code_display
    url = f"{track_base}?{urlencode({'code': code})}" if track_base else ""
    transaction.on_commit(lambda: tracking_sms_send(phone=phone, code=code, url=url))
    return Filed(request=request, category_source=choice.source)


def tracking_sms_send(*, phone: str, code: str, url: str = "") -> bool:
    """Text the tracking code to a mainland mobile through the configured SMS backend; never
    raises (the request is filed whatever the provider says), logs with the number masked."""
    if not (len(phone) == 11 and phone.startswith("1")):
        return False
    if url:
        text = _(
            "Minqing: we have received your report. Tracking code %(code)s; follow it at %(url)s"
        ) % {"code": code, "url": url}
    else:
        text = _("Minqing: we have received your report. Tracking code %(code)s.") % {"code": code}
    try:
        sms_backend().send(phone=phone, text=text, key=f"door-{code}")
    except Exception as exc:
        log.warning("tracking SMS to %s not sent: %s", mask_phone(phone), type(exc).__name__)
        return False
    return True


# --- Adding a voice -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Voiced:
    request: Request
    #: False when this phone had already raised it (its own request, or a voice before).
    added: bool


@transaction.atomic
def door_voice_add(
    *, candidate: str, phone: str, address: str, challenge: str | None = None
) -> Voiced:
    """Add the resident's voice (附议) to an open request offered as a duplicate.

    ``candidate`` is the signed reference the duplicates list gave (``door_places``). Once per
    phone and request: a second time, or on one's own request, nothing is written and the
    answer says so. The request must still be open (409 otherwise). Budgets and challenge as
    for filing; a voice counts against the address's budget, not the phone's.
    """
    required = door_budget.challenge_required(address)
    door_budget.attempt_count(address)
    request_id = candidate_from_ref(candidate)
    phone = _clean_phone(phone)
    digest = phone_hash(phone)
    _lock_phone(digest)
    request = (
        Request.objects.select_for_update(of=("self",))
        .select_related("resident", "category")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise NotFound(_("No such request."), field="candidate")
    if not Request.objects.filter(still_open_q(), pk=request.pk).exists():
        raise Conflict(
            _(
                "This problem has been dealt with meanwhile. If it is still there, please "
                "report it anew."
            ),
            code="closed",
        )
    door_budget.check_address(address, timezone.now())
    if required:
        door_challenge.challenge_spend(challenge)
    if request.resident is not None and request.resident.phone_hash == digest:
        return Voiced(request=request, added=False)
    try:
        with transaction.atomic():
            Voice.objects.create(request=request, phone_hash=digest, address_hash=address)
    except IntegrityError:
        return Voiced(request=request, added=False)
    return Voiced(request=request, added=True)
