"""Collecting a request and deciding what becomes of it.

``request_collect`` records what a resident asked for; then exactly one of
``request_answer_on_spot`` (现场解答), ``request_open_case`` (协助办理), ``request_merge`` or
``request_reject`` moves it out of ``collected``. Each locks the row, checks role, scope and
state, saves with ``update_fields`` and appends a ``RequestEvent`` in the same transaction.

受理: a request a worker collects is taken up as it is collected; one that came in by itself
(collected by a service account: the public door, Open311) waits for a worker's
``request_acknowledge``, and a decision on it acknowledges it in the same transaction.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from casework.models import Case, Category, OrgUnit, Urgency
from casework.selectors.scope import scope_for
from casework.services import case_open, case_request_merged
from casework.text import clean_text
from casework.workflow import SUPERVISORS
from requests_app import events
from requests_app.models import Channel, Request, RequestStatus, Resident, Visit
from requests_app.personal import (
    InvalidIdNumber,
    InvalidPhone,
    encrypt,
    mask_id_number,
    normalise_id_number,
    normalise_phone,
    phone_hash,
)
from requests_app.selectors.residents import resident_visible
from requests_app.services._common import (
    MAX_BACKDATE,
    REQUEST_PLACE_KINDS,
    check_collected,
    check_may_act_on,
    check_may_collect_at,
    clean_past_time,
    lock_request,
)
from requests_app.services.photos import MAX_PHOTOS, forget_files, store_photo

#: No 0/O, 1/I/L: a code read out on the phone is not misheard. 31**10 ≈ 8·10**14 codes.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
TRACKING_LENGTH = 10
DESCRIPTION_MAX = 2000


class Outcome:
    """What the collector decided at intake, if anything."""

    ANSWER_ON_SPOT = "answer_on_spot"
    OPEN_CASE = "open_case"
    MERGE = "merge"
    CHOICES = (ANSWER_ON_SPOT, OPEN_CASE, MERGE)


@dataclass(frozen=True)
class ResidentInput:
    name: str = ""
    phone: str = ""
    address: str = ""


def tracking_code_new() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def tracking_code_normalise(raw: str) -> str:
    """Upper-case, without spaces or dashes; the look-alikes 0 and 1 read as O and I are gone."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:32]


def _clean_point(latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    if latitude in (None, "") or longitude in (None, ""):
        field = "latitude" if latitude in (None, "") else "longitude"
        raise ValidationFailed(_("Give both latitude and longitude."), field=field)
    point = []
    for name, value, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        try:
            number = Decimal(str(value)).quantize(Decimal("0.000001"))
        except (InvalidOperation, ValueError):
            raise ValidationFailed(_("Not a number."), field=name) from None
        if not number.is_finite() or abs(number) > limit:
            raise ValidationFailed(_("Out of range."), field=name)
        point.append(number)
    return point[0], point[1]


def _clean_resident(data: ResidentInput | dict | None) -> ResidentInput | None:
    if data is None:
        return None
    if isinstance(data, dict):
        unknown = set(data) - {"name", "phone", "address"}
        if unknown:
            field = f"resident.{sorted(unknown)[0]}"
            raise ValidationFailed(_("Unknown field."), field=field)
        data = ResidentInput(**{k: str(v or "") for k, v in data.items()})
    name = clean_text(data.name, field="resident.name", limit=64, label=_("Resident's name"))
    address = clean_text(data.address, field="resident.address", limit=200, label=_("Address"))
    phone = ""
    if (data.phone or "").strip():
        try:
            phone = normalise_phone(data.phone)
        except InvalidPhone:
            raise ValidationFailed(
                _("Enter a mainland mobile or landline number."),
                field="resident.phone",
                code="invalid_phone",
            ) from None
    if not (name or phone or address):
        return None
    return ResidentInput(name=name, phone=phone, address=address)


def _resident_for(actor, data: ResidentInput, unit: OrgUnit) -> Resident:
    """The resident with this phone among those the actor may see, or a new one.

    The phone is matched by its keyed hash, and only within the actor's scope: a number known
    elsewhere in the city makes a record of its own here, so typing a phone never discloses
    (nor links to) a resident the collector may not see. Blank fields of a known one are filled
    in; what is already recorded is not overwritten by a collector who may have misheard.
    """
    lives_in = unit if unit.kind != "grid" else None
    if not data.phone:
        return Resident.objects.create(
            name=data.name, address=data.address, unit=lives_in, created_by=actor
        )
    digest = phone_hash(data.phone)
    _lock_phone(digest)
    found = (
        resident_visible(viewer=actor)
        .filter(phone_hash=digest)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        return Resident.objects.create(
            name=data.name,
            phone=data.phone,
            phone_hash=digest,
            address=data.address,
            unit=lives_in,
            created_by=actor,
        )
    resident = Resident.objects.select_for_update().get(pk=found)
    changed = []
    for name, value in (("name", data.name), ("address", data.address), ("unit", lives_in)):
        if value and not getattr(resident, name):
            setattr(resident, name, value)
            changed.append(name)
    if changed:
        resident.save(update_fields=changed)
    return resident


def _lock_phone(digest: str) -> None:
    """Serialise intakes of one phone until the transaction ends, so two tablets recording
    the same new caller at once make one record, not two. SQLite serialises writers anyway."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(bytes.fromhex(digest[:16]), "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _save_with_tracking_code(request: Request) -> None:
    for attempt in range(5):
        request.tracking_code = tracking_code_new()
        try:
            with transaction.atomic():
                request.save(force_insert=True)
            return
        except IntegrityError:
            taken = Request.objects.filter(tracking_code=request.tracking_code).exists()
            if attempt == 4 or not taken:
                raise


@transaction.atomic
def request_collect(
    *,
    actor,
    channel: str,
    category: Category,
    unit: OrgUnit,
    description: str,
    urgency: str = Urgency.NORMAL,
    resident: ResidentInput | dict | None = None,
    id_number: str = "",
    visit: Visit | None = None,
    latitude=None,
    longitude=None,
    collected_at: datetime | None = None,
    photos=(),
) -> Request:
    """Record what a resident asked for (state ``collected``) and return it.

    The actor must hold a collecting, supervising or admin role over ``unit`` (a grid, compound
    or building). A known phone joins the resident's existing record. The ID number is taken
    only where the category needs it, and stored encrypted. Photos are decoded and re-encoded;
    if anything fails, the files already written are removed and nothing is stored.
    """
    if channel not in Channel.values:
        raise ValidationFailed(_("Unknown channel."), field="channel", code="invalid_choice")
    if unit.kind not in REQUEST_PLACE_KINDS:
        raise ValidationFailed(_("A request is about a grid, compound or building."), field="unit")
    check_may_collect_at(actor, unit)
    if not category.is_active:
        raise ValidationFailed(_("This category is no longer in use."), field="category")
    if urgency not in Urgency.values:
        raise ValidationFailed(_("Unknown urgency."), field="urgency", code="invalid_choice")
    description = clean_text(
        description,
        field="description",
        limit=DESCRIPTION_MAX,
        required=True,
        label=_("What the resident asks for"),
    )
    resident_data = _clean_resident(resident)
    id_clear = ""
    if category.requires_id_number:
        if not (id_number or "").strip():
            raise ValidationFailed(
                _("This category needs the resident's ID number."),
                field="id_number",
                code="required",
            )
        try:
            id_clear = normalise_id_number(id_number)
        except InvalidIdNumber:
            raise ValidationFailed(
                _("This is not a valid ID number."), field="id_number", code="invalid_id_number"
            ) from None
    elif (id_number or "").strip():
        # Collect the minimum: an ID number is refused where the category does not need one.
        raise ValidationFailed(
            _("This category does not need an ID number; do not collect one."),
            field="id_number",
            code="not_needed",
        )
    if visit is not None:
        _check_visit(actor, visit, unit, channel)
    latitude, longitude = _clean_point(latitude, longitude)
    collected_at = clean_past_time(collected_at, field="collected_at", oldest=MAX_BACKDATE)
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(
            _("At most %(n)d photos.") % {"n": MAX_PHOTOS}, field="photos", code="too_many"
        )

    stored: list[str] = []
    created_at = timezone.now()
    # A worker collecting a request takes it up (受理); a service account's waits for one.
    taken_up = not getattr(actor, "is_service_account", False)
    try:
        request = Request(
            channel=channel,
            category=category,
            unit=unit,
            urgency=urgency,
            description=description,
            latitude=latitude,
            longitude=longitude,
            resident=_resident_for(actor, resident_data, unit) if resident_data else None,
            id_number_encrypted=encrypt(id_clear),
            id_number_masked=mask_id_number(id_clear),
            visit=visit,
            collected_by=actor,
            collected_at=collected_at,
            created_at=created_at,
            acknowledged_at=created_at if taken_up else None,
            acknowledged_by=actor if taken_up else None,
        )
        _save_with_tracking_code(request)
        events.request_collected(request, actor=actor, at=collected_at)
        for upload in photos:
            store_photo(request, actor, upload, stored)
    except BaseException:
        forget_files(stored)
        raise
    return request


def _check_visit(actor, visit: Visit, unit: OrgUnit, channel: str) -> None:
    scope = scope_for(actor)
    if not scope.covers_path(visit.unit.path):
        raise ValidationFailed(_("No such visit."), field="visit", code="does_not_exist")
    if channel != Channel.ONSITE:
        raise ValidationFailed(
            _("Requests collected on a visit come through the on-site channel."), field="visit"
        )
    if not unit.path.startswith(visit.unit.path):
        raise ValidationFailed(_("This place is not where the visit went."), field="visit")
    if visit.visitor_id != actor.pk and not scope.has_role(*SUPERVISORS, path=unit.path):
        raise ValidationFailed(
            _("Only the visitor or a supervisor adds requests to a visit."), field="visit"
        )


@transaction.atomic
def request_acknowledge(*, request: Request, actor, at=None) -> Request:
    """Take up a request that came in by itself (受理): the grid's worker has seen it and will
    answer it or open a case.

    The actor needs a collecting, supervising or admin role over the request's place (out of
    scope a 404, in scope without one a 403; a service account never acknowledges). Refused
    with a 409 when it is already acknowledged (``already_acknowledged``) or already decided.
    """
    request = lock_request(request)
    check_may_act_on(actor, request)
    if getattr(actor, "is_service_account", False):
        raise NotPermitted(_("You may not act on this request."))
    if request.acknowledged_at is not None:
        raise Conflict(
            _("This request has already been acknowledged."), code="already_acknowledged"
        )
    check_collected(request)
    request.save(update_fields=_take_up(request, actor, at or timezone.now()))
    return request


def _take_up(request: Request, actor, at) -> list[str]:
    """Acknowledge the request if nobody has yet, writing its event: a decision on a request
    takes it up too. Returns the fields to save (none when it was already taken up)."""
    if request.acknowledged_at is not None:
        return []
    request.acknowledged_at = at
    request.acknowledged_by = actor
    events.request_acknowledged(request, actor=actor, at=at)
    return ["acknowledged_at", "acknowledged_by"]


@transaction.atomic
def request_answer_on_spot(*, request: Request, actor, answer: str, at=None) -> Request:
    """Close the request at intake with the answer given (现场解答); no case is opened."""
    request = lock_request(request)
    check_may_act_on(actor, request)
    return _answer_on_spot(request, actor, answer, at)


def _answer_on_spot(request: Request, actor, answer: str, at) -> Request:
    check_collected(request)
    answer = _clean_answer(answer)
    request.status = RequestStatus.ANSWERED_ON_SPOT
    request.answer = answer
    request.decided_at = at or timezone.now()
    taken = _take_up(request, actor, request.decided_at)
    request.save(update_fields=["status", "answer", "decided_at", *taken])
    events.request_answered_on_spot(request, actor=actor, at=request.decided_at)
    return request


def _clean_answer(answer: str) -> str:
    return clean_text(answer, field="answer", limit=2000, required=True, label=_("Answer given"))


def _case_title(request: Request) -> str:
    first_line = request.description.strip().splitlines()[0] if request.description else ""
    return (first_line or request.category.name)[:60]


@transaction.atomic
def request_open_case(*, request: Request, actor, title: str = "", at=None) -> Case:
    """Open a case for the request (协助办理) through casework's ``case_open``, in the same
    transaction, and point the request at it."""
    request = lock_request(request)
    check_may_act_on(actor, request)
    return _open_case(request, actor, title, at)


def _open_case(request: Request, actor, title: str, at) -> Case:
    check_collected(request)
    title = clean_text(title, field="title", limit=120, label=_("Title"))
    case = case_open(
        actor=actor,
        category=request.category,
        unit=request.unit,
        title=title or _case_title(request),
        description=request.description,
        urgency=request.urgency,
        request_id=request.pk,
        channel=request.channel,
    )
    request.status = RequestStatus.CASE_OPENED
    request.case = case
    request.decided_at = at or timezone.now()
    taken = _take_up(request, actor, request.decided_at)
    request.save(update_fields=["status", "case", "decided_at", *taken])
    events.request_case_opened(request, actor=actor, at=request.decided_at)
    return case


@transaction.atomic
def request_merge(*, request: Request, actor, into: Request, at=None) -> Request:
    """Join the request, a duplicate, to the case of the earlier request ``into``.

    ``into`` must be visible to the actor and have a case still open (or resolved and waiting
    for feedback); casework records the join on the case.
    """
    if into.pk == request.pk:
        raise ValidationFailed(_("A request cannot be merged into itself."), field="into")
    # Lock both rows in id order, so two merges crossing each other cannot deadlock.
    locked = {
        r.pk: r
        for r in Request.objects.select_for_update()
        .select_related("unit", "category")
        .filter(pk__in=[request.pk, into.pk])
        .order_by("pk")
    }
    if request.pk not in locked:
        raise NotFound(_("No such request."))
    request = locked[request.pk]
    check_may_act_on(actor, request)
    check_collected(request)
    into = locked.get(into.pk)
    if into is None or not scope_for(actor).covers_path(into.unit.path):
        raise ValidationFailed(_("No such request."), field="into", code="does_not_exist")
    if into.case_id is None:
        raise ValidationFailed(
            _("Only a request with a case can take duplicates."), field="into", code="no_case"
        )
    case_request_merged(case=into.case, actor=actor, request_id=request.pk)
    request.status = RequestStatus.MERGED
    request.merged_into_id = into.merged_into_id or into.pk
    request.case_id = into.case_id
    request.decided_at = at or timezone.now()
    taken = _take_up(request, actor, request.decided_at)
    request.save(update_fields=["status", "merged_into", "case", "decided_at", *taken])
    events.request_merged(request, actor=actor, at=request.decided_at)
    return request


@transaction.atomic
def request_reject(*, request: Request, actor, reason: str, at=None) -> Request:
    """Reject what is not a request (spam, out of scope), with the reason."""
    request = lock_request(request)
    check_may_act_on(actor, request)
    check_collected(request)
    request.reject_reason = clean_text(
        reason, field="reason", limit=500, required=True, label=_("Reason")
    )
    request.status = RequestStatus.REJECTED
    request.decided_at = at or timezone.now()
    taken = _take_up(request, actor, request.decided_at)
    request.save(update_fields=["status", "reject_reason", "decided_at", *taken])
    events.request_rejected(request, actor=actor, at=request.decided_at)
    return request


@transaction.atomic
def request_intake(
    *,
    actor,
    outcome: str = "",
    answer: str = "",
    merge_into: Request | None = None,
    **fields,
) -> Request:
    """Collect a request and, in the same transaction, decide it at once.

    ``outcome`` is ``answer_on_spot`` (with ``answer``), ``open_case`` or ``merge`` (with
    ``merge_into``), or empty to leave it collected. One call is what an offline tablet resends,
    so a request is never left half-decided.
    """
    if outcome and outcome not in Outcome.CHOICES:
        raise ValidationFailed(_("Unknown outcome."), field="outcome", code="invalid_choice")
    if outcome == Outcome.ANSWER_ON_SPOT:
        _clean_answer(answer)
    if outcome == Outcome.MERGE and merge_into is None:
        raise ValidationFailed(_("Choose the request to merge into."), field="merge_into")
    request = request_collect(actor=actor, **fields)
    # The request was created in this transaction by this actor, whose role over its place
    # ``request_collect`` checked: no other transaction can see it, so there is nothing to lock.
    if outcome == Outcome.ANSWER_ON_SPOT:
        _answer_on_spot(request, actor, answer, None)
    elif outcome == Outcome.OPEN_CASE:
        _open_case(request, actor, "", None)
    elif outcome == Outcome.MERGE:
        try:
            request = request_merge(request=request, actor=actor, into=merge_into)
        except ValidationFailed as exc:
            if exc.field != "into":
                raise
            raise ValidationFailed(exc.message, field="merge_into", code=exc.code) from None
    return request
