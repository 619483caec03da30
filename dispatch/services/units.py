"""The handling units that dealt with similar cases in a place (首接负责 units from history).

A place is read at its *area*: its community for a grid, compound or building (one community's
cases are history enough, and its property company or committee is who handles them), the
place itself otherwise. What an area's cases say is kept in the process for five minutes, per
area and for all categories at once, so a suggestion seldom waits for a query.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Substr

from casework.models import Case, OrgUnit, UnitKind

#: At most this many units are suggested.
UNITS_SUGGESTED = 3
#: How many levels below its community each kind of place sits: places nest strictly
#: (``casework.models.org.ALLOWED_PARENT_KINDS``: community → grid → compound → building), so
#: the community's path is a prefix of the place's, found without a query.
_LEVELS_BELOW_COMMUNITY = {UnitKind.GRID: 1, UnitKind.COMPOUND: 2, UnitKind.BUILDING: 3}
#: How long an area's tallies are kept (a new case in any area clears them all).
TALLIES_TTL = 300.0
_TALLIES_MAX = 5000

Tally = list[tuple[int, str, int]]  # [(unit id, unit name, cases it led)]

#: area path → (valid until, {category id: tally}).
_TALLIES: dict[str, tuple[float, dict[int, Tally]]] = {}


@dataclass(frozen=True)
class UnitScore:
    unit: int
    name: str
    score: float


def tallies_forget(**_kwargs) -> None:
    """Forget the tallies kept (a case was opened, a category or a unit saved)."""
    _TALLIES.clear()


def area_of(place: OrgUnit) -> str:
    """The path whose subtree is the place's history."""
    levels = _LEVELS_BELOW_COMMUNITY.get(place.kind, 0)
    if levels and len(place.path) > levels * OrgUnit.steplen:
        return place.path[: -levels * OrgUnit.steplen]
    return place.path


def unit_tallies(areas: Iterable[str]) -> dict[str, dict[int, Tally]]:
    """Each area's tallies per category: the units that led its cases, with how many. Areas
    not kept cost one aggregate query for all of them per length of area path (in a tree
    whose top is a city: one)."""
    now = time.monotonic()
    out: dict[str, dict[int, Tally]] = {}
    missing = []
    for area in sorted(set(areas)):
        kept = _TALLIES.get(area)
        if kept is not None and kept[0] > now:
            out[area] = kept[1]
        else:
            missing.append(area)
    if not missing:
        return out
    found = _query_tallies(missing)
    if len(_TALLIES) + len(missing) > _TALLIES_MAX:
        _TALLIES.clear()
    for area in missing:
        tallies = found.get(area, {})
        _TALLIES[area] = (now + TALLIES_TTL, tallies)
        out[area] = tallies
    return out


def _query_tallies(areas: list[str]) -> dict[str, dict[int, Tally]]:
    out: dict[str, dict[int, Tally]] = defaultdict(lambda: defaultdict(list))
    by_length: dict[int, list[str]] = defaultdict(list)
    for area in areas:
        by_length[len(area)].append(area)
    for length, paths in by_length.items():
        within = Q()
        for path in paths:
            within |= Q(unit__path__startswith=path)
        rows = (
            Case.objects.filter(within, owner_unit__isnull=False, owner_unit__is_active=True)
            .annotate(area=Substr("unit__path", 1, length))
            .values("area", "category_id", "owner_unit_id", "owner_unit__name")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            out[row["area"]][row["category_id"]].append(
                (row["owner_unit_id"], row["owner_unit__name"], row["n"])
            )
    return out


def rank_units(tallies: dict[int, Tally], categories: list[tuple[int, float]]) -> list[UnitScore]:
    """Units by how many similar cases they led, each case weighted by the probability of its
    category; scores are shares of that weighted history (0..1), best first."""
    weights: dict[int, float] = defaultdict(float)
    names: dict[int, str] = {}
    for category_id, probability in categories:
        for unit_id, name, count in tallies.get(category_id, ()):
            weights[unit_id] += probability * count
            names[unit_id] = name
    total = sum(weights.values())
    if total <= 0:
        return []
    best = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:UNITS_SUGGESTED]
    return [UnitScore(unit_id, names[unit_id], round(w / total, 4)) for unit_id, w in best]
