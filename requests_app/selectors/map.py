"""Requests and hot spots on a map, as the viewer may see them: a GeoJSON FeatureCollection.

A request is drawn where it was collected when the tablet sent a position, otherwise at its
place; a place with no coordinates of its own (a building) is drawn at its nearest ancestor's.
Requests at the same place are spread on a small spiral so that each stays tappable.

Four queries whatever the number of points: the viewer's scope, the newest requests (at most
``MAP_POINT_LIMIT``), the count per compound (the hot spots, over every matching request), and
the coordinates of every place and ancestor they name. Nothing about the resident is read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.errors import NotPermitted, ValidationFailed
from casework.models import CaseState, Category, OrgUnit, Role
from casework.selectors.org import COMPOUND_PATH_LEN
from casework.selectors.scope import scope_for
from requests_app.models import Request, RequestStatus

#: Who sees the map: the field roles that walk the compounds, and those who supervise them.
MAP_ROLES = (Role.GRID_WORKER, Role.MINQING_SECRETARY, Role.SUPERVISOR, Role.ADMIN)
#: The most request points one answer carries (the newest); hot spots always count them all.
MAP_POINT_LIMIT = 2000
#: The most hot spots one answer carries (the busiest).
MAP_HOTSPOT_LIMIT = 300
#: Periods offered, in days back from now.
PERIODS = {
    "7": gettext_lazy("Last 7 days"),
    "30": gettext_lazy("Last 30 days"),
    "90": gettext_lazy("Last 90 days"),
    "365": gettext_lazy("Last 12 months"),
}
DEFAULT_PERIOD = "30"

#: What a point's shape and colour say, for the legend and the popups.
MAP_STATUSES = {
    "waiting": gettext_lazy("Waiting for a decision"),
    "working": gettext_lazy("Being handled"),
    "done": gettext_lazy("Answered or resolved"),
    "dropped": gettext_lazy("Rejected or cancelled"),
}

#: Spiral step between requests drawn at the same place (degrees, about 11 m).
SPREAD = 0.0001
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def map_status(status: str, case_state: str | None) -> str:
    """One of ``MAP_STATUSES`` for a request and its case."""
    if status == RequestStatus.COLLECTED:
        return "waiting"
    if status == RequestStatus.ANSWERED_ON_SPOT:
        return "done"
    if status == RequestStatus.REJECTED:
        return "dropped"
    if case_state in (CaseState.RESOLVED, CaseState.CLOSED):
        return "done"
    if case_state == CaseState.CANCELLED:
        return "dropped"
    # Open, parked (挂账), or a case not yet read.
    return "working"


def map_check_viewer(viewer) -> None:
    """Supervisors, grid workers and 民情书记 see the map; anyone else is refused (403)."""
    if not scope_for(viewer).has_role(*MAP_ROLES):
        raise NotPermitted(_("The map is for grid workers, Minqing secretaries and supervisors."))


@dataclass(frozen=True)
class MapQuery:
    period: str
    category: Category | None
    start: datetime
    end: datetime


def map_query(*, period: str | None, category: str | None) -> MapQuery:
    """Parse the filters: ``period`` one of ``PERIODS`` (days), ``category`` a category code
    (a group takes in its own categories). A bad value names its field."""
    period = (period or DEFAULT_PERIOD).strip()
    if period not in PERIODS:
        raise ValidationFailed(
            _("Choose a period of %(choices)s days.") % {"choices": ", ".join(PERIODS)},
            field="period",
        )
    found = None
    if category:
        found = Category.objects.filter(code=category.strip()).first()
        if found is None:
            raise ValidationFailed(_("No such category."), field="category")
    end = timezone.now()
    return MapQuery(
        period=period, category=found, start=end - timedelta(days=int(period)), end=end
    )


def map_query_for(*, viewer, params) -> MapQuery:
    """The map as both doors ask for it (the page and ``GET /api/v1/map/points/``): the viewer
    checked (:func:`map_check_viewer`), then the query string's ``period`` and ``category``
    parsed (:func:`map_query`)."""
    map_check_viewer(viewer)
    return map_query(period=params.get("period"), category=params.get("category"))


def _category_name(category_name: str, category_name_en: str, english: bool) -> str:
    return category_name_en if english and category_name_en else category_name


def _prefixes(path: str) -> list[str]:
    step = OrgUnit.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def _point_of(path: str, places: dict[str, dict]) -> tuple[float, float] | None:
    """(lat, lng) of the place at ``path`` or of its nearest ancestor that has one."""
    for prefix in reversed(_prefixes(path)):
        place = places.get(prefix)
        if place and place["latitude"] is not None and place["longitude"] is not None:
            return float(place["latitude"]), float(place["longitude"])
    return None


def _place_label(path: str, places: dict[str, dict]) -> str:
    """ "阳光小区 2栋" for a building, the place's name otherwise."""
    place = places.get(path)
    if place is None:
        return ""
    compound = places.get(path[:COMPOUND_PATH_LEN])
    if place["kind"] == "building" and compound:
        return f"{compound['name']} {place['name']}"
    return place["name"]


def _feature(lat: float, lng: float, properties: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lng, 6), round(lat, 6)]},
        "properties": properties,
    }


def map_points(*, viewer, query: MapQuery, limit: int | None = None) -> dict:
    """The viewer's requests of the period (and category) as points, and the hot spots."""
    map_check_viewer(viewer)
    limit = MAP_POINT_LIMIT if limit is None else limit
    scope = scope_for(viewer)
    base = Request.objects.filter(
        scope.units_q("unit__"), collected_at__gte=query.start, collected_at__lt=query.end
    )
    if query.category is not None:
        base = base.filter(Q(category=query.category) | Q(category__parent=query.category))
    rows = list(
        base.order_by("-collected_at", "-id").values(
            "id",
            "status",
            "collected_at",
            "latitude",
            "longitude",
            "unit__path",
            "category__name",
            "category__name_en",
            "case_id",
            "case__state",
        )[: limit + 1]
    )
    capped = len(rows) > limit
    rows = rows[:limit]
    counts = list(
        base.order_by()
        .annotate(place=Substr("unit__path", 1, COMPOUND_PATH_LEN))
        .values("place")
        .annotate(n=Count("pk"))
    )
    total = sum(row["n"] for row in counts)
    paths = set()
    for row in rows:
        paths.update(_prefixes(row["unit__path"]))
    for row in counts:
        paths.update(_prefixes(row["place"]))
    places = {
        unit["path"]: unit
        for unit in OrgUnit.objects.filter(path__in=sorted(paths)).values(
            "path", "name", "kind", "latitude", "longitude"
        )
    }

    english = (translation.get_language() or "").startswith("en")
    features = []
    unplaced = 0
    stacked: dict[tuple[float, float], int] = {}
    for row in rows:
        if row["latitude"] is not None and row["longitude"] is not None:
            lat, lng = float(row["latitude"]), float(row["longitude"])
            located = "gps"
        else:
            point = _point_of(row["unit__path"], places)
            if point is None:
                unplaced += 1
                continue
            # Spread the requests of one place on a spiral around it, newest nearest.
            n = stacked.get(point, 0)
            stacked[point] = n + 1
            radius = SPREAD * math.sqrt(n)
            lat = point[0] + radius * math.sin(n * GOLDEN_ANGLE)
            lng = point[1] + radius * math.cos(n * GOLDEN_ANGLE)
            located = "place"
        status = map_status(row["status"], row["case__state"])
        features.append(
            _feature(
                lat,
                lng,
                {
                    "kind": "request",
                    "id": row["id"],
                    "status": status,
                    "status_label": str(MAP_STATUSES[status]),
                    "category": _category_name(
                        row["category__name"], row["category__name_en"], english
                    ),
                    "collected_at": timezone.localtime(row["collected_at"]).isoformat(),
                    "place": _place_label(row["unit__path"], places),
                    "located": located,
                    "url": reverse("requests_app:detail", args=[row["id"]]),
                    "case_url": (
                        reverse("case-detail", args=[row["case_id"]]) if row["case_id"] else None
                    ),
                },
            )
        )
    spots = sorted(counts, key=lambda row: (-row["n"], row["place"]))
    hotspots = []
    for row in spots:
        point = _point_of(row["place"], places)
        if point is None:
            continue
        hotspots.append(
            _feature(
                point[0],
                point[1],
                {
                    "kind": "hotspot",
                    "place": _place_label(row["place"], places),
                    "requests": row["n"],
                },
            )
        )
        if len(hotspots) >= MAP_HOTSPOT_LIMIT:
            break
    features.extend(hotspots)
    collection = {
        "type": "FeatureCollection",
        "features": features,
        "period": {
            "days": int(query.period),
            "from": timezone.localtime(query.start).isoformat(),
            "to": timezone.localtime(query.end).isoformat(),
        },
        "category": query.category.code if query.category else None,
        "total": total,
        "shown": len(rows) - unplaced,
        "limit": limit,
        "capped": capped,
        "unplaced": unplaced,
    }
    if features:
        lngs = [f["geometry"]["coordinates"][0] for f in features]
        lats = [f["geometry"]["coordinates"][1] for f in features]
        collection["bbox"] = [min(lngs), min(lats), max(lngs), max(lats)]
    return collection
