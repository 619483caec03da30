"""Meetings as the viewer may see them, and the report's figures of meetings and topics."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.calendar import MAX_YEAR, MIN_YEAR
from casework.errors import NotFound, ValidationFailed
from casework.models import AgendaItem, Meeting, MeetingType, OrgUnit
from casework.models.consultations import FOUR_PARTY
from casework.selectors.scope import scope_for


def meeting_list(*, viewer) -> QuerySet[Meeting]:
    scope = scope_for(viewer)
    return (
        Meeting.objects.filter(scope.units_q("unit__"))
        .select_related("type", "unit", "created_by")
        .prefetch_related(
            "participants",
            Prefetch("agenda", queryset=AgendaItem.objects.select_related("case")),
        )
        .annotate(
            cases_count=Count("agenda", distinct=True),
            solved_count=Count("agenda", filter=Q(agenda__resolved=True), distinct=True),
        )
        .order_by("-held_at", "-id")
    )


def meeting_get(*, viewer, pk) -> Meeting:
    try:
        return meeting_list(viewer=viewer).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such meeting."), field="meeting") from None


def meeting_figures(
    *,
    viewer,
    unit: OrgUnit | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict:
    """Meetings held, topics raised and problems solved, by type, as the report counts them.

    Over the meetings the viewer may see (within ``unit``'s subtree when given) held in
    [start, end): "meetings held" counts meetings, "topics raised" their topics (议题), "problems
    solved" their settled topics, each problem once (a case's topic settled again at a later
    meeting is not counted again), and "through four-party consultation" those solved at a
    四方协商. Three queries, however many meetings.
    """
    meetings = Meeting.objects.filter(scope_for(viewer).units_q("unit__"))
    return _figures(meetings, unit=unit, start=start, end=end)


def _in(meetings, *, unit, start, end):
    if unit is not None:
        meetings = meetings.filter(unit__path__startswith=unit.path)
    if start:
        meetings = meetings.filter(held_at__gte=start)
    if end:
        meetings = meetings.filter(held_at__lt=end)
    return meetings


def _topics_of(meetings):
    """The topics of ``meetings``, each marked ``again`` when its case was settled at an earlier
    meeting (held earlier, or at the same time and recorded first), wherever that was: then
    settling it solves no new problem."""
    settled_before = AgendaItem.objects.filter(
        case=OuterRef("case"), case__isnull=False, resolved=True
    ).filter(
        Q(meeting__held_at__lt=OuterRef("meeting__held_at"))
        | Q(meeting__held_at=OuterRef("meeting__held_at"), meeting__lt=OuterRef("meeting"))
    )
    return (
        AgendaItem.objects.filter(meeting__in=meetings.values("pk"))
        .annotate(again=Exists(settled_before))
        .order_by()
    )


#: A settled topic that is a problem solved (the first settlement of its case, or no case).
SOLVED = Q(resolved=True, again=False)


def _figures(meetings, *, unit, start, end) -> dict:
    meetings = _in(meetings, unit=unit, start=start, end=end)
    held = dict(meetings.order_by().values_list("type_id").annotate(n=Count("id")))
    topics = {
        row["meeting__type_id"]: row
        for row in _topics_of(meetings)
        .values("meeting__type_id")
        .annotate(raised=Count("id"), solved=Count("id", filter=SOLVED))
    }
    by_type = []
    for kind in MeetingType.objects.order_by("order", "code"):
        row = topics.get(kind.code, {})
        counts = {
            "meetings": held.get(kind.code, 0),
            "topics": row.get("raised", 0),
            "solved": row.get("solved", 0),
        }
        if kind.active or any(counts.values()):
            by_type.append({"code": kind.code, "name": kind.name, **counts})
    total = {key: sum(row[key] for row in by_type) for key in ("meetings", "topics", "solved")}
    four_party = next((row["solved"] for row in by_type if row["code"] == FOUR_PARTY), 0)
    return {**total, "solved_four_party": four_party, "by_type": by_type}


def unit_meeting_figures(
    *, unit: OrgUnit, start: datetime | None = None, end: datetime | None = None
) -> dict:
    """``meeting_figures`` for ``unit``'s subtree, unscoped (the caller checked the viewer may
    see ``unit``: the dashboard)."""
    return _figures(Meeting.objects.all(), unit=unit, start=start, end=end)


def consultation_figures(
    *, unit: OrgUnit, start: datetime | None = None, end: datetime | None = None
) -> dict[str, int]:
    """ "Meetings held, problems solved" for a unit's subtree, as the article counts them."""
    meetings = _in(Meeting.objects.all(), unit=unit, start=start, end=end)
    solved = _topics_of(meetings).filter(SOLVED).count()
    return {"meetings": meetings.count(), "solved": solved}


def meeting_period(
    first: date | None, last: date | None
) -> tuple[datetime | None, datetime | None]:
    """Local days [first, last] (either open) → aware datetimes [start, end) for the figures."""
    for day, field in ((first, "from"), (last, "to")):
        if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR:
            raise ValidationFailed(
                _("%(day)s is not a day from %(first)d to %(last)d.")
                % {"day": day.isoformat(), "first": MIN_YEAR, "last": MAX_YEAR},
                field=field,
            )
    if first and last and last < first:
        raise ValidationFailed(_("The period ends before it starts."), field="to")

    def midnight(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time.min))

    return (
        midnight(first) if first else None,
        midnight(last + timedelta(days=1)) if last else None,
    )
