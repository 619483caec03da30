"""Visits with their counts, as the viewer may see them."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from casework.errors import NotFound
from casework.selectors.scope import scope_for
from requests_app.models import RequestStatus, Visit

COUNT_KEYS = ("collected", "answered_on_spot", "case_opened", "merged", "rejected")


def visit_list(*, viewer, mine: bool = False) -> QuerySet[Visit]:
    """Visits to places in the viewer's scope, newest first, each with its counts annotated:
    ``n_collected`` (every request it collected) and one ``n_<status>`` per outcome."""
    scope = scope_for(viewer)
    qs = Visit.objects.filter(scope.units_q("unit__"))
    if mine:
        qs = qs.filter(visitor=viewer)
    counts = {"n_collected": Count("requests")}
    for status in (s for s in RequestStatus.values if s != RequestStatus.COLLECTED):
        counts[f"n_{status}"] = Count("requests", filter=Q(requests__status=status))
    counts["n_pending"] = Count("requests", filter=Q(requests__status=RequestStatus.COLLECTED))
    return qs.select_related("unit", "visitor").annotate(**counts).order_by("-visited_at", "-id")


def visit_counts(visit: Visit) -> dict[str, int]:
    """The article's figures for a visit from ``visit_list``: collected, answered on the
    spot, opened as cases, merged, rejected (and still pending)."""
    return {
        "collected": visit.n_collected,
        "answered_on_spot": visit.n_answered_on_spot,
        "case_opened": visit.n_case_opened,
        "merged": visit.n_merged,
        "rejected": visit.n_rejected,
        "pending": visit.n_pending,
    }


def visit_get(*, viewer, pk) -> Visit:
    try:
        return visit_list(viewer=viewer).get(pk=pk)
    except (Visit.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such visit.")) from None
