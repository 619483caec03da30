"""The case workflow: one function per transition.

Each locks the case row, checks the client's ``version``, the state against
``casework.workflow``, and the actor's role against ``casework.policies``; writes with
``update_fields``; appends exactly one ``CaseEvent``; and leaves side effects (notifications) to
``transaction.on_commit``. A refused action raises and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import alerts, events, workflow
from casework.errors import Conflict, NotPermitted, ValidationFailed
from casework.models import (
    Case,
    CaseState,
    Category,
    CloseReason,
    EventKind,
    OrgUnit,
    Role,
    Satisfaction,
    Urgency,
    User,
)
from casework.models.org import HANDLING_KINDS, UnitKind
from casework.policies import CHASEABLE_STATES, may
from casework.selectors.scope import scope_for
from casework.workflow import COLLECTORS, SUPERVISORS

#: Places a case can be about: the community level and below.
CASE_PLACE_KINDS = (UnitKind.COMMUNITY, UnitKind.GRID, UnitKind.COMPOUND, UnitKind.BUILDING)


def _lock(case: Case | int, *, version: int | None) -> Case:
    """Lock the case row and check the client's version. The lock serialises concurrent actors."""
    case_id = case if isinstance(case, int) else case.pk
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("unit", "owner_unit", "category")
        .get(pk=case_id)
    )
    if version is not None and int(version) != locked.version:
        raise Conflict(
            _("The case was changed by someone else. Reload it and try again."),
            code="stale_version",
            extra={"state": locked.state, "version": locked.version},
        )
    return locked


def _authorise(case: Case, actor, action: str) -> workflow.Transition:
    transition = workflow.check(case, action)
    if not may(actor, case, action):
        raise NotPermitted(
            _("Your role does not allow this action on this case."),
            extra={"state": case.state, "version": case.version},
        )
    return transition


def _move(case: Case, to_state: str, fields: Iterable[str]) -> str:
    """Change the state, bump the version, and tell the sweep when to look at the case next."""
    from_state = case.state
    case.state = to_state
    case.version += 1
    case.next_alert_at = alerts.next_alert_after_change(
        alerts.clock_of(case), timezone.now(), escalation_period()
    )
    case.save(update_fields=["state", "version", "next_alert_at", *fields])
    return from_state


def escalation_period() -> timedelta:
    """How long an overdue case waits at one level before it climbs to the next (督办)."""
    return timedelta(hours=getattr(settings, "MINQING_ESCALATION_PERIOD_HOURS", 24))


def _tell(case: Case, kind: str, who: str, text: str = "") -> None:
    """Notify the people a transition concerns (inbox rows in this transaction)."""
    from casework.services.notifications import Recipients, notify

    book = Recipients([case])
    user_ids = {
        "handlers": book.handlers,
        "supervisors": book.supervisors,
        "collectors": book.collectors,
    }[who](case)
    notify(user_ids=user_ids, kind=kind, case=case, text=text)


def _clear_deadlines(case: Case) -> list[str]:
    """A reopened case waits for a new assignment, which sets new deadlines."""
    case.sign_due_at = case.due_soon_at = case.due_at = None
    return ["sign_due_at", "due_soon_at", "due_at"]


def _clean_text(value: str, *, field: str, required: bool, limit: int = 4000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_("This field is required."), field=field)
    if len(value) > limit:
        raise ValidationFailed(_("At most %(limit)d characters.") % {"limit": limit}, field=field)
    return value


# --- Opening -----------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor,
    category: Category,
    unit: OrgUnit,
    title: str,
    description: str = "",
    urgency: str = Urgency.NORMAL,
    data: dict | None = None,
) -> Case:
    """Open a case about ``unit`` (协助办理): state ``new``, waiting for a supervisor to assign it.

    The actor must collect requests or supervise over ``unit``. Writes an ``opened`` event.
    """
    scope = scope_for(actor)
    if not scope.has_role(*COLLECTORS, *SUPERVISORS, path=unit.path):
        raise NotPermitted(_("You may not open a case for this place."), field="unit")
    if unit.kind not in CASE_PLACE_KINDS:
        raise ValidationFailed(
            _("A case is about a community, grid, compound or building."), field="unit"
        )
    if urgency not in Urgency.values:
        raise ValidationFailed(_("Unknown urgency."), field="urgency")
    if not category.is_active:
        raise ValidationFailed(_("This category is no longer in use."), field="category")
    title = _clean_text(title, field="title", required=True, limit=120)
    description = _clean_text(description, field="description", required=False)
    case = Case.objects.create(
        category=category,
        unit=unit,
        urgency=urgency,
        title=title,
        description=description,
        created_by=actor,
    )
    events.case_opened(case, actor=actor, data=data)
    return case


@transaction.atomic
def case_request_merged(*, case: Case, actor, request_id: int) -> None:
    """Record on ``case`` that a duplicate request joined it (the request points at the case)."""
    case = _lock(case, version=None)
    if case.state in (CaseState.CLOSED, CaseState.CANCELLED):
        raise ValidationFailed(
            _("A request can only join a case that is still open."), field="case"
        )
    events.request_merged(case, actor=actor, request_id=request_id)


# --- Dispatch ----------------------------------------------------------------------------------


def dispatch_units(case: Case):
    """Units a case about ``case.unit`` may be assigned to.

    The places above it (a community, town or county backstops, 兜底) and the handling units
    attached to any of those places or to the case's own place (a department, the property company,
    an owners' committee).
    """
    from django.db.models import Q

    step = OrgUnit.steplen
    chain = [case.unit.path[:i] for i in range(step, len(case.unit.path) + 1, step)]
    q = Q(path__in=chain, kind__in=[UnitKind.COUNTY, UnitKind.TOWN, UnitKind.COMMUNITY])
    for path in chain:
        q |= Q(path__startswith=path, depth=len(path) // step + 1, kind__in=HANDLING_KINDS)
    return OrgUnit.objects.filter(q, is_active=True).order_by("path")


def _check_dispatch(case: Case, *, handler: User | None, unit: OrgUnit | None) -> OrgUnit | None:
    allowed = dispatch_units(case)
    if unit is not None and not allowed.filter(pk=unit.pk).exists():
        raise ValidationFailed(_("This case cannot be assigned to that unit."), field="unit")
    if handler is not None:
        handler_units = OrgUnit.objects.filter(
            memberships__user=handler, memberships__role=Role.HANDLER
        )
        if unit is not None:
            if not handler_units.filter(path__startswith=unit.path).exists() and not (
                handler_units.filter(pk__in=allowed).exists()
            ):
                raise ValidationFailed(
                    _("That person is not a handler of the chosen unit."), field="handler"
                )
        else:
            unit = handler_units.filter(pk__in=allowed).order_by("-depth").first()
            if unit is None:
                raise ValidationFailed(
                    _("That person is not a handler who can take this case."), field="handler"
                )
    return unit


@transaction.atomic
def case_assign(
    *,
    case: Case | int,
    actor,
    handler: User | None = None,
    unit: OrgUnit | None = None,
    co_handlers: Iterable[OrgUnit] = (),
    due_at: datetime | None = None,
    version: int | None = None,
    note: str = "",
) -> Case:
    """Assign a new or reopened case to a handler and/or a handling unit, with its deadlines.

    The unit leads (首接负责); ``co_handlers`` are other units involved. Deadlines come from the
    category and urgency on the working calendar unless the supervisor sets ``due_at``.
    """
    from casework.deadlines import compute_deadlines

    case = _lock(case, version=version)
    _authorise(case, actor, "assign")
    if handler is None and unit is None:
        raise ValidationFailed(_("Choose a handler or a handling unit."), field="handler")
    unit = _check_dispatch(case, handler=handler, unit=unit)
    co_handlers = [u for u in co_handlers if unit is None or u.pk != unit.pk]
    allowed = set(dispatch_units(case).values_list("pk", flat=True))
    for co in co_handlers:
        if co.pk not in allowed:
            raise ValidationFailed(
                _("This case cannot be shared with that unit."), field="co_handlers"
            )
    now = timezone.now()
    deadlines = compute_deadlines(category=case.category, urgency=case.urgency, start=now)
    if due_at is not None:
        if due_at <= now:
            raise ValidationFailed(_("The deadline must be in the future."), field="due_at")
        resolve_due = due_at
    else:
        resolve_due = deadlines.due_at
    case.handler = handler
    case.owner_unit = unit
    case.assigned_at = now
    case.sign_due_at = min(deadlines.sign_due_at, resolve_due)
    case.due_at = resolve_due
    case.due_soon_at = resolve_due - (resolve_due - now) * float(case.category.due_soon_share)
    case.signed_at = None
    case.escalation_level = 0
    from_state = _move(
        case,
        CaseState.ASSIGNED,
        [
            "handler",
            "owner_unit",
            "assigned_at",
            "sign_due_at",
            "due_at",
            "due_soon_at",
            "signed_at",
            "escalation_level",
        ],
    )
    case.co_handlers.set(co_handlers)
    events.transition_recorded(
        case,
        EventKind.ASSIGNED,
        actor=actor,
        from_state=from_state,
        note=_clean_text(note, field="note", required=False),
        data={
            "handler": handler.pk if handler else None,
            "unit": unit.pk if unit else None,
            "co_handlers": [co.pk for co in co_handlers],
            "sign_due_at": case.sign_due_at.isoformat(),
            "due_at": case.due_at.isoformat(),
            "calendar_fallback": deadlines.fallback,
        },
        at=now,
    )
    _tell(case, "assigned", "handlers")
    return case


@transaction.atomic
def case_accept(*, case: Case | int, actor, version: int | None = None, note: str = "") -> Case:
    """The handler signs for the case (签收): in progress, and the handler becomes the actor."""
    case = _lock(case, version=version)
    _authorise(case, actor, "accept")
    now = timezone.now()
    on_time = case.sign_due_at is None or now <= case.sign_due_at
    case.handler = actor
    case.signed_at = now
    from_state = _move(case, CaseState.IN_PROGRESS, ["handler", "signed_at"])
    events.transition_recorded(
        case,
        EventKind.ACCEPTED,
        actor=actor,
        from_state=from_state,
        note=_clean_text(note, field="note", required=False),
        data={"on_time": on_time},
        at=now,
    )
    return case


@transaction.atomic
def case_return(*, case: Case | int, actor, reason: str, version: int | None = None) -> Case:
    """The handler returns a case that is not theirs (回退), with a reason, to the supervisor."""
    case = _lock(case, version=version)
    _authorise(case, actor, "return")
    reason = _clean_text(reason, field="reason", required=True)
    data = {
        "reason": reason,
        "handler": case.handler_id,
        "unit": case.owner_unit_id,
    }
    case.handler = None
    case.owner_unit = None
    case.sign_due_at = None
    case.due_at = None
    case.due_soon_at = None
    case.signed_at = None
    case.return_count += 1
    from_state = _move(
        case,
        CaseState.NEW,
        [
            "handler",
            "owner_unit",
            "sign_due_at",
            "due_at",
            "due_soon_at",
            "signed_at",
            "return_count",
        ],
    )
    case.co_handlers.clear()
    events.transition_recorded(
        case, EventKind.RETURNED, actor=actor, from_state=from_state, note=reason, data=data
    )
    _tell(case, "returned", "supervisors", reason)
    return case


@transaction.atomic
def case_resolve(*, case: Case | int, actor, result: str, version: int | None = None) -> Case:
    """The handler reports the result (办结); the resident's feedback comes next."""
    case = _lock(case, version=version)
    _authorise(case, actor, "resolve")
    result = _clean_text(result, field="result", required=True)
    now = timezone.now()
    case.result = result
    case.resolved_at = now
    from_state = _move(case, CaseState.RESOLVED, ["result", "resolved_at"])
    events.transition_recorded(
        case,
        EventKind.RESOLVED,
        actor=actor,
        from_state=from_state,
        note=result,
        data=_resolution_data(case, now),
        at=now,
    )
    _tell(case, "resolved", "collectors")
    return case


def _resolution_data(case: Case, now: datetime) -> dict:
    return {
        "on_time": case.due_at is None or now <= case.due_at,
        "due_at": case.due_at.isoformat() if case.due_at else None,
        "handler": case.handler_id,
        "unit": case.owner_unit_id,
    }


# --- Feedback and closing ----------------------------------------------------------------------


@transaction.atomic
def feedback_record(
    *,
    case: Case | int,
    actor,
    solved: bool,
    satisfaction: str,
    note: str = "",
    version: int | None = None,
) -> Case:
    """Record the resident's answer at the return visit (回访).

    Unsolved or unsatisfied reopens the case for redo (重办). Otherwise it closes, or, where the
    category asks a supervisor to verify (核查结案), it stays resolved for the supervisor's check.
    """
    case = _lock(case, version=version)
    _authorise(case, actor, "feedback")
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("Choose how satisfied the resident is."), field="satisfaction")
    if not isinstance(solved, bool):
        raise ValidationFailed(_("Say whether the problem was solved."), field="solved")
    note = _clean_text(note, field="note", required=False)
    now = timezone.now()
    case.satisfaction = satisfaction
    fields = ["satisfaction"]
    if not solved or satisfaction == Satisfaction.UNSATISFIED:
        case.reopen_count += 1
        case.resolved_at = None
        fields += ["reopen_count", "resolved_at", *_clear_deadlines(case)]
        to_state = CaseState.REOPENED
    elif case.category.requires_verification:
        to_state = CaseState.RESOLVED
    else:
        case.closed_at = now
        case.close_reason = CloseReason.FEEDBACK
        fields += ["closed_at", "close_reason"]
        to_state = CaseState.CLOSED
    from_state = _move(case, to_state, fields)
    events.transition_recorded(
        case,
        EventKind.FEEDBACK,
        actor=actor,
        from_state=from_state,
        note=note,
        data={
            "solved": solved,
            "satisfaction": satisfaction,
            "handler": case.handler_id,
            "unit": case.owner_unit_id,
        },
        at=now,
    )
    if case.state == CaseState.REOPENED:
        _tell(case, "reopened", "supervisors", note)
    return case


def feedback_wait() -> timedelta:
    """How long a resident may stay unreachable before a supervisor closes without feedback."""
    return timedelta(days=getattr(settings, "MINQING_FEEDBACK_WAIT_DAYS", 3))


@transaction.atomic
def case_close(
    *, case: Case | int, actor, note: str = "", version: int | None = None, now=None
) -> Case:
    """A supervisor closes a resolved case.

    After the resident's positive feedback on a category that needs verification, this is the
    verification (核查结案). Without feedback, only once the resident has been unreachable for
    ``MINQING_FEEDBACK_WAIT_DAYS`` days since the resolution. ``actor=None`` is the sweep.
    """
    case = _lock(case, version=version)
    if actor is None:
        workflow.check(case, "close")
    else:
        _authorise(case, actor, "close")
    now = now or timezone.now()
    if case.satisfaction and case.satisfaction != Satisfaction.UNSATISFIED:
        if actor is None:
            raise NotPermitted(_("A supervisor must verify this case."))
        reason = CloseReason.VERIFIED
    elif case.resolved_at and now - case.resolved_at >= feedback_wait():
        reason = CloseReason.NO_FEEDBACK
    else:
        raise Conflict(
            _("The resident can still answer; close without feedback after %(days)d days.")
            % {"days": feedback_wait().days},
            code="feedback_pending",
            extra={"state": case.state, "version": case.version},
        )
    case.closed_at = now
    case.close_reason = reason
    from_state = _move(case, CaseState.CLOSED, ["closed_at", "close_reason"])
    events.transition_recorded(
        case,
        EventKind.CLOSED,
        actor=actor,
        from_state=from_state,
        note=_clean_text(note, field="note", required=False),
        data={"reason": reason},
        at=now,
    )
    return case


@transaction.atomic
def case_reopen(*, case: Case | int, actor, reason: str, version: int | None = None) -> Case:
    """A supervisor's check failed (核查不通过): the case is reopened for redo (重办)."""
    case = _lock(case, version=version)
    _authorise(case, actor, "reopen")
    reason = _clean_text(reason, field="reason", required=True)
    case.reopen_count += 1
    case.resolved_at = None
    case.satisfaction = ""
    fields = ["reopen_count", "resolved_at", "satisfaction", *_clear_deadlines(case)]
    from_state = _move(case, CaseState.REOPENED, fields)
    events.transition_recorded(
        case,
        EventKind.REOPENED,
        actor=actor,
        from_state=from_state,
        note=reason,
        data={"reason": reason},
    )
    _tell(case, "reopened", "supervisors", reason)
    return case


@transaction.atomic
def case_cancel(*, case: Case | int, actor, reason: str, version: int | None = None) -> Case:
    """A supervisor cancels a case opened in error (duplicate, invalid), with a reason."""
    case = _lock(case, version=version)
    _authorise(case, actor, "cancel")
    reason = _clean_text(reason, field="reason", required=True)
    case.closed_at = timezone.now()
    from_state = _move(case, CaseState.CANCELLED, ["closed_at"])
    events.transition_recorded(
        case,
        EventKind.CANCELLED,
        actor=actor,
        from_state=from_state,
        note=reason,
        data={"reason": reason},
    )
    return case


@transaction.atomic
def case_settle(
    *, case: Case | int, actor, result: str, meeting_id: int, version: int | None = None
) -> Case:
    """A four-party consultation's decision resolves the case; the resident's feedback follows."""
    case = _lock(case, version=version)
    _authorise(case, actor, "settle")
    result = _clean_text(result, field="decision", required=True)
    now = timezone.now()
    case.result = result
    case.resolved_at = now
    from_state = _move(case, CaseState.RESOLVED, ["result", "resolved_at"])
    events.consultation_decided(
        case,
        actor=actor,
        meeting_id=meeting_id,
        decision=result,
        from_state=from_state,
        data=_resolution_data(case, now),
        at=now,
    )
    _tell(case, "resolved", "collectors")
    return case


@transaction.atomic
def case_chase(*, case: Case | int, actor, note: str = "") -> Case:
    """A supervisor chases the handler (催办): an event on the case and a notification."""
    case = _lock(case, version=None)
    if case.state not in CHASEABLE_STATES:
        raise Conflict(
            _("Only a case being handled can be chased."),
            code="invalid_state",
            extra={"state": case.state, "version": case.version},
        )
    if not may(actor, case, "chase"):
        raise NotPermitted(
            _("Your role does not allow this action on this case."),
            extra={"state": case.state, "version": case.version},
        )
    note = _clean_text(note, field="note", required=False, limit=300)
    events.case_chased(case, actor=actor, note=note)
    _tell(case, "chased", "handlers", note)
    return case


@transaction.atomic
def case_note(*, case: Case | int, actor, note: str) -> None:
    """Add a note to the case's history without changing its state (no version bump)."""
    case = _lock(case, version=None)
    if not scope_for(actor).everything and not (
        may(actor, case, "feedback") or may(actor, case, "accept")
    ):
        raise NotPermitted(_("You may not add notes to this case."))
    events.note_added(case, actor=actor, note=_clean_text(note, field="note", required=True))
