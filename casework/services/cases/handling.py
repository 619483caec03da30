"""Working a case: the co-handlers' parts (协办), extensions (延期), and the result (办结)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework import events
from casework.errors import ValidationFailed
from casework.models import Case, CaseState, CoHandling, Extension, ExtensionState, OrgUnit
from casework.policies import authorise, co_handling_units
from casework.selectors.scope import scope_for
from casework.services.cases._core import (
    lock,
    move_due,
    refuse,
    save_moved,
    tell,
    text,
    withdraw_extension,
)


def max_extensions() -> int:
    """How many times one unit may have the deadline of one case moved."""
    return int(getattr(settings, "MINQING_MAX_EXTENSIONS", 2))


# --- Co-handling ------------------------------------------------------------------------------


def open_parts(case: Case, user) -> list[CoHandling]:
    """The co-handling parts of ``case`` that ``user`` may still report, for their units.

    Reads ``case.co_handling`` (prefetched with its units by ``case_list``).
    """
    units = {unit.pk for unit in co_handling_units(scope_for(user), case)}
    if not units:
        return []
    return [p for p in case.co_handling.all() if p.unit_id in units and p.done_at is None]


@transaction.atomic
def co_handling_report(
    *,
    case: Case | int,
    actor,
    opinion: str,
    unit: OrgUnit | None = None,
    version: int | None = None,
) -> CoHandling:
    """A co-handling unit reports its part as done, with its opinion (协办意见).

    ``unit`` picks the part when the actor handles for several co-handling units. The state does
    not change; the lead's handlers are told.
    """
    case = lock(case, version=version)
    authorise(case, actor, "co_report")
    opinion = text(opinion, field="opinion", required=True)
    parts = open_parts(case, actor)
    if unit is not None:
        parts = [part for part in parts if part.unit_id == unit.pk]
    if not parts:
        raise refuse(case, _("Your unit's part of this case is already reported."), code="done")
    if len(parts) > 1:
        raise ValidationFailed(_("Choose the unit you report for."), field="unit")
    part = parts[0]
    now = timezone.now()
    part.done_at, part.done_by, part.opinion = now, actor, opinion
    part.save(update_fields=["done_at", "done_by", "opinion"])
    save_moved(case, None, [], now=now)
    events.co_handling_reported(case, actor=actor, unit_id=part.unit_id, opinion=opinion, at=now)
    tell(case, "co_reported", "handlers", f"{part.unit.name}: {opinion}")
    return part


# --- Extensions -------------------------------------------------------------------------------


def pending_extension(case: Case) -> Extension | None:
    """The extension waiting for a decision (reads ``case.extensions``, prefetched by lists)."""
    return next((e for e in case.extensions.all() if e.state == ExtensionState.PENDING), None)


def extensions_used(case: Case) -> int:
    """Approved extensions of this case for the unit that leads it now."""
    return sum(
        1
        for e in case.extensions.all()
        if e.state == ExtensionState.APPROVED and e.unit_id == case.owner_unit_id
    )


@transaction.atomic
def extension_apply(
    *, case: Case | int, actor, due_at: datetime, reason: str, version: int | None = None
) -> Extension:
    """The handler applies to move the resolve deadline (延期) to ``due_at``, with a reason.

    Only before the deadline has passed, one application at a time, and at most
    ``MINQING_MAX_EXTENSIONS`` approved per unit and case. A supervisor decides.
    """
    case = lock(case, version=version)
    authorise(case, actor, "extension")
    reason = text(reason, field="reason", required=True)
    now = timezone.now()
    if pending_extension(case) is not None:
        raise refuse(case, _("An extension is already waiting for a decision."), code="pending")
    if case.due_at is None or case.due_at <= now:
        raise refuse(
            case, _("Apply for an extension before the deadline passes."), code="deadline_passed"
        )
    if extensions_used(case) >= max_extensions():
        raise refuse(
            case,
            ngettext(
                "Your unit has used its %(n)d extension of this case's deadline.",
                "Your unit has used all %(n)d extensions of this case's deadline.",
                max_extensions(),
            )
            % {"n": max_extensions()},
            code="too_many_extensions",
        )
    if due_at is None or due_at <= case.due_at:
        raise ValidationFailed(
            _("The new deadline must be later than the current one."), field="due_at"
        )
    extension = Extension.objects.create(
        case=case,
        unit_id=case.owner_unit_id,
        requested_by=actor,
        requested_at=now,
        old_due_at=case.due_at,
        due_at=due_at,
        reason=reason,
    )
    save_moved(case, None, [], now=now)
    events.extension_requested(case, actor=actor, extension=extension, at=now)
    tell(case, "extension", "supervisors", reason)
    return extension


@transaction.atomic
def extension_decide(
    *, case: Case | int, actor, approve: bool, note: str = "", version: int | None = None
) -> Extension:
    """A supervisor approves or rejects the pending extension.

    Approval moves the resolve deadline (and the due-soon moment), re-plans reminders and
    escalation from the new deadline, and takes the case back down to level 0. On-time is then
    judged against the approved deadline; the approvals are counted per unit on the dashboard.
    """
    case = lock(case, version=version)
    authorise(case, actor, "extension_decide")
    if not isinstance(approve, bool):
        raise ValidationFailed(_("Say whether the extension is approved."), field="approve")
    note = text(note, field="note", required=not approve)
    extension = pending_extension(case)
    if extension is None:
        raise refuse(case, _("No extension is waiting for a decision."), code="no_pending")
    now = timezone.now()
    fields: list[str] = []
    if approve:
        if extension.due_at <= now:
            raise ValidationFailed(
                _("The deadline asked for has passed; reject it."), field="approve"
            )
        extension.state = ExtensionState.APPROVED
        move_due(case, extension.due_at, now=now)
        case.escalation_level = 0
        fields = ["due_at", "due_soon_at", "escalation_level"]
        case.co_handling.filter(done_at__isnull=True, due_at__lt=case.due_at).update(
            due_at=case.due_at
        )
    else:
        extension.state = ExtensionState.REJECTED
    extension.decided_by, extension.decided_at, extension.decision_note = actor, now, note
    extension.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    save_moved(case, None, fields, now=now)
    events.extension_decided(case, actor=actor, extension=extension, at=now)
    tell(case, "ext_decided", "handlers", note)
    return extension


# --- The result -------------------------------------------------------------------------------


@transaction.atomic
def case_resolve(*, case: Case | int, actor, result: str, version: int | None = None) -> Case:
    """The handler reports the result (办结); the resident's feedback comes next.

    Co-handling parts not yet reported are named in the event (the lead saw them on the page).
    """
    case = lock(case, version=version)
    authorise(case, actor, "resolve")
    result = text(result, field="result", required=True)
    now = timezone.now()
    pending = list(case.co_handling.filter(done_at__isnull=True).values_list("unit_id", flat=True))
    withdraw_extension(case, now=now, why=_("Withdrawn: the case was resolved first."))
    case.result = result
    case.resolved_at = now
    from_state = save_moved(case, CaseState.RESOLVED, ["result", "resolved_at"], now=now)
    events.case_resolved(
        case, actor=actor, from_state=from_state, result=result, co_pending=pending, at=now
    )
    tell(case, "resolved", "collectors")
    return case
