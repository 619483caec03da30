"""Manual ledger entries (points given or taken by hand, with a reason) and the 约谈 record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from casework.models import OrgUnit, Role
from casework.selectors.scope import scope_for
from casework.text import clean_text
from casework.workflow import SUPERVISORS
from scoring.access import check_past_date, person_paths
from scoring.models import (
    Indicator,
    Interview,
    InterviewStatus,
    Quarter,
    QuarterStatus,
    ScoreEntry,
    SourceKind,
)

MAX_MANUAL_POINTS = Decimal(100)


def _administers(actor, paths: list[str]) -> bool:
    scope = scope_for(actor)
    return scope.everything or any(scope.has_role(Role.ADMIN, path=path) for path in paths)


def _open_quarter(quarter: Quarter) -> Quarter:
    quarter = Quarter.objects.select_for_update().get(pk=quarter.pk)
    if quarter.status == QuarterStatus.PUBLISHED:
        raise Conflict(
            _("Quarter %(quarter)s is published; reopen it before changing its ledger.")
            % {"quarter": quarter.code},
            code="quarter_published",
            field="quarter",
        )
    return quarter


def _changed(quarter: Quarter) -> None:
    if quarter.status == QuarterStatus.COMPUTED and not quarter.stale:
        quarter.stale = True
        quarter.save(update_fields=["stale"])


@transaction.atomic
def score_entry_add(
    *,
    actor,
    quarter: Quarter,
    indicator: Indicator,
    points,
    reason: str,
    person=None,
    unit: OrgUnit | None = None,
) -> ScoreEntry:
    """Give or take points by hand for a person or a unit, with a reason.

    By an admin over the subject. Kept when the quarter is computed again; refused once it is
    published. Flags a computed quarter as changed.
    """
    if (person is None) == (unit is None):
        raise ValidationFailed(_("Choose either a person or a unit."), field="person")
    paths = person_paths(person) if person is not None else [unit.path]
    if not _administers(actor, paths):
        raise NotPermitted(_("Only an administrator over them may change their points."))
    try:
        points = Decimal(str(points)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise ValidationFailed(_("Give the points as a number."), field="points") from None
    if points == 0 or abs(points) > MAX_MANUAL_POINTS:
        raise ValidationFailed(_("Between -100 and 100 points, and not zero."), field="points")
    reason = clean_text(reason, field="reason", limit=2000, required=True, label=_("Reason"))
    quarter = _open_quarter(quarter)
    entry = ScoreEntry.objects.create(
        quarter=quarter,
        person=person,
        unit=unit,
        indicator=indicator,
        source=SourceKind.MANUAL,
        quantity=Decimal(1),
        per=None,
        points=points,
        manual=True,
        reason=reason,
        created_by=actor,
        created_at=timezone.now(),
    )
    _changed(quarter)
    return entry


@transaction.atomic
def score_entry_remove(*, actor, entry: ScoreEntry) -> None:
    """Remove a manual entry (derived entries are only ever replaced by computing).

    An entry that is gone (removed meanwhile) and one the actor does not administer both raise
    ``NotFound``, alike: a refusal must not tell who the entry is about.
    """
    entry = ScoreEntry.objects.select_related("person", "unit").filter(pk=entry.pk).first()
    if entry is None:
        raise NotFound(_("No such entry."), field="entry")
    paths = person_paths(entry.person) if entry.person_id else [entry.unit.path]
    if not _administers(actor, paths):
        raise NotFound(_("No such entry."), field="entry")
    if not entry.manual:
        raise ValidationFailed(
            _("Only entries made by hand can be removed."), field="entry", code="derived"
        )
    quarter = _open_quarter(entry.quarter)
    entry.delete()
    _changed(quarter)


@transaction.atomic
def interview_record(
    *,
    actor,
    interview: Interview,
    held_on: date,
    notes: str,
    interviewee: str = "",
    follow_up: str = "",
    follow_up_due: date | None = None,
    annual_grade_lowered: bool = False,
    bonus_withheld: bool = False,
) -> Interview:
    """Record a corrective talk (约谈) and its consequences.

    By a supervisor or admin over the unit above the one talked with (a community's own
    supervisor does not record the talk about their community), never by the person talked
    with. The quarter must be published. Recording again corrects the record.
    """
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("quarter", "unit", "person")
        .get(pk=interview.pk)
    )
    if interview.person_id == actor.pk:
        raise NotPermitted(_("Nobody records their own talk."), field="interview")
    parent_path = interview.unit.path[: -OrgUnit.steplen] or interview.unit.path
    if not scope_for(actor).has_role(*SUPERVISORS, path=parent_path):
        raise NotPermitted(_("Only a supervisor above them may record this talk."))
    if interview.quarter.status != QuarterStatus.PUBLISHED:
        raise Conflict(_("Talks are recorded for published quarters."), field="quarter")
    check_past_date(held_on, field="held_on")
    if held_on < timezone.localdate(interview.quarter.ends_at):
        raise ValidationFailed(_("The talk follows the quarter."), field="held_on")
    interviewee = clean_text(interviewee, field="interviewee", limit=64, label=_("Talked with"))
    notes = clean_text(notes, field="notes", limit=4000, required=True, label=_("Notes"))
    follow_up = clean_text(follow_up, field="follow_up", limit=2000, label=_("Follow-up"))
    if follow_up_due is not None and follow_up_due < held_on:
        raise ValidationFailed(_("The follow-up is due after the talk."), field="follow_up_due")
    interview.status = InterviewStatus.HELD
    interview.held_on = held_on
    interview.held_by = actor
    interview.interviewee = interviewee or interview.subject_name[:64]
    interview.notes = notes
    interview.follow_up = follow_up
    interview.follow_up_due = follow_up_due
    interview.annual_grade_lowered = bool(annual_grade_lowered)
    interview.bonus_withheld = bool(bonus_withheld)
    interview.recorded_by = actor
    interview.recorded_at = timezone.now()
    interview.save()
    return interview
