"""The map of requests and hot spots, for grid workers, 民情书记 and supervisors.

The page renders the filters, the legend and the hot-spot list; ``static/js/map.js`` draws the
points from ``GET /api/v1/map/points/`` with the same filters (the API's door, same scope).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from casework.errors import NotFound, NotPermitted, ValidationFailed
from casework.models import Category, OrgUnit
from casework.selectors.dashboard import default_unit
from requests_app.selectors.map import (
    MAP_POINT_LIMIT,
    MAP_STATUSES,
    PERIODS,
    map_points,
    map_query,
    map_query_for,
)

#: Where the map opens when nothing in the viewer's area has coordinates: China, whole.
FALLBACK_CENTRE = ("35.0", "105.0", 4)


def _centre(viewer) -> tuple[str, str, int]:
    """The point of the viewer's widest unit (or its nearest ancestor's), and a zoom for it."""
    try:
        unit = default_unit(viewer)
    except NotFound:
        return FALLBACK_CENTRE
    step = OrgUnit.steplen
    prefixes = [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]
    placed = (
        OrgUnit.objects.filter(path__in=prefixes, latitude__isnull=False, longitude__isnull=False)
        .order_by("-depth")
        .values("latitude", "longitude", "depth")
        .first()
    )
    if placed is None:
        return FALLBACK_CENTRE
    return str(placed["latitude"]), str(placed["longitude"]), min(9 + 2 * placed["depth"], 17)


def _category_groups(english: bool) -> list[tuple[str, list[tuple[str, str]]]]:
    """Category groups and their categories, for the filter (one query)."""

    def label(category):
        return category.name_en if english and category.name_en else category.name

    groups: dict[int | None, list[Category]] = {}
    for category in Category.objects.filter(is_active=True).order_by("sort_order", "code"):
        groups.setdefault(category.parent_id, []).append(category)
    return [
        (
            label(top),
            [(top.code, label(top))] + [(c.code, label(c)) for c in groups.get(top.pk, [])],
        )
        for top in groups.get(None, [])
    ]


@login_required
def map_page(request):
    status = 200
    try:
        query = map_query_for(viewer=request.user, params=request.GET)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from None
    except ValidationFailed as exc:
        # The page still shows the default period, under the message saying what was wrong.
        messages.error(request, exc.message)
        status = 400
        query = map_query(period=None, category=None)
    # Counts and hot spots only: the points come from the API, drawn by map.js.
    summary = map_points(viewer=request.user, query=query, limit=0)
    hotspots = [
        f["properties"] for f in summary["features"] if f["properties"]["kind"] == "hotspot"
    ]
    english = (translation.get_language() or "").startswith("en")
    latitude, longitude, zoom = _centre(request.user)
    params = {"period": query.period}
    if query.category is not None:
        params["category"] = query.category.code
    context = {
        "periods": list(PERIODS.items()),
        "period": query.period,
        "category": query.category.code if query.category else "",
        "category_groups": _category_groups(english),
        "statuses": list(MAP_STATUSES.items()),
        "total": summary["total"],
        "hotspots": hotspots[:10],
        "limit": MAP_POINT_LIMIT,
        "points_url": reverse("api:map-points") + "?" + urlencode(params),
        "tiles": settings.MINQING_MAP_TILES,
        "attribution": settings.MINQING_MAP_ATTRIBUTION,
        "subdomains": settings.MINQING_MAP_SUBDOMAINS,
        "centre": {"latitude": latitude, "longitude": longitude, "zoom": zoom},
    }
    return render(request, "requests_app/map.html", context, status=status)
