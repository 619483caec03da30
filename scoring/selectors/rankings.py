"""Yearly and cumulative rankings (年度积分 / 累计积分) from the published quarters' totals.

A year's total is the sum of the totals of that year's published quarters; the cumulative total
for a year is the sum over every published quarter up to the end of that year, carried across
years. A subject is placed (county, town, community) where its latest quarter of the period
ranked it. Ranks are within the county and the town, ties sharing a rank
(``calc.competition_ranks``), computed over everyone ranked there, not only over what the
viewer sees. One SQL aggregate for every year at once, then two look-ups for the names: a
constant number of queries whatever the number of people, quarters or years.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery, Sum
from django.utils.translation import gettext as _

from casework.errors import NotFound, ValidationFailed
from casework.models import OrgUnit, User
from casework.selectors.scope import scope_for
from scoring import calc
from scoring.access import supervises_person
from scoring.models import (
    Award,
    Nomination,
    Quarter,
    QuarterStatus,
    ScoreResult,
    Subject,
)

PERIOD_YEAR = "year"
PERIOD_CUMULATIVE = "cumulative"
PERIODS = (PERIOD_YEAR, PERIOD_CUMULATIVE)


@dataclass
class Standing:
    """A subject's total over a year or cumulatively, and its ranks."""

    key: int
    subject: str
    total: Decimal
    quarters: int
    unit_id: int
    county_id: int | None
    town_id: int | None
    community_id: int | None
    rank_in_county: int | None = None
    county_size: int | None = None
    rank_in_town: int | None = None
    town_size: int | None = None
    person: User | None = None
    unit: OrgUnit | None = None
    county: OrgUnit | None = None
    town: OrgUnit | None = None
    community: OrgUnit | None = None

    @property
    def person_id(self) -> int | None:
        return self.key if self.subject == Subject.PERSON else None


def published_years() -> list[int]:
    """The years with at least one published quarter, the latest first."""
    return list(
        Quarter.objects.filter(status=QuarterStatus.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def _yearly_rows(subject: str, *, keys=None) -> list[tuple]:
    """``(key, year, total, quarters, unit, county, town, community)`` per subject and year of
    published quarters, placed where the year's latest quarter ranked it (one query)."""
    key = "person_id" if subject == Subject.PERSON else "unit_id"
    published = ScoreResult.objects.filter(
        subject=subject, quarter__status=QuarterStatus.PUBLISHED
    )
    latest = published.filter(
        **{key: OuterRef(key)}, quarter__year=OuterRef("quarter__year")
    ).order_by("-quarter__number")
    qs = published if keys is None else published.filter(**{f"{key}__in": keys})
    rows = (
        qs.order_by()
        .values(key, "quarter__year")
        .annotate(
            sum_total=Sum("total"),
            n=Count("pk"),
            at_unit=Subquery(latest.values("unit_id")[:1]),
            at_county=Subquery(latest.values("county_id")[:1]),
            at_town=Subquery(latest.values("town_id")[:1]),
            at_community=Subquery(latest.values("community_id")[:1]),
        )
    )
    return [
        (
            r[key],
            r["quarter__year"],
            calc.money(r["sum_total"]),
            r["n"],
            r["at_unit"],
            r["at_county"],
            r["at_town"],
            r["at_community"],
        )
        for r in rows
    ]


def standings_from(rows: list[tuple], *, subject: str, period: str, year: int) -> list[Standing]:
    """Standings for ``period`` and ``year`` from ``_yearly_rows``, ranked (no query)."""
    if period not in PERIODS:
        raise ValidationFailed(_("Choose the year or the cumulative ranking."), field="period")
    chosen: dict[int, Standing] = {}
    latest_year: dict[int, int] = {}
    for key, row_year, total, n, unit, county, town, community in sorted(rows, key=lambda r: r[1]):
        if row_year > year or (period == PERIOD_YEAR and row_year != year):
            continue
        found = chosen.get(key)
        if found is None:
            chosen[key] = Standing(key, subject, total, n, unit, county, town, community)
        else:
            found.total = calc.money(found.total + total)
            found.quarters += n
            found.unit_id, found.county_id = unit, county
            found.town_id, found.community_id = town, community
        latest_year[key] = row_year
    in_county = calc.ranks_in_groups((k, s.county_id, s.total) for k, s in chosen.items())
    in_town = calc.ranks_in_groups((k, s.town_id, s.total) for k, s in chosen.items())
    for key, standing in chosen.items():
        standing.rank_in_county, standing.county_size = in_county.get(key, (None, None))
        standing.rank_in_town, standing.town_size = in_town.get(key, (None, None))
    return list(chosen.values())


def standings(*, subject: str = Subject.PERSON, period: str, year: int) -> list[Standing]:
    """Every subject's standing (not scoped): for services and reports."""
    return standings_from(_yearly_rows(subject), subject=subject, period=period, year=year)


def _attach(rows: list[Standing], units: dict[int, OrgUnit], people: dict[int, User]) -> None:
    for s in rows:
        s.unit = units.get(s.unit_id)
        s.county, s.town = units.get(s.county_id), units.get(s.town_id)
        s.community = units.get(s.community_id)
        s.person = people.get(s.key) if s.subject == Subject.PERSON else None


def standing_list(
    *,
    viewer,
    period: str,
    year: int,
    subject: str = Subject.PERSON,
    within: OrgUnit | None = None,
) -> list[Standing]:
    """The year's or the cumulative ranking in the viewer's scope (as the quarter's ranking:
    a worker sees their own row, a supervisor their subtree), ranked over the whole county,
    ordered by county, rank and name. Four queries however many rows."""
    scope = scope_for(viewer)
    everyone = standings(subject=subject, period=period, year=year)
    ids = {s.unit_id for s in everyone}
    ids |= {i for s in everyone for i in (s.county_id, s.town_id, s.community_id) if i}
    units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=ids)}
    visible = []
    for s in everyone:
        unit = units.get(s.unit_id)
        if unit is None:
            continue
        mine = subject == Subject.PERSON and s.key == viewer.pk
        if not (mine or scope.covers_path(unit.path)):
            continue
        if within is not None and not unit.path.startswith(within.path):
            continue
        visible.append(s)
    people = {}
    if subject == Subject.PERSON:
        people = {u.pk: u for u in User.objects.filter(pk__in=[s.key for s in visible])}
    _attach(visible, units, people)
    visible.sort(
        key=lambda s: (
            s.county.path if s.county else "",
            s.rank_in_county or 0,
            s.person.name if s.person else (s.unit.name if s.unit else ""),
            s.key,
        )
    )
    return visible


# --- A worker's history ----------------------------------------------------------------------


@dataclass
class YearLine:
    year: int
    total: Decimal
    quarters: int
    rank_in_county: int | None
    county_size: int | None
    cumulative: Decimal
    cumulative_rank: int | None
    cumulative_size: int | None


@dataclass
class History:
    person: User
    results: list[ScoreResult]
    years: list[YearLine]
    nominations: list[Nomination]
    awards: list[Award]

    @property
    def cumulative(self) -> Decimal:
        return self.years[0].cumulative if self.years else Decimal("0.00")


def person_history(*, viewer, person_id) -> History:
    """A worker's quarters (total, ranks, stars), yearly and cumulative totals with their ranks
    in the county, nominations and awards: for the worker themselves and the supervisors and
    admins over them; anyone else gets ``NotFound``. A constant number of queries."""
    try:
        person = User.objects.get(pk=person_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such person."), field="person") from None
    if viewer.pk != person.pk and not supervises_person(viewer, person):
        raise NotFound(_("No such person."), field="person")
    results = list(
        ScoreResult.objects.filter(person=person)
        .exclude(quarter__status=QuarterStatus.DRAFT)
        .select_related("quarter", "unit", "county", "town")
        .order_by("-quarter__year", "-quarter__number")
    )
    rows = _yearly_rows(Subject.PERSON)
    years = sorted({r[1] for r in rows if r[0] == person.pk}, reverse=True)
    lines = []
    by_year: dict[int, dict] = defaultdict(dict)
    for year in years:
        for period in PERIODS:
            for s in standings_from(rows, subject=Subject.PERSON, period=period, year=year):
                if s.key == person.pk:
                    by_year[year][period] = s
        y, c = by_year[year][PERIOD_YEAR], by_year[year][PERIOD_CUMULATIVE]
        lines.append(
            YearLine(
                year,
                y.total,
                y.quarters,
                y.rank_in_county,
                y.county_size,
                c.total,
                c.rank_in_county,
                c.county_size,
            )
        )
    nominations = list(
        Nomination.objects.filter(person=person)
        .select_related("round", "round__county", "decided_by")
        .order_by("-round__year", "-pk")
    )
    awards = list(
        Award.objects.filter(person=person).select_related("county").order_by("-year", "-pk")
    )
    return History(person, results, lines, nominations, awards)
