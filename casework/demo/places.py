"""Where the demo's places are: the Yulin (玉林市, Guangxi) city, counties, towns, communities,
grids and compounds, in WGS 84 degrees.

The city, the county seats and the towns are placed where they are (to about a kilometre; the
towns of 福绵区 more roughly). Each community sits at a fixed offset from its town's centre
(城东 to the east, 城北 to the north…), its two grids either side of it, and each compound a small
offset from its grid, derived from a hash of its name: the same on every run, and drawn from no
random source, so adding coordinates changes nothing else the demo seeds. Buildings keep no
point of their own: the map places them at their compound's.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from casework.models import OrgUnit, UnitKind

#: (latitude, longitude) of the places the article names.
CENTRES: dict[str, tuple[float, float]] = {
    "玉林市": (22.6363, 110.1544),
    "博白县": (22.2713, 109.9754),
    "博白镇": (22.2713, 109.9754),
    "兴业县": (22.7362, 109.8753),
    "石南镇": (22.7362, 109.8753),
    "福绵区": (22.5830, 110.0590),
    "福绵镇": (22.5830, 110.0590),
    "成均镇": (22.5102, 109.9946),
    "樟木镇": (22.4627, 110.1297),
    "新桥镇": (22.5081, 110.2021),
    "沙田镇": (22.4215, 110.0424),
    "石和镇": (22.6107, 110.0976),
}

#: A community's offset (degrees north, degrees east) from its town's centre; about 1.1 km
#: per 0.01°. Communities not listed sit on a small ring around the centre.
COMMUNITY_OFFSETS: dict[str, tuple[float, float]] = {
    # 博白镇, the county seat of 博白县.
    "城中社区": (0.000, 0.000),
    "城东社区": (0.002, 0.013),
    "城西社区": (-0.001, -0.013),
    "城南社区": (-0.012, 0.001),
    "城北社区": (0.012, -0.001),
    "新城社区": (0.008, 0.019),
    "文化社区": (0.006, -0.006),
    "人民社区": (-0.005, 0.006),
    "解放社区": (-0.006, -0.007),
    "建设社区": (-0.011, 0.014),
    "园丁社区": (0.015, 0.010),
    # 石南镇, the county seat of 兴业县.
    "东风社区": (0.001, 0.012),
    "南街社区": (-0.008, 0.001),
    "北街社区": (0.008, 0.000),
    "西街社区": (0.000, -0.009),
    "新华社区": (0.004, 0.005),
    "东湖社区": (-0.006, 0.015),
    "城隍社区": (-0.003, -0.004),
    "兴旺社区": (0.013, 0.008),
    "龙安社区": (0.011, -0.011),
    "园林社区": (-0.012, -0.008),
    "胜利社区": (-0.013, 0.009),
}
#: The offsets of the other communities, in the order they come under their town.
RING = [(0.004, -0.004), (-0.004, 0.005), (0.006, 0.006), (-0.006, -0.006)]
#: A community's two grids, either side of it.
GRID_OFFSETS = [(0.0015, -0.002), (-0.0015, 0.002)]
#: How far (degrees) a compound may lie from its grid's point, each way.
COMPOUND_SPREAD = 0.0018

SIX_PLACES = Decimal("0.000001")


def _degrees(value: float) -> Decimal:
    return Decimal(str(value)).quantize(SIX_PLACES)


def _nudge(name: str) -> tuple[float, float]:
    """A small offset from a hash of ``name``, in [-COMPOUND_SPREAD, COMPOUND_SPREAD]²."""
    digest = hashlib.sha256(name.encode()).digest()
    north = int.from_bytes(digest[:4], "big") / 0xFFFFFFFF
    east = int.from_bytes(digest[4:8], "big") / 0xFFFFFFFF
    return ((north * 2 - 1) * COMPOUND_SPREAD, (east * 2 - 1) * COMPOUND_SPREAD)


def place_points(units: list[OrgUnit]) -> dict[int, tuple[float, float]]:
    """Where each place of ``units`` (in path order, parents first) lies; units with no
    point of their own (buildings, handling units) are left out."""
    points: dict[str, tuple[float, float]] = {}
    by_pk: dict[int, tuple[float, float]] = {}
    ring_next: dict[str, int] = {}
    grid_next: dict[str, int] = {}
    for unit in units:
        parent = points.get(unit.path[: -OrgUnit.steplen])
        point = None
        if unit.name in CENTRES and unit.kind in (UnitKind.CITY, UnitKind.COUNTY, UnitKind.TOWN):
            point = CENTRES[unit.name]
        elif parent is None:
            continue
        elif unit.kind == UnitKind.COMMUNITY:
            town = unit.path[: -OrgUnit.steplen]
            if unit.name in COMMUNITY_OFFSETS:
                offset = COMMUNITY_OFFSETS[unit.name]
            else:
                offset = RING[ring_next.get(town, 0) % len(RING)]
                ring_next[town] = ring_next.get(town, 0) + 1
            point = (parent[0] + offset[0], parent[1] + offset[1])
        elif unit.kind == UnitKind.GRID:
            community = unit.path[: -OrgUnit.steplen]
            offset = GRID_OFFSETS[grid_next.get(community, 0) % len(GRID_OFFSETS)]
            grid_next[community] = grid_next.get(community, 0) + 1
            point = (parent[0] + offset[0], parent[1] + offset[1])
        elif unit.kind == UnitKind.COMPOUND:
            north, east = _nudge(unit.name)
            point = (parent[0] + north, parent[1] + east)
        if point is not None:
            points[unit.path] = point
            by_pk[unit.pk] = point
    return by_pk


def place_coordinates(ctx) -> None:
    """Give the demo's places their coordinates (after ``build_org`` made them)."""
    units = list(
        OrgUnit.objects.filter(
            kind__in=[
                UnitKind.CITY,
                UnitKind.COUNTY,
                UnitKind.TOWN,
                UnitKind.COMMUNITY,
                UnitKind.GRID,
                UnitKind.COMPOUND,
            ]
        ).order_by("path")
    )
    points = place_points(units)
    placed = []
    for unit in units:
        if unit.pk in points:
            latitude, longitude = points[unit.pk]
            unit.latitude, unit.longitude = _degrees(latitude), _degrees(longitude)
            placed.append(unit)
    OrgUnit.objects.bulk_update(placed, ["latitude", "longitude"], batch_size=500)
    ctx.say(f"  places with coordinates: {len(placed)}\n")
