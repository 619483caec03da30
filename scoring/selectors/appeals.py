"""Appeals (申诉) as the viewer may see them, and what the "why these points" page shows of them.

A viewer sees their own appeals and those they may decide (a supervisor or admin of the county
or city above where the appellant was ranked). Out of scope is ``NotFound``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import NotFound
from scoring.access import appeal_decider_paths
from scoring.models import (
    Appeal,
    AppealEvent,
    AppealStatus,
    Quarter,
    QuarterStatus,
    ScoreEntry,
    entry_key,
)
from scoring.selectors.rules import policy_get


def appeal_closes_on(quarter: Quarter, days: int | None = None) -> date:
    """The last day on which an entry of ``quarter`` may be appealed: ``days`` (the policy's
    ``appeal_days``) after the quarter's last day. Counted from the quarter's end, not from its
    latest computation, so the scheduled recomputations cannot keep the window open."""
    if days is None:
        days = policy_get().appeal_days
    return quarter.last_day + timedelta(days=days)


def appeal_window_refusal(quarter: Quarter, *, today: date | None = None) -> str | None:
    """Why no entry of ``quarter`` may be appealed today, or ``None`` when they may."""
    today = today or timezone.localdate()
    if quarter.status == QuarterStatus.PUBLISHED:
        return _("Quarter %(quarter)s is published: its points can no longer be appealed.") % {
            "quarter": quarter.code
        }
    if quarter.status != QuarterStatus.COMPUTED:
        return _("Quarter %(quarter)s has not been computed yet.") % {"quarter": quarter.code}
    closes = appeal_closes_on(quarter)
    if today > closes:
        return _(
            "Appeals of quarter %(quarter)s closed on %(date)s (%(days)s days after its end)."
        ) % {
            "quarter": quarter.code,
            "date": closes.isoformat(),
            "days": (closes - quarter.last_day).days,
        }
    return None


def _visible_q(viewer) -> Q:
    q = Q(person=viewer)
    for path in appeal_decider_paths(viewer):
        q |= Q(unit__path__startswith=path)
    return q


def appeal_list(
    *,
    viewer,
    quarter: Quarter | None = None,
    status: str | None = None,
    mine: bool = False,
    deciding: bool = False,
) -> QuerySet[Appeal]:
    """The appeals the viewer may see, pending first, then the latest filed.

    ``mine``: only the viewer's own; ``deciding``: only those the viewer may decide (not their
    own). Two queries (the viewer's deciding paths, then the list) whatever the rows.
    """
    if mine:
        q = Q(person=viewer)
    elif deciding:
        paths = appeal_decider_paths(viewer)
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(unit__path__startswith=path)
        q &= ~Q(person=viewer)
    else:
        q = _visible_q(viewer)
    qs = Appeal.objects.filter(q)
    if quarter is not None:
        qs = qs.filter(quarter=quarter)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("quarter", "person", "unit", "indicator", "decided_by")
        .annotate(
            pending_first=Case(
                When(status=AppealStatus.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("pending_first", "-filed_at", "-pk")
    )


def appeal_get(*, viewer, pk) -> Appeal:
    """One appeal the viewer may see, with its history."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound(_("No such appeal."), field="appeal") from None
    events = AppealEvent.objects.select_related("actor").order_by("at", "pk")
    appeal = (
        appeal_list(viewer=viewer)
        .prefetch_related(Prefetch("events", queryset=events, to_attr="history"))
        .filter(pk=pk)
        .first()
    )
    if appeal is None:
        raise NotFound(_("No such appeal."), field="appeal")
    return appeal


def pending_appeal_count(quarter: Quarter) -> int:
    return Appeal.objects.filter(quarter=quarter, status=AppealStatus.PENDING).count()


def attach_appeals(*, viewer, quarter: Quarter, person, lines) -> list[Appeal]:
    """Give each explained line its appeals (``line.appeals``), whether the viewer may appeal it
    now (``line.appealable``) and, for an appeal's correction, the appeal (``line.corrects``).

    Appeals are matched to the current entries by ``entry_key``, since computing the quarter
    again replaces derived entries. Returns the appeals whose entry is no longer in the ledger.
    One query.
    """
    appeals = list(
        Appeal.objects.filter(quarter=quarter, person=person)
        .select_related("decided_by", "indicator")
        .order_by("-filed_at", "-pk")
    )
    by_key: dict[str, list[Appeal]] = defaultdict(list)
    by_pk = {appeal.pk: appeal for appeal in appeals}
    for appeal in appeals:
        by_key[appeal.entry_key].append(appeal)
    own = viewer.pk == person.pk
    window_open = own and appeal_window_refusal(quarter) is None
    seen: set[str] = set()
    for line in lines:
        entry: ScoreEntry = line.entry
        key = entry_key(entry)
        seen.add(key)
        line.appeals = by_key.get(key, [])
        line.corrects = by_pk.get(entry.detail.get("appeal")) if entry.manual else None
        line.appealable = (
            window_open
            and line.corrects is None
            and not any(appeal.is_pending for appeal in line.appeals)
        )
    return [appeal for appeal in appeals if appeal.entry_key not in seen]
