"""Ending a case: the resident's feedback (回访), closing, reopening, cancelling, settling."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import events, workflow
from casework.errors import NotPermitted, ValidationFailed
from casework.models import Case, CaseState, CloseReason, Satisfaction
from casework.policies import authorise
from casework.services.cases._core import (
    lock,
    refuse,
    reopen_for_redo,
    save_moved,
    tell,
    text,
    withdraw_extension,
)


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
    case = lock(case, version=version)
    authorise(case, actor, "feedback")
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("Choose how satisfied the resident is."), field="satisfaction")
    if not isinstance(solved, bool):
        raise ValidationFailed(_("Say whether the problem was solved."), field="solved")
    note = text(note, field="note")
    now = timezone.now()
    case.satisfaction = satisfaction
    fields = ["satisfaction"]
    if answer_refuses(solved=solved, satisfaction=satisfaction):
        # As a supervisor's reopen (and a resident's own unsatisfied rating) does.
        fields = reopen_for_redo(case)
        to_state = CaseState.REOPENED
    elif case.category.requires_verification:
        to_state = CaseState.RESOLVED
    else:
        case.closed_at = now
        case.close_reason = CloseReason.FEEDBACK
        fields += ["closed_at", "close_reason"]
        to_state = CaseState.CLOSED
    from_state = save_moved(case, to_state, fields, now=now)
    events.feedback_recorded(
        case,
        actor=actor,
        from_state=from_state,
        solved=solved,
        satisfaction=satisfaction,
        note=note,
        at=now,
    )
    if case.state == CaseState.REOPENED:
        tell(case, "reopened", "supervisors", note)
    return case


def answer_refuses(*, solved: bool, satisfaction: str) -> bool:
    """Whether a resident's answer refuses the result: unsolved or unsatisfied (重办)."""
    return not solved or satisfaction == Satisfaction.UNSATISFIED


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
    case = lock(case, version=version)
    if actor is None:
        workflow.check(case, "close")
    else:
        authorise(case, actor, "close")
    note = text(note, field="note")
    now = now or timezone.now()
    if case.satisfaction and case.satisfaction != Satisfaction.UNSATISFIED:
        if actor is None:
            raise NotPermitted(_("A supervisor must verify this case."))
        reason = CloseReason.VERIFIED
    elif case.resolved_at and now - case.resolved_at >= feedback_wait():
        reason = CloseReason.NO_FEEDBACK
    else:
        raise refuse(
            case,
            _("The resident can still answer; close without feedback after %(days)d days.")
            % {"days": feedback_wait().days},
            code="feedback_pending",
        )
    case.closed_at = now
    case.close_reason = reason
    from_state = save_moved(case, CaseState.CLOSED, ["closed_at", "close_reason"], now=now)
    events.case_closed(case, actor=actor, from_state=from_state, reason=reason, note=note, at=now)
    return case


@transaction.atomic
def case_reopen(*, case: Case | int, actor, reason: str, version: int | None = None) -> Case:
    """A supervisor's check failed (核查不通过): the case is reopened for redo (重办)."""
    case = lock(case, version=version)
    authorise(case, actor, "reopen")
    reason = text(reason, field="reason", required=True)
    from_state = save_moved(case, CaseState.REOPENED, reopen_for_redo(case))
    events.case_reopened(case, actor=actor, from_state=from_state, reason=reason)
    tell(case, "reopened", "supervisors", reason)
    return case


@transaction.atomic
def case_cancel(*, case: Case | int, actor, reason: str, version: int | None = None) -> Case:
    """A supervisor cancels a case opened in error (duplicate, invalid), with a reason."""
    case = lock(case, version=version)
    authorise(case, actor, "cancel")
    reason = text(reason, field="reason", required=True)
    case.closed_at = timezone.now()
    withdraw_extension(case, now=case.closed_at, why=_("Withdrawn: the case was cancelled."))
    from_state = save_moved(case, CaseState.CANCELLED, ["closed_at"])
    events.case_cancelled(case, actor=actor, from_state=from_state, reason=reason)
    return case


@transaction.atomic
def case_settle(
    *, case: Case | int, actor, result: str, meeting_id: int, version: int | None = None
) -> Case:
    """A four-party consultation's decision resolves the case; the resident's feedback follows."""
    case = lock(case, version=version)
    authorise(case, actor, "settle")
    result = text(result, field="decision", required=True)
    now = timezone.now()
    case.result = result
    case.resolved_at = now
    from_state = save_moved(case, CaseState.RESOLVED, ["result", "resolved_at"], now=now)
    events.consultation_decided(
        case, actor=actor, meeting_id=meeting_id, decision=result, from_state=from_state, at=now
    )
    tell(case, "resolved", "collectors")
    return case
