"""Parking a case (挂账) that waits on a budget or a plan beyond this year, and its return."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import events
from casework.errors import ValidationFailed
from casework.models import Case, CaseState
from casework.policies import authorise
from casework.services.cases._core import (
    DEADLINE_FIELDS,
    lock,
    save_moved,
    set_deadlines,
    text,
    withdraw_extension,
)

#: The furthest a review date may lie ahead: a parked case is looked at again within a year.
MAX_PARK = timedelta(days=366)


@transaction.atomic
def case_park(
    *, case: Case | int, actor, plan: str, review_on: date, version: int | None = None
) -> Case:
    """A supervisor parks a case (挂账) with the plan that will solve it and a review date.

    A parked case leaves the overdue lists and escalation, is listed on its own, counts in its
    own figure (not as resolved), and its supervisors are reminded on the review date.
    """
    case = lock(case, version=version)
    authorise(case, actor, "park")
    plan = text(plan, field="plan", required=True)
    today = timezone.localdate()
    if not isinstance(review_on, date) or isinstance(review_on, datetime):
        raise ValidationFailed(_("Give the date to review the case."), field="review_on")
    if not today < review_on <= today + MAX_PARK:
        raise ValidationFailed(
            _("The review date must be after today and within a year."), field="review_on"
        )
    withdraw_extension(case, now=timezone.now(), why=_("Withdrawn: the case was parked."))
    case.parked_from = case.state
    case.park_plan = plan
    case.review_on = review_on
    from_state = save_moved(case, CaseState.PARKED, ["parked_from", "park_plan", "review_on"])
    events.case_parked(case, actor=actor, from_state=from_state, plan=plan)
    return case


@transaction.atomic
def case_unpark(
    *,
    case: Case | int,
    actor,
    note: str = "",
    due_at: datetime | None = None,
    version: int | None = None,
) -> Case:
    """Take a case off the parked list: back to the state it was parked from.

    A case that was being handled gets new deadlines, ``due_at`` or else counted from now by its
    category, when one it still had to meet passed while it was parked (or ``due_at`` is given).
    """
    case = lock(case, version=version)
    authorise(case, actor, "unpark")
    note = text(note, field="note")
    now = timezone.now()
    back = case.parked_from or CaseState.NEW
    fields = ["parked_from", "review_on"]
    handled = back in (CaseState.ASSIGNED, CaseState.IN_PROGRESS)
    if due_at is not None and not handled:
        raise ValidationFailed(
            _(
                "A new deadline can be set only for a case that was being handled before it "
                "was parked."
            ),
            field="due_at",
        )
    lapsed = case.due_at is None or case.due_at <= now
    unsigned = back == CaseState.ASSIGNED and case.sign_due_at and case.sign_due_at <= now
    if handled and (due_at is not None or lapsed or unsigned):
        set_deadlines(case, now=now, due_at=due_at)
        case.escalation_level = 0
        fields += [*DEADLINE_FIELDS, "escalation_level"]
    case.parked_from = ""
    case.review_on = None
    save_moved(case, back, fields, now=now)
    events.case_unparked(case, actor=actor, note=note, at=now)
    return case
