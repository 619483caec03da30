"""Requests as the viewer may see them, duplicates, and the public tracking look-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import NotFound
from casework.models import OPEN_STATES, CaseState, Category, OrgUnit, UnitKind
from casework.selectors.org import compound_name
from casework.selectors.scope import scope_for
from requests_app.models import Request, RequestStatus
from requests_app.similarity import degree_box, distance_m, text_similarity

#: Which states of a case still take duplicates (resolved: waiting for the resident's answer).
JOINABLE_CASE_STATES = (*OPEN_STATES, CaseState.RESOLVED)


def request_list(*, viewer, mine: bool = False) -> QuerySet[Request]:
    """Requests about places in the viewer's scope, newest first, joins done.

    Rows carry their category, place, resident, collector and case; photos are prefetched, so
    a page of any size costs the same number of queries.
    """
    scope = scope_for(viewer)
    qs = Request.objects.filter(scope.units_q("unit__"))
    if mine:
        qs = qs.filter(collected_by=viewer)
    return (
        qs.select_related(
            "category", "category__parent", "unit", "resident", "collected_by", "case", "visit"
        )
        .prefetch_related("photos")
        .annotate(compound_name=compound_name("unit__path"))
    )


def request_get(*, viewer, pk) -> Request:
    """The request ``pk`` if the viewer may see it; ``NotFound`` otherwise (never a 403)."""
    try:
        return request_list(viewer=viewer).get(pk=pk)
    except (Request.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such request.")) from None


def _place_prefix(unit: OrgUnit) -> str:
    """The compound of a building or compound; the grid itself for a grid."""
    if unit.kind == UnitKind.BUILDING:
        return unit.parent_path()
    return unit.path


@dataclass(frozen=True)
class Candidate:
    request: Request
    score: float
    distance: float | None


def request_duplicate_candidates(
    *,
    viewer,
    category: Category,
    unit: OrgUnit,
    description: str,
    latitude=None,
    longitude=None,
    exclude: int | None = None,
    days: int = 30,
    radius_m: float = 300,
    min_similarity: float = 0.15,
    limit: int = 5,
) -> list[Candidate]:
    """Earlier requests that the new one may duplicate: same category, same compound (or a
    point within ``radius_m``), collected in the last ``days``, with a case that still takes
    duplicates, and a description at least ``min_similarity`` alike. Best first.

    One query of at most 100 rows, the text compared in Python, then one query for the photos
    of those returned (the API shows them with each candidate).
    """
    near = Q(unit__path__startswith=_place_prefix(unit))
    if latitude not in (None, "") and longitude not in (None, ""):
        lat, lng = float(latitude), float(longitude)
        south, north, west, east = degree_box(lat, lng, radius_m)
        near |= Q(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
    else:
        lat = lng = None
    qs = (
        request_list(viewer=viewer)
        .filter(
            near,
            category=category,
            status=RequestStatus.CASE_OPENED,
            case__state__in=JOINABLE_CASE_STATES,
            collected_at__gte=timezone.now() - timedelta(days=days),
        )
        .prefetch_related(None)
        .order_by("-collected_at")
    )
    if exclude:
        qs = qs.exclude(pk=exclude)
    found = []
    for row in qs[:100]:
        distance = None
        if lat is not None and row.latitude is not None:
            distance = distance_m(lat, lng, float(row.latitude), float(row.longitude))
            if distance > radius_m and not row.unit.path.startswith(_place_prefix(unit)):
                continue
        score = text_similarity(description, row.description)
        if score >= min_similarity:
            found.append(Candidate(request=row, score=score, distance=distance))
    found.sort(key=lambda c: (-c.score, -c.request.collected_at.timestamp()))
    found = found[:limit]
    prefetch_related_objects([c.request for c in found], "photos")
    return found


def request_track(*, code: str) -> Request | None:
    """The request with this tracking code, for the public page; no scope, no personal data
    is read beyond what the page shows."""
    if not code:
        return None
    return (
        Request.objects.select_related("category", "case")
        .only(
            "tracking_code",
            "status",
            "channel",
            "collected_at",
            "decided_at",
            "category__name",
            "category__name_en",
            "case__state",
            "case__created_at",
            "case__closed_at",
        )
        .filter(tracking_code=code)
        .first()
    )
