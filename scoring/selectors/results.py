"""Quarters, rankings, the 约谈 list and the notice, as the viewer may see them.

Results are scoped by the ranked subject's unit: a supervisor sees the workers and communities
of their subtree, a worker their own row, an admin everything under them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _

from casework.errors import NotFound
from casework.models import OrgUnit
from casework.selectors.scope import scope_for
from scoring.calc import QuarterKey, money
from scoring.models import (
    Indicator,
    Interview,
    Quarter,
    QuarterAction,
    ScoreResult,
    Subject,
)


def quarter_list() -> QuerySet[Quarter]:
    """Every quarter that has been computed or prepared, the latest first (not scoped: the
    quarters themselves are public within the site)."""
    return Quarter.objects.order_by("-year", "-number")


def quarter_get(*, code: str) -> Quarter:
    try:
        key = QuarterKey.parse(code)
    except ValueError:
        raise NotFound(_("No such quarter."), field="quarter") from None
    quarter = Quarter.objects.filter(code=key.code).first()
    if quarter is None:
        raise NotFound(_("No such quarter."), field="quarter")
    return quarter


def quarter_latest(*, published_only: bool = False) -> Quarter | None:
    """The latest published quarter, else (unless ``published_only``) the latest computed."""
    published = Quarter.objects.filter(status="published").order_by("-year", "-number").first()
    if published or published_only:
        return published
    return Quarter.objects.filter(status="computed").order_by("-year", "-number").first()


def quarter_actions(*, quarter: Quarter) -> QuerySet[QuarterAction]:
    return quarter.actions.select_related("actor").order_by("-at", "-id")


def visible_unit(viewer, unit_id) -> OrgUnit | None:
    scope = scope_for(viewer)
    try:
        return OrgUnit.objects.filter(scope.units_q()).filter(pk=unit_id).first()
    except (TypeError, ValueError):
        return None


def result_list(
    *,
    viewer,
    quarter: Quarter,
    subject: str = Subject.PERSON,
    within: OrgUnit | None = None,
    stars: int | None = None,
) -> QuerySet[ScoreResult]:
    """The quarter's ranked workers (or communities) in the viewer's scope, in rank order
    within each county, optionally within one unit's subtree or at one star level."""
    scope = scope_for(viewer)
    qs = ScoreResult.objects.filter(quarter=quarter, subject=subject).filter(
        scope.units_q("unit__")
    )
    if within is not None:
        qs = qs.filter(unit__path__startswith=within.path)
    if stars is not None:
        qs = qs.filter(stars=stars)
    return qs.select_related("person", "unit", "county", "town", "community").order_by(
        "county__path", "rank_in_county", "person__name", "unit__path", "pk"
    )


def result_list_within(*, viewer, quarter: Quarter, subject: str, unit_id) -> QuerySet:
    """``result_list`` within the subtree of unit ``unit_id``; nothing if the viewer cannot see
    that unit (a filter never reveals what is out of scope)."""
    unit = visible_unit(viewer, unit_id)
    if unit is None:
        return ScoreResult.objects.none()
    return result_list(viewer=viewer, quarter=quarter, subject=subject, within=unit)


def result_get(*, quarter: Quarter, person=None, unit=None) -> ScoreResult | None:
    qs = ScoreResult.objects.filter(quarter=quarter).select_related("county", "town", "unit")
    if person is not None:
        return qs.filter(person=person).first()
    return qs.filter(subject=Subject.COMMUNITY, unit=unit).first()


def interview_list(*, viewer, quarter: Quarter) -> QuerySet[Interview]:
    """The quarter's 约谈 list in the viewer's scope, communities first, lowest first."""
    scope = scope_for(viewer)
    return (
        Interview.objects.filter(quarter=quarter)
        .filter(scope.units_q("unit__"))
        .select_related("person", "unit", "held_by", "quarter")
        .order_by("-subject", "total", "pk")
    )


def interview_get(*, viewer, pk) -> Interview:
    scope = scope_for(viewer)
    try:
        return (
            Interview.objects.filter(scope.units_q("unit__"))
            .select_related("person", "unit", "held_by", "quarter")
            .get(pk=pk)
        )
    except (Interview.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such talk."), field="interview") from None


@dataclass
class NoticeGroup:
    """One county or town of the notice: who came last there."""

    unit: OrgUnit
    people: list[ScoreResult] = field(default_factory=list)
    communities: list[ScoreResult] = field(default_factory=list)


def notice_groups(*, viewer, quarter: Quarter) -> list[NoticeGroup]:
    """The last places (末位) of every county and town the viewer can see, for the notice."""
    scope = scope_for(viewer)
    rows = (
        ScoreResult.objects.filter(quarter=quarter)
        .filter(scope.units_q("unit__"))
        .filter(Q(last_in_town=True) | Q(last_in_county=True))
        .select_related("person", "unit", "county", "town")
        .order_by("subject", "total", "pk")
    )
    groups: dict[int, NoticeGroup] = {}
    for row in rows:
        for flag, unit in ((row.last_in_county, row.county), (row.last_in_town, row.town)):
            if not flag or unit is None:
                continue
            group = groups.setdefault(unit.pk, NoticeGroup(unit))
            (group.people if row.subject == Subject.PERSON else group.communities).append(row)
    return sorted(groups.values(), key=lambda g: g.unit.path)


@dataclass
class Summary:
    """Figures for the quarter page's charts, over the results the viewer can see."""

    people: int = 0
    communities: int = 0
    average: Decimal | None = None
    stars: list[tuple[int, int]] = field(default_factory=list)
    categories: list[tuple[Indicator, Decimal]] = field(default_factory=list)
    interviews: int = 0
    held: int = 0

    @property
    def star_bars(self) -> list[tuple[int, int, int]]:
        """``(stars, people, bar width in percent)`` for the chart."""
        top = max((n for _, n in self.stars), default=0) or 1
        return [(level, n, round(100 * n / top)) for level, n in self.stars]

    @property
    def category_bars(self) -> list[tuple[Indicator, Decimal, int]]:
        """``(category, mean counted points, bar width in percent)`` for the chart."""
        top = max((abs(v) for _, v in self.categories), default=Decimal(0)) or Decimal(1)
        return [(i, v, round(100 * abs(v) / top)) for i, v in self.categories]


def quarter_summary(*, viewer, quarter: Quarter) -> Summary:
    """Star counts, the mean total and the mean counted points per category of the workers the
    viewer can see (a fixed number of queries)."""
    people = result_list(viewer=viewer, quarter=quarter, subject=Subject.PERSON).order_by()
    summary = Summary()
    figures = people.aggregate(n=Count("pk"), mean=Avg("total"))
    summary.people = figures["n"]
    summary.average = money(figures["mean"]) if figures["mean"] is not None else None
    summary.communities = (
        result_list(viewer=viewer, quarter=quarter, subject=Subject.COMMUNITY).order_by().count()
    )
    by_stars = dict(people.values_list("stars").annotate(n=Count("pk")).values_list("stars", "n"))
    summary.stars = [(level, by_stars.get(level, 0)) for level in range(5, -1, -1)]
    sums: Counter = Counter()
    for subtotals in people.values_list("subtotals", flat=True):
        for indicator_id, value in subtotals.items():
            sums[int(indicator_id)] += Decimal(value)
    if summary.people:
        summary.categories = [
            (indicator, money(sums.get(indicator.pk, 0) / summary.people))
            for indicator in Indicator.objects.order_by("sort_order", "code")
            if indicator.pk in sums or indicator.is_active
        ]
    counts = defaultdict(int)
    for status, n in (
        interview_list(viewer=viewer, quarter=quarter)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    ):
        counts[status] = n
    summary.interviews = sum(counts.values())
    summary.held = counts.get("held", 0)
    return summary
