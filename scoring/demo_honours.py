"""Demo data for 星级社区工作者: each county's round for the demo's year, candidates proposed
from cumulative points, a town supervisor's nomination, most approved and one rejected.

Runs inside the scoring demo step, after its quarters are published. The year is the last
year whose four quarters are all published, else the latest year with a published quarter
(a demo built late in a year has only that year). Through the real services; deterministic.
"""

from __future__ import annotations

from casework.models import Membership, OrgUnit, Role, UnitKind, User
from scoring.models import Quarter, QuarterStatus
from scoring.services import honours as services

CANDIDATES = 5
APPROVE_REASON = "累计积分位居全县前列，群众评价好，经县委组织部审核同意"
REJECT_REASON = "本年度有群众不满意评价未整改到位，暂缓评选"
NOMINATE_REASON = "防汛期间连续值守，带头开展入户排查，群众认可度高"


def demo_year() -> int | None:
    years: dict[int, int] = {}
    for year in Quarter.objects.filter(status=QuarterStatus.PUBLISHED).values_list(
        "year", flat=True
    ):
        years[year] = years.get(year, 0) + 1
    full = [year for year, n in years.items() if n == 4]
    if full:
        return max(full)
    return max(years, default=None)


def build_honours(ctx, admin: User) -> None:
    year = demo_year()
    if year is None:
        return
    named = rounds = 0
    for county in OrgUnit.objects.filter(kind=UnitKind.COUNTY).order_by("path"):
        round_ = services.honour_round_open(
            actor=admin, county=county, year=year, candidate_count=CANDIDATES, now=ctx.now
        )
        rounds += 1
        _nominate_one(ctx, round_, county)
        nominations = list(round_.nominations.order_by("-cumulative_total", "pk"))
        for index, nomination in enumerate(nominations):
            approve = index != len(nominations) - 1  # the last is rejected, with a reason
            services.nomination_decide(
                actor=admin,
                nomination=nomination,
                approve=approve,
                reason=APPROVE_REASON if approve else REJECT_REASON,
                stars=5 if index == 0 else None,
                now=ctx.now,
            )
            named += approve
        services.honour_round_close(actor=admin, round=round_, now=ctx.now)
    ctx.say(f"  honours: {rounds} rounds for {year}, {named} 星级社区工作者 named\n")


def _nominate_one(ctx, round_, county) -> None:
    """A town supervisor adds a worker of their town who was not proposed."""
    from scoring.selectors.rankings import PERIOD_CUMULATIVE, standings

    taken = set(round_.nominations.values_list("person_id", flat=True))
    sups = (
        Membership.objects.filter(
            role=Role.SUPERVISOR, unit__kind=UnitKind.TOWN, unit__path__startswith=county.path
        )
        .select_related("user", "unit")
        .order_by("unit__path", "pk")
    )
    ranked = sorted(
        (
            s
            for s in standings(period=PERIOD_CUMULATIVE, year=round_.year)
            if s.county_id == county.pk and s.key not in taken
        ),
        key=lambda s: (-s.total, s.key),
    )
    for membership in sups:
        for standing in ranked:
            if standing.town_id == membership.unit_id:
                person = User.objects.get(pk=standing.key)
                services.nomination_add(
                    actor=membership.user,
                    round=round_,
                    person=person,
                    reason=NOMINATE_REASON,
                    now=ctx.now,
                )
                return
