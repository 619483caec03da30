"""Requests as the viewer may see them, duplicates, and the public tracking look-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import NotFound
from casework.models import OPEN_STATES, Case, CaseState, Category, OrgUnit, UnitKind
from casework.selectors.cases import case_scope_q
from casework.selectors.org import compound_name
from casework.selectors.scope import Scope, scope_for
from requests_app.models import Request, RequestStatus
from requests_app.similarity import degree_box, distance_m, text_similarity

#: Which states of a case still take duplicates (resolved: waiting for the resident's answer).
JOINABLE_CASE_STATES = (*OPEN_STATES, CaseState.RESOLVED)


def _joined(qs: QuerySet[Request]) -> QuerySet[Request]:
    """What a request's row and page show, joined; photos prefetched."""
    return (
        qs.select_related(
            "category", "category__parent", "unit", "resident", "collected_by", "case", "visit"
        )
        .prefetch_related("photos")
        .annotate(compound_name=compound_name("unit__path"))
    )


def request_list(*, viewer, mine: bool = False) -> QuerySet[Request]:
    """Requests about places in the viewer's scope, newest first, joins done.

    Rows carry their category, place, resident, collector and case; photos are prefetched, so
    a page of any size costs the same number of queries.
    """
    scope = scope_for(viewer)
    qs = Request.objects.filter(scope.units_q("unit__"))
    if mine:
        qs = qs.filter(collected_by=viewer)
    return _joined(qs)


def request_get(*, viewer, pk) -> Request:
    """The request ``pk`` if the viewer may see it; ``NotFound`` otherwise (never a 403).

    Everything done to a request (decisions, reveals) reads it through here: only those whose
    scope covers its place. A party to its case who sits elsewhere reads it through
    ``request_read``."""
    try:
        return request_list(viewer=viewer).get(pk=pk)
    except (Request.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such request.")) from None


def _readable_q(scope: Scope) -> Q:
    """Requests about a place in scope, or linked to a case the viewer may see (every party to
    a case does: its supervisor, lead handler, co-handlers and collector; see
    ``casework.selectors.cases.case_scope_q``)."""
    if scope.everything:
        return Q()
    visible_cases = Case.objects.filter(case_scope_q(scope)).values("pk")
    return scope.units_q("unit__") | Q(case__in=visible_cases)


def request_read(*, viewer, pk) -> Request:
    """The request ``pk`` to read: in the viewer's scope, or linked to a case the viewer may
    see (a handler in a company or department reading what the case is about). One query.

    ``in_scope`` tells which: out of scope, the reader is a party to the case only and gets the
    request read-only: no decisions, no reveals, the resident masked (``resident_masked``).
    ``NotFound`` for anyone else (never a 403)."""
    scope = scope_for(viewer)
    try:
        found = _joined(Request.objects.filter(_readable_q(scope))).get(pk=pk)
    except (Request.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such request.")) from None
    found.in_scope = scope.covers_path(found.unit.path)
    _mask_resident(found)
    return found


def mask_name(name: str) -> str:
    """``王伟`` → ``王*``, ``欧阳娜娜`` → ``欧***``: the first character stays."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * min(len(name) - 1, 3) if len(name) > 1 else "*"


def _mask_resident(row: Request) -> None:
    resident = row.resident
    row.resident_masked = (
        {"name": mask_name(resident.name), "phone": resident.phone_masked}
        if resident is not None
        else None
    )


def case_requests(*, case) -> list[Request]:
    """The requests behind ``case``, oldest first, for everyone who may see the case (the
    caller has checked that): text, category, place, channel, photos, the resident masked
    (``resident_masked``). Two queries however many requests and photos; none when the case
    was read with its requests prefetched (``case_list``) and has none."""
    prefetched = getattr(case, "_prefetched_objects_cache", {}).get("requests")
    if prefetched is not None and not prefetched:
        return []
    rows = list(_joined(Request.objects.filter(case=case)).order_by("collected_at", "pk"))
    for row in rows:
        _mask_resident(row)
    return rows


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
