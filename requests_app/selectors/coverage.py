"""Monthly coverage (遍访): has each 民情书记 been down to every compound of their community?

For a month and a unit, one row per person holding the 民情书记 role (``Role.MINQING_SECRETARY``)
at a unit in the unit's subtree: how many visits they made that month, and the compounds of
their community they did not reach.

- *Their visits*: visits of the kinds in ``SECRETARY_VISIT_KINDS`` with the person as visitor,
  visited in the month (wherever they went: the same count the reminder reads).
- *Their community*: the community at or above the unit their role is held at; a role held above
  the community level (a town's secretary) covers every compound under that unit.
- *A compound counts as visited* when one of their visits that month went to the compound or a
  building in it, or logged a request at the compound or a building in it (a visit recorded at
  the grid or the community reaches the compounds where it collected). A visit to a grid or a
  community that logged nothing there does not visit every compound below it.

Rows come worst first: secretaries with no visit, then the most compounds missed, then by name
(in pinyin order).
Five queries however many secretaries, visits or compounds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import ValidationFailed
from casework.models import Membership, OrgUnit, Role, UnitKind
from casework.selectors.dashboard import FIRST_YEAR, LAST_YEAR, month_start, next_month
from requests_app.models import Request, Visit
from requests_app.selectors.visit_figures import SECRETARY_VISIT_KINDS

MONTH = re.compile(r"(\d{4})-(\d{2})")
COMMUNITY_DEPTH = 4
COMPOUND_DEPTH = 6  # city, county, town, community, grid, compound


@dataclass(frozen=True)
class Month:
    """A calendar month in local time: its first day and its bounds [start, end)."""

    first: date
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        return self.first.strftime("%Y-%m")


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def month_of(day: date) -> Month:
    first = month_start(day)
    return Month(first=first, start=_midnight(first), end=_midnight(next_month(first)))


def month_parse(value: str | None, *, today: date | None = None) -> Month:
    """``YYYY-MM`` as a ``Month``; empty means this month. Anything else is refused, naming
    the field ``month``."""
    if not value:
        return month_of(today or timezone.localdate())
    found = MONTH.fullmatch(value.strip())
    if not found or not FIRST_YEAR <= int(found[1]) <= LAST_YEAR or not 1 <= int(found[2]) <= 12:
        raise ValidationFailed(
            _("“%(value)s” is not a month from %(first)d to %(last)d (YYYY-MM).")
            % {"value": value, "first": FIRST_YEAR, "last": LAST_YEAR},
            field="month",
        )
    return month_of(date(int(found[1]), int(found[2]), 1))


def secretary_month_visits(month: Month):
    """Every secretary visit of the month (the queryset the page and the reminder share)."""
    return Visit.objects.filter(
        kind__in=SECRETARY_VISIT_KINDS, visited_at__gte=month.start, visited_at__lt=month.end
    ).order_by()


def _area(path: str) -> str:
    """The subtree whose compounds a role held at ``path`` must visit: its community."""
    step = OrgUnit.steplen
    if len(path) >= COMMUNITY_DEPTH * step:
        return path[: COMMUNITY_DEPTH * step]
    return path


def visit_coverage(*, unit: OrgUnit, month: Month) -> dict:
    """Each secretary in ``unit``'s subtree with their visits in ``month`` and the compounds of
    their community not visited. Not scoped: the caller passes a unit the viewer may see.

    Returns ``{"unit", "month": "YYYY-MM", "from", "to", "secretaries": [row], "totals"}``, each
    row ``{"person": {"id", "name", "username"}, "visits", "communities": [{"id", "name"}],
    "compounds", "visited", "not_visited": [{"id", "name", "community"}]}``; ``compounds`` is
    how many compounds the community has, ``visited`` how many of them were visited.
    """
    step = OrgUnit.steplen
    compound_len = COMPOUND_DEPTH * step
    roles = list(
        Membership.objects.filter(
            role=Role.MINQING_SECRETARY,
            unit__path__startswith=unit.path,
            unit__is_active=True,
            user__is_active=True,
        )
        .values_list("user_id", "user__name", "user__username", "user__pinyin", "unit__path")
        .order_by("user_id", "unit__path")
    )
    people: dict[int, dict] = {}
    areas: dict[int, set[str]] = {}
    sort_keys: dict[int, str] = {}
    for user_id, name, username, pinyin, path in roles:
        sort_keys[user_id] = pinyin or name or username
        people.setdefault(user_id, {"id": user_id, "name": name or username, "username": username})
        areas.setdefault(user_id, set()).add(_area(path))
    all_areas = {a for paths in areas.values() for a in paths}
    compounds = []
    communities: dict[str, dict] = {}
    if all_areas:
        # Compounds and communities of the areas, inside the unit asked for (never beyond it).
        for pk, path, name, kind in (
            OrgUnit.objects.filter(
                path__startswith=unit.path,
                kind__in=[UnitKind.COMPOUND, UnitKind.COMMUNITY],
                is_active=True,
            )
            .values_list("pk", "path", "name", "kind")
            .order_by("path")
        ):
            if not any(path.startswith(a) or a.startswith(path) for a in all_areas):
                continue
            if kind == UnitKind.COMPOUND:
                compounds.append((pk, path, name))
            else:
                communities[path] = {"id": pk, "name": name}
    visits = secretary_month_visits(month).filter(visitor_id__in=list(people))
    visit_counts = dict(
        visits.values("visitor_id").annotate(n=Count("pk")).values_list("visitor_id", "n")
    )
    reached: dict[int, set[str]] = {}
    for visitor_id, place in (
        visits.filter(unit__depth__gte=COMPOUND_DEPTH)
        .annotate(place=Substr("unit__path", 1, compound_len))
        .values_list("visitor_id", "place")
        .distinct()
    ):
        reached.setdefault(visitor_id, set()).add(place)
    for visitor_id, place in (
        Request.objects.filter(visit__in=visits, unit__depth__gte=COMPOUND_DEPTH)
        .annotate(place=Substr("unit__path", 1, compound_len))
        .values_list("visit__visitor_id", "place")
        .distinct()
        .order_by()
    ):
        reached.setdefault(visitor_id, set()).add(place)

    rows = []
    for user_id, person in people.items():
        mine = [c for c in compounds if any(c[1].startswith(a) for a in areas[user_id])]
        done = reached.get(user_id, set())
        missed = [
            {
                "id": pk,
                "name": name,
                "community": communities.get(path[: COMMUNITY_DEPTH * step], {}).get("name", ""),
            }
            for pk, path, name in mine
            if path not in done
        ]
        rows.append(
            {
                "person": person,
                "visits": visit_counts.get(user_id, 0),
                "communities": [
                    communities[a] for a in sorted(areas[user_id]) if a in communities
                ],
                "compounds": len(mine),
                "visited": len(mine) - len(missed),
                "not_visited": missed,
            }
        )
    rows.sort(
        key=lambda r: (
            r["visits"] > 0,
            -len(r["not_visited"]),
            sort_keys[r["person"]["id"]],
            r["person"]["name"],
            r["person"]["id"],
        )
    )
    return {
        "unit": {"id": unit.pk, "name": unit.name, "kind": unit.kind},
        "month": month.label,
        "from": month.first.isoformat(),
        "to": (next_month(month.first) - timedelta(days=1)).isoformat(),
        "secretaries": rows,
        "totals": {
            "secretaries": len(rows),
            "without_visit": sum(1 for r in rows if r["visits"] == 0),
            "visits": sum(r["visits"] for r in rows),
            "compounds": sum(r["compounds"] for r in rows),
            "not_visited": sum(len(r["not_visited"]) for r in rows),
        },
    }
