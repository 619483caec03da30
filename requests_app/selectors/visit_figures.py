"""The 民情书记's visit figures (民情书记下访), as the report counts them.

"民情书记下访 N 次，收集民情 84 条，现场解答 72 条，协助办理 12 条": the requests logged in the
secretaries' own visits (``Request.visit``), never every request of every channel. Each request
a visit collected is counted once, by where it stands now:

    collected = answered on the spot + assisted (a case opened) + merged + rejected + pending

so the parts always add up to the whole, and the pages say so.

Which visits: those of the kinds in ``SECRETARY_VISIT_KINDS`` (a 民情书记's visit, and the
民意反馈日 round the secretaries hold, which is where the article's 84 came from), whose
``visited_at`` falls in the period, at a place in the unit's subtree. A visit's requests count
with it, whenever each was decided.

Every figure is a SQL aggregate: four queries however many visits, secretaries or units.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import OrgUnit
from requests_app.models import RequestStatus, Visit, VisitKind

#: The visits that are a 民情书记's going down (下访): their own visits and 民意反馈日 rounds.
#: Grid workers' rounds are routine work, not counted here.
SECRETARY_VISIT_KINDS = (VisitKind.SECRETARY, VisitKind.FEEDBACK_DAY)

#: The counts of every row and of the totals, in the order the report reads them.
COUNT_KEYS = (
    "visits",
    "collected",
    "answered_on_spot",
    "assisted",
    "merged",
    "rejected",
    "pending",
)

#: Where a request stands → the count it adds to (besides ``collected``).
STATUS_KEYS = {
    RequestStatus.ANSWERED_ON_SPOT: "answered_on_spot",
    RequestStatus.CASE_OPENED: "assisted",
    RequestStatus.MERGED: "merged",
    RequestStatus.REJECTED: "rejected",
    RequestStatus.COLLECTED: "pending",
}

COMMUNITY_DEPTH = 4  # city, county, town, community


def secretary_visits(*, unit: OrgUnit, start: datetime, end: datetime) -> QuerySet[Visit]:
    """The secretaries' visits to places in ``unit``'s subtree, visited in [start, end)."""
    return Visit.objects.filter(
        kind__in=SECRETARY_VISIT_KINDS,
        unit__path__startswith=unit.path,
        visited_at__gte=start,
        visited_at__lt=end,
    ).order_by()


def _counts() -> dict:
    counts = {
        "visits": Count("pk", distinct=True),
        "collected": Count("requests"),
    }
    for status, key in STATUS_KEYS.items():
        counts[key] = Count("requests", filter=Q(requests__status=status))
    return counts


def _row_counts(row: dict) -> dict[str, int]:
    return {key: row[key] for key in COUNT_KEYS}


def _unit_row(unit: OrgUnit | None, path: str) -> dict:
    if unit is None:  # a unit since removed from the tree: still counted, named by its path
        return {"id": None, "name": path, "kind": ""}
    return {"id": unit.pk, "name": unit.name, "kind": unit.kind}


def summary_text(totals: dict[str, int]) -> str:
    """The totals in the report's words (one sentence, in the active language)."""
    return (
        _(
            "Minqing secretaries went down %(visits)d times and collected %(collected)d "
            "requests: %(answered_on_spot)d answered on the spot, %(assisted)d assisted "
            "(cases opened), %(merged)d merged, %(rejected)d rejected, %(pending)d pending."
        )
        % totals
    )


def visit_figures(*, unit: OrgUnit, start: datetime, end: datetime) -> dict:
    """The visit figures of ``unit``'s subtree for [start, end) (aware datetimes, end excluded).

    Not scoped: the caller passes a unit the viewer may see (``unit_get``, ``dashboard_unit``).
    Returns a plain dict (JSON-ready, as the API serves it)::

        {
          "unit": {"id", "name", "kind"},
          "from": "YYYY-MM-DD", "to": "YYYY-MM-DD",        # local dates, "to" inclusive
          "kinds": ["secretary", "feedback_day"],           # the visit kinds counted
          "totals": {visits, secretaries, collected, answered_on_spot, assisted, merged,
                     rejected, pending},
          "summary": "民情书记下访 2 次，收集民情 84 条，…",  # totals in the report's words
          "secretaries": [{"person": {"id", "name", "username"}, visits, collected, …}],
          "units": [{"unit": {"id", "name", "kind"}, "itself": bool, visits, collected, …}],
          "communities": [...same shape as "units"...],
        }

    ``visits`` counts visits; the other counts count requests, and in every row and in the
    totals ``collected = answered_on_spot + assisted + merged + rejected + pending``.
    ``secretaries`` has one row per visitor (by name, in pinyin order); ``units`` one per unit
    one level below ``unit`` (towns of a county, communities of a town, grids of a community)
    with a visit, plus a row with ``itself: true`` for visits recorded at ``unit`` itself;
    ``communities`` the same per community (for a unit above the community level, else
    empty). Each list adds up to the totals. Four queries.
    """
    base = secretary_visits(unit=unit, start=start, end=end)
    counts = _counts()
    people = list(
        base.values("visitor_id", "visitor__name", "visitor__username")
        .annotate(**counts)
        .order_by("visitor__pinyin", "visitor__name", "visitor_id")
    )
    step = OrgUnit.steplen
    child_len = len(unit.path) + step
    levels = {"units": child_len}
    if unit.depth < COMMUNITY_DEPTH - 1:
        levels["communities"] = COMMUNITY_DEPTH * step
    grouped: dict[str, list[dict]] = {}
    for name, length in levels.items():
        grouped[name] = list(
            base.annotate(group=Substr("unit__path", 1, length))
            .values("group")
            .annotate(**counts)
            .order_by("group")
        )
    paths = {row["group"] for rows in grouped.values() for row in rows}
    units = {u.path: u for u in OrgUnit.objects.filter(path__in=paths)} if paths else {}

    totals = {key: sum(row[key] for row in people) for key in COUNT_KEYS}
    totals["secretaries"] = len(people)
    result = {
        "unit": _unit_row(unit, unit.path),
        "from": timezone.localtime(start).date().isoformat(),
        "to": (timezone.localtime(end).date() - timedelta(days=1)).isoformat(),
        "kinds": [str(kind) for kind in SECRETARY_VISIT_KINDS],
        "totals": totals,
        "summary": summary_text(totals),
        "secretaries": [
            {
                "person": {
                    "id": row["visitor_id"],
                    "name": row["visitor__name"] or row["visitor__username"],
                    "username": row["visitor__username"],
                },
                **_row_counts(row),
            }
            for row in people
        ],
        "units": [],
        "communities": [],
    }
    for name, rows in grouped.items():
        result[name] = [
            {
                "unit": _unit_row(units.get(row["group"]), row["group"]),
                # Shorter than the level asked for: visits recorded at a unit above it.
                "itself": len(row["group"]) < levels[name],
                **_row_counts(row),
            }
            for row in rows
        ]
    return result


def dashboard_figures(*, unit: OrgUnit, start: datetime, end: datetime) -> dict[str, int]:
    """The totals as flat dashboard figures (``visit_*`` keys), one query."""
    row = secretary_visits(unit=unit, start=start, end=end).aggregate(
        **_counts(), secretaries=Count("visitor", distinct=True)
    )
    return {f"visit_{key}": row[key] or 0 for key in (*COUNT_KEYS, "secretaries")}


__all__ = [
    "COUNT_KEYS",
    "SECRETARY_VISIT_KINDS",
    "dashboard_figures",
    "secretary_visits",
    "summary_text",
    "visit_figures",
]
