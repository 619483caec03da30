"""Consultation meetings as the viewer may see them, and the article's counts."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from casework.errors import NotFound
from casework.models import AgendaItem, Meeting, OrgUnit
from casework.selectors.scope import scope_for


def meeting_list(*, viewer) -> QuerySet[Meeting]:
    scope = scope_for(viewer)
    return (
        Meeting.objects.filter(scope.units_q("unit__"))
        .select_related("unit", "created_by")
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


def consultation_figures(
    *, unit: OrgUnit, start: datetime | None = None, end: datetime | None = None
) -> dict[str, int]:
    """ "Meetings held, problems solved" for a unit's subtree, as the article counts them."""
    meetings = Meeting.objects.filter(unit__path__startswith=unit.path)
    if start:
        meetings = meetings.filter(held_at__gte=start)
    if end:
        meetings = meetings.filter(held_at__lt=end)
    solved = AgendaItem.objects.filter(meeting__in=meetings, resolved=True).count()
    return {"meetings": meetings.count(), "solved": solved}
