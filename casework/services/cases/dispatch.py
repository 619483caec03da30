"""Putting a case in someone's hands: assign, transfer (转办), send up (兜底), sign for, return."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import events
from casework.errors import ValidationFailed
from casework.models import Case, CaseState, CoHandling, OrgUnit, Role, User
from casework.policies import authorise
from casework.selectors.cases import (
    DESK_LEVELS,
    desk_held,
    desks_above,
    dispatch_units,
    send_up_levels,
)
from casework.services.cases._core import (
    clear_deadlines,
    hand_to,
    lock,
    save_moved,
    tell,
    text,
    withdraw_extension,
)


def _check_dispatch(case: Case, *, handler: User | None, unit: OrgUnit | None) -> OrgUnit | None:
    """The leading unit for a handler and/or unit chosen by a supervisor, checked."""
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


def _set_co_handlers(case: Case, units: Iterable[OrgUnit], *, lead: OrgUnit | None) -> None:
    """Replace the co-handling parts (协办): each unit's part is due with the case."""
    units = [u for u in dict.fromkeys(units) if lead is None or u.pk != lead.pk]
    allowed = set(dispatch_units(case).values_list("pk", flat=True))
    for co in units:
        if co.pk not in allowed:
            raise ValidationFailed(
                _("This case cannot be shared with that unit."), field="co_handlers"
            )
    CoHandling.objects.filter(case=case).delete()
    CoHandling.objects.bulk_create(
        CoHandling(case=case, unit=co, due_at=case.due_at) for co in units
    )


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

    The unit leads (首接负责); ``co_handlers`` are other units that each do and report a part.
    Deadlines come from the category and urgency on the working calendar unless the supervisor
    sets ``due_at``. Tells the lead's handlers and the co-handlers.
    """
    case = lock(case, version=version)
    authorise(case, actor, "assign")
    if handler is None and unit is None:
        raise ValidationFailed(_("Choose a handler or a handling unit."), field="handler")
    unit = _check_dispatch(case, handler=handler, unit=unit)
    note = text(note, field="note")
    now = timezone.now()
    fallback, fields = hand_to(case, unit=unit, handler=handler, now=now, due_at=due_at)
    _set_co_handlers(case, co_handlers, lead=unit)
    from_state = save_moved(case, CaseState.ASSIGNED, fields, now=now)
    events.case_assigned(
        case, actor=actor, from_state=from_state, note=note, fallback=fallback, at=now
    )
    tell(case, "assigned", "handlers")
    tell(case, "co_handling", "co_handlers")
    return case


@transaction.atomic
def case_transfer(
    *,
    case: Case | int,
    actor,
    unit: OrgUnit,
    reason: str,
    handler: User | None = None,
    due_at: datetime | None = None,
    version: int | None = None,
) -> Case:
    """Transfer the case to another unit (转办) with a reason: it waits there to be signed for,
    with fresh deadlines. Co-handling parts stay. Tells the receiving unit's handlers."""
    case = lock(case, version=version)
    authorise(case, actor, "transfer")
    reason = text(reason, field="reason", required=True)
    if unit is None:
        raise ValidationFailed(_("Choose the unit to transfer the case to."), field="unit")
    if unit.pk == case.owner_unit_id and (handler is None or handler.pk == case.handler_id):
        raise ValidationFailed(_("The case is already with this unit."), field="unit")
    unit = _check_dispatch(case, handler=handler, unit=unit)
    from_unit_id = case.owner_unit_id
    now = timezone.now()
    _fallback, fields = hand_to(case, unit=unit, handler=handler, now=now, due_at=due_at)
    CoHandling.objects.filter(case=case, unit=unit).delete()  # the lead is no co-handler
    from_state = save_moved(case, CaseState.ASSIGNED, fields, now=now)
    events.case_transferred(
        case, actor=actor, from_state=from_state, from_unit_id=from_unit_id, reason=reason, at=now
    )
    tell(case, "transferred", "handlers", reason)
    return case


@transaction.atomic
def case_send_up(
    *,
    case: Case | int,
    actor,
    reason: str,
    level: str | None = None,
    version: int | None = None,
) -> Case:
    """Send the case up to the service desk of the town or county above (兜底), with a reason.

    ``level`` is ``town`` or ``county``; by default the town's desk, or the county's when the
    town's desk already holds the case. The desk's handlers sign for it like any handler.
    """
    case = lock(case, version=version)
    authorise(case, actor, "send_up")
    reason = text(reason, field="reason", required=True)
    desks = desks_above(case)
    # Only ever up: from below the desks, to the town's or the county's; from the town's desk,
    # to the county's; from the county's desk, nowhere.
    held = desk_held(case, desks)
    if level is None:
        level = next(iter(send_up_levels(case, desks)), None)
        if level is None:
            raise ValidationFailed(
                _("There is no service desk above to take the case."), field="level"
            )
    if level not in DESK_LEVELS:
        raise ValidationFailed(_("Send a case up to the town or the county."), field="level")
    if DESK_LEVELS.index(level) <= held:
        raise ValidationFailed(
            _("A case can only be sent to a higher desk than the one holding it."), field="level"
        )
    desk = desks.get(level)
    if desk is None:
        raise ValidationFailed(
            _("There is no service desk at that level to take the case."), field="level"
        )
    from_unit_id = case.owner_unit_id
    now = timezone.now()
    _fallback, fields = hand_to(case, unit=desk, handler=None, now=now)
    CoHandling.objects.filter(case=case, unit=desk).delete()
    from_state = save_moved(case, CaseState.ASSIGNED, fields, now=now)
    events.case_sent_up(
        case, actor=actor, from_state=from_state, from_unit_id=from_unit_id, reason=reason, at=now
    )
    tell(case, "transferred", "handlers", reason)
    return case


@transaction.atomic
def case_accept(*, case: Case | int, actor, version: int | None = None, note: str = "") -> Case:
    """The handler signs for the case (签收): in progress, and the handler becomes the actor."""
    case = lock(case, version=version)
    authorise(case, actor, "accept")
    note = text(note, field="note")
    now = timezone.now()
    on_time = case.sign_due_at is None or now <= case.sign_due_at
    case.handler = actor
    case.signed_at = now
    from_state = save_moved(case, CaseState.IN_PROGRESS, ["handler", "signed_at"], now=now)
    events.case_accepted(
        case, actor=actor, from_state=from_state, on_time=on_time, note=note, at=now
    )
    return case


@transaction.atomic
def case_return(*, case: Case | int, actor, reason: str, version: int | None = None) -> Case:
    """The handler returns a case that is not theirs (回退), with a reason, to the supervisor.

    The case is new again, with no handler, no deadlines and no co-handlers.
    """
    case = lock(case, version=version)
    authorise(case, actor, "return")
    reason = text(reason, field="reason", required=True)
    handler_id, unit_id = case.handler_id, case.owner_unit_id
    now = timezone.now()
    withdraw_extension(case, now=now, why=_("Withdrawn: the case was returned."))
    case.handler = None
    case.owner_unit = None
    case.signed_at = None
    case.return_count += 1
    fields = ["handler", "owner_unit", "signed_at", "return_count", *clear_deadlines(case)]
    from_state = save_moved(case, CaseState.NEW, fields, now=now)
    CoHandling.objects.filter(case=case).delete()
    events.case_returned(
        case,
        actor=actor,
        from_state=from_state,
        reason=reason,
        handler_id=handler_id,
        unit_id=unit_id,
        at=now,
    )
    tell(case, "returned", "supervisors", reason)
    return case
