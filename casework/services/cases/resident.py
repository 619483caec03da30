"""The resident's own rating of a result (tracking page, SMS link), beside the 回访.

The resident is not a user of the system: nobody is authorised, the rating is taken for the
case's latest result, its *round* (``Case.reopen_count`` while that result stands: every redo
adds one), while the case waits for feedback (resolved), and once the case is closed for
``MINQING_RESIDENT_RATING_DAYS`` days after the result (the worker's 回访 often closes the case
before the resident opens the SMS; their answer still counts, and may contradict the 回访).

One answer per result: a second one is refused (409 ``already_rated``). An unsolved or
unsatisfied answer while the case is resolved reopens it for redo (重办) as an unsatisfied 回访
does (``closing.answer_refuses``, ``_core.reopen_for_redo``); on a closed case it is recorded and
counted, nothing moves. A satisfied answer moves nothing: the worker's 回访 still closes the case.
The answer is one ``resident_feedback`` event, without actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import events
from casework.errors import ValidationFailed
from casework.models import Case, CaseEvent, CaseState, EventKind, Satisfaction
from casework.services.cases._core import lock, refuse, reopen_for_redo, save_moved, tell, text
from casework.services.cases.closing import answer_refuses

#: Where a resident may answer: the tracking page, or the link of the SMS sent at resolution.
VIA = ("track", "sms")
#: A resident's comment: at most this many characters.
COMMENT_LIMIT = 500


def rating_days() -> int:
    """How many days after a result the resident may still rate it once the case is closed."""
    return int(getattr(settings, "MINQING_RESIDENT_RATING_DAYS", 14))


def rating_open(case: Case, *, now: datetime) -> bool:
    """Whether the resident may rate the case's latest result now (before any answer is
    looked at): resolved, or closed less than ``rating_days()`` after the result."""
    if case.state == CaseState.RESOLVED:
        return True
    if case.state == CaseState.CLOSED and case.resolved_at is not None:
        return now < case.resolved_at + timedelta(days=rating_days())
    return False


def _after_result(case: Case):
    """The case's events since its latest result (办结, or a consultation that settled it)."""
    result = (
        CaseEvent.objects.filter(case=case)
        .filter(Q(kind=EventKind.RESOLVED) | Q(kind=EventKind.CONSULTED, to_state="resolved"))
        .order_by("-id")
        .values("id")[:1]
    )
    return CaseEvent.objects.filter(case=case, id__gt=result)


def result_visit(case: Case) -> CaseEvent | None:
    """The 回访 a worker recorded for the case's latest result (the last, if several), with its
    actor, or ``None``."""
    return (
        _after_result(case)
        .filter(kind=EventKind.FEEDBACK)
        .select_related("actor")
        .order_by("-id")
        .first()
    )


@dataclass(frozen=True)
class ResidentAnswer:
    """What :func:`resident_feedback_record` did."""

    case: Case
    event: CaseEvent
    #: The result it answers (the case's reopen count while that result stood).
    round: int
    reopened: bool
    #: The 回访 a worker recorded for the same result, if any: the other answer to compare.
    visit: CaseEvent | None


@transaction.atomic
def resident_feedback_record(
    *,
    case: Case | int,
    solved: bool,
    satisfaction: str,
    comment: str = "",
    via: str,
    now: datetime | None = None,
) -> ResidentAnswer:
    """Record the resident's own answer about the case's latest result.

    Preconditions: the result may be rated (:func:`rating_open`, else 409 ``rating_closed``)
    and has no resident's answer yet (409 ``already_rated``); ``solved`` a boolean,
    ``satisfaction`` a ``Satisfaction``, ``comment`` at most 500 characters (400 naming the
    field). Side effects: one ``resident_feedback`` event (counted in the rates as an answer);
    an unsolved or unsatisfied answer on a resolved case reopens it for redo and tells its
    supervisors, as an unsatisfied 回访 does.
    """
    case = lock(case, version=None)
    now = now or timezone.now()
    if not rating_open(case, now=now):
        raise refuse(case, _("This result can no longer be rated here."), code="rating_closed")
    if _after_result(case).filter(kind=EventKind.RESIDENT_FEEDBACK).exists():
        raise refuse(case, _("This result has been rated already."), code="already_rated")
    if not isinstance(solved, bool):
        raise ValidationFailed(_("Say whether the problem was solved."), field="solved")
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("Choose how satisfied you are."), field="satisfaction")
    if via not in VIA:
        raise ValidationFailed(_("Say where the answer was given."), field="via")
    comment = text(comment, field="comment", limit=COMMENT_LIMIT)
    round_ = case.reopen_count
    visit = result_visit(case)
    reopen = case.state == CaseState.RESOLVED and answer_refuses(
        solved=solved, satisfaction=satisfaction
    )
    from_state = case.state
    if reopen:
        save_moved(case, CaseState.REOPENED, reopen_for_redo(case), now=now)
    event = events.resident_feedback_recorded(
        case,
        from_state=from_state,
        moved=reopen,
        solved=solved,
        satisfaction=satisfaction,
        comment=comment,
        round_=round_,
        via=via,
        at=now,
    )
    if reopen:
        tell(case, "reopened", "supervisors", comment)
    return ResidentAnswer(case=case, event=event, round=round_, reopened=reopen, visit=visit)
