"""A quarter's life: compute (any number of times), publish (once ended), reopen (recorded).

The actor is a top administrator, or ``None`` for the system (the ``compute_quarter`` command
and the scheduled task). ``now`` is the clock, passed in by tests and the demo.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict, ValidationFailed
from casework.text import clean_text
from scoring.access import require_top_admin
from scoring.calc import QuarterKey, terms_from
from scoring.models import (
    Appeal,
    AppealStatus,
    Interview,
    InterviewStatus,
    Quarter,
    QuarterAction,
    QuarterActionKind,
    QuarterStatus,
    ScoreResult,
    Subject,
)
from scoring.selectors.rules import terms_snapshot
from scoring.services import compute
from scoring.services.aggregates import Window


def quarter_key(quarter: str | Quarter | QuarterKey) -> QuarterKey:
    """Read ``2026Q3`` (or a quarter) as a ``QuarterKey``; ``ValidationFailed`` otherwise."""
    if isinstance(quarter, QuarterKey):
        return quarter
    if isinstance(quarter, Quarter):
        return QuarterKey(quarter.year, quarter.number)
    try:
        return QuarterKey.parse(quarter)
    except ValueError:
        raise ValidationFailed(
            _("Write a quarter as year, Q and number, e.g. 2026Q3."), field="quarter"
        ) from None


def quarter_get_or_create(quarter: str | Quarter | QuarterKey) -> Quarter:
    """The quarter row, created (not computed) the first time it is needed."""
    key = quarter_key(quarter)
    start, end = key.bounds(timezone.get_default_timezone())
    row, _created = Quarter.objects.get_or_create(
        code=key.code,
        defaults={"year": key.year, "number": key.number, "starts_at": start, "ends_at": end},
    )
    return row


def _locked(quarter) -> Quarter:
    row = quarter_get_or_create(quarter)
    return Quarter.objects.select_for_update().get(pk=row.pk)


def _record(quarter: Quarter, kind: str, actor, at: datetime, note: str = "", **data):
    QuarterAction.objects.create(
        quarter=quarter, kind=kind, actor=actor, at=at, note=note, data=data
    )


@transaction.atomic
def quarter_compute(
    *, quarter: str | Quarter | QuarterKey, actor=None, now: datetime | None = None
) -> Quarter:
    """Compute the quarter's ledger and ranking from its case events and evidence.

    Replaces the quarter's derived entries and results and keeps manual entries, so computing
    twice gives the same result. A quarter in progress may be computed at any time; its ranking
    is then provisional. Refused for a published quarter (reopen it first) and for one that has
    not started. Records a ``computed`` action with the counts.
    """
    require_top_admin(actor)
    now = now or timezone.now()
    row = _locked(quarter)
    if row.status == QuarterStatus.PUBLISHED:
        raise Conflict(
            _("Quarter %(quarter)s is published; reopen it before computing it again.")
            % {"quarter": row.code},
            code="quarter_published",
            field="quarter",
        )
    if now < row.starts_at:
        raise ValidationFailed(_("This quarter has not started yet."), field="quarter")
    key = quarter_key(row)
    window = Window(row.starts_at, row.ends_at, key.first_day, key.last_day, row.pk)
    snapshot = terms_snapshot()
    entries = compute.write_entries(row, window, now)
    results = compute.write_results(row, terms_from(snapshot))
    row.status = QuarterStatus.COMPUTED
    row.computed_at = now
    row.stale = False
    row.terms = snapshot
    row.entry_count = row.entries.count()
    row.result_count = results
    row.save(
        update_fields=[
            "status",
            "computed_at",
            "stale",
            "terms",
            "entry_count",
            "result_count",
        ]
    )
    _record(
        row,
        QuarterActionKind.COMPUTED,
        actor,
        now,
        derived_entries=entries,
        results=results,
        provisional=row.is_provisional,
    )
    return row


@transaction.atomic
def quarter_publish(
    *, quarter: str | Quarter | QuarterKey, actor=None, now: datetime | None = None
) -> Quarter:
    """Publish an ended, freshly computed quarter: its ledger and ranking freeze, and its 约谈
    list is written down (talks already held are kept). Refused while an appeal of it (申诉)
    awaits a decision. Records a ``published`` action."""
    require_top_admin(actor)
    now = now or timezone.now()
    row = _locked(quarter)
    if row.status == QuarterStatus.PUBLISHED:
        raise Conflict(
            _("This quarter is already published."), code="quarter_published", field="quarter"
        )
    if now < row.ends_at:
        raise ValidationFailed(
            _("Only a quarter that has ended can be published."), field="quarter"
        )
    pending = Appeal.objects.filter(quarter=row, status=AppealStatus.PENDING).count()
    if pending:
        raise Conflict(
            _("Appeals of this quarter awaiting a decision: %(count)d. Decide them, then publish.")
            % {"count": pending},
            code="appeals_pending",
            field="quarter",
        )
    if row.status != QuarterStatus.COMPUTED or row.computed_at < row.ends_at or row.stale:
        raise Conflict(
            _("The results are out of date: compute the quarter again, then publish it."),
            code="quarter_not_computed",
            field="quarter",
        )
    listed = _sync_interviews(row)
    row.status = QuarterStatus.PUBLISHED
    row.published_at = now
    row.save(update_fields=["status", "published_at"])
    _record(row, QuarterActionKind.PUBLISHED, actor, now, interviews=listed)
    return row


@transaction.atomic
def quarter_reopen(
    *, quarter: str | Quarter | QuarterKey, actor, reason: str, now: datetime | None = None
) -> Quarter:
    """Unfreeze a published quarter so it can be corrected and computed again.

    Only a top administrator, never the system, and only with a reason; recorded as a
    ``reopened`` action.
    """
    if actor is None:
        raise ValidationFailed(_("Reopening a quarter needs an administrator."), field="actor")
    require_top_admin(actor)
    reason = clean_text(
        reason, field="reason", limit=2000, required=True, label=_("Why reopen it")
    )
    now = now or timezone.now()
    row = _locked(quarter)
    if row.status != QuarterStatus.PUBLISHED:
        raise Conflict(_("Only a published quarter can be reopened."), field="quarter")
    row.status = QuarterStatus.COMPUTED
    row.published_at = None
    row.save(update_fields=["status", "published_at"])
    _record(row, QuarterActionKind.REOPENED, actor, now, note=reason)
    return row


#: How long after a quarter ends the scheduled task keeps computing it again, so evidence
#: logged late still counts before an admin publishes it.
CATCH_UP_DAYS = 15


def quarters_due(*, today: date | None = None) -> list[QuarterKey]:
    """The quarters the scheduled task computes: the one in progress (provisional) and, for
    ``CATCH_UP_DAYS`` after it ended, the previous one unless it is published."""
    today = today or timezone.localdate()
    current = QuarterKey.of(today)
    due = [current]
    previous = current.previous()
    if (today - previous.last_day).days <= CATCH_UP_DAYS and not Quarter.objects.filter(
        code=previous.code, status=QuarterStatus.PUBLISHED
    ).exists():
        due.insert(0, previous)
    return due


def _sync_interviews(quarter: Quarter) -> int:
    """Make the quarter's 约谈 list match its results; talks already held are never dropped."""
    flagged = {
        (r.person_id, r.unit_id if r.subject == Subject.COMMUNITY else None): r
        for r in ScoreResult.objects.filter(quarter=quarter).exclude(interview_reason="")
    }
    existing = {
        (i.person_id, i.unit_id if i.subject == Subject.COMMUNITY else None): i
        for i in Interview.objects.filter(quarter=quarter)
    }
    stale = [
        i.pk
        for key, i in existing.items()
        if key not in flagged and i.status == InterviewStatus.PENDING
    ]
    Interview.objects.filter(pk__in=stale).delete()
    updated, created = [], []
    for key, result in flagged.items():
        values = {
            "reason": result.interview_reason,
            "total": result.total,
            "rank_in_town": result.rank_in_town,
            "town_size": result.town_size,
            "unit_id": result.unit_id,
        }
        interview = existing.get(key)
        if interview is None:
            created.append(
                Interview(
                    quarter=quarter, subject=result.subject, person_id=result.person_id, **values
                )
            )
        elif interview.status == InterviewStatus.PENDING:
            for name, value in values.items():
                setattr(interview, name, value)
            updated.append(interview)
    Interview.objects.bulk_create(created)
    Interview.objects.bulk_update(
        updated, ["reason", "total", "rank_in_town", "town_size", "unit_id"]
    )
    return len(flagged)
