"""Demo data for intake: a year of residents' requests in the three places of the article.

Every request goes through the real services (``visit_create``, ``request_intake``) under
``casework.demo.clock``, so it carries a real time of the past year and the cases it opens are
opened at that time; casework's later step (order 30) drives those cases through the workflow.

The shape follows the article: 民情书记 visit each community monthly and answer most requests
on the spot (in 兴业县 one 民意反馈日 round collects exactly 84, answers 72 and opens 12 cases),
the rest come by hotline, the online form, the mailbox, volunteers and four-party
consultations; about 15% become cases, a few join an earlier case or are rejected.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from casework.demo import DemoContext, clock
from casework.models import Category, Membership, OrgUnit, Role, UnitKind, User
from requests_app.demo_texts import PHRASINGS, describe
from requests_app.models import Channel, Request, RequestStatus, Visit, VisitKind
from requests_app.personal import id_check_digit
from requests_app.services import Outcome, request_intake, visit_create

#: How often each category comes up (the rest share what is left).
WEIGHTS = {
    "property-facility": 12,
    "property-elevator": 8,
    "property-parking": 7,
    "sanitation-rubbish": 8,
    "sanitation-noise": 6,
    "consult-policy": 8,
    "municipal-streetlight": 5,
    "welfare-elderly": 5,
    "dispute-neighbour": 5,
}

REJECT_REASONS = ["重复来电，已在处理中", "不属于社区受理范围，已告知到法院起诉", "内容无法核实"]
ADDRESSES = ["{c}{b}{n}室", "{c}{b}{n}", "{c}附近"]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "177",
    "180",
    "181",
    "182",
    "186",
    "187",
    "188",
    "199",
]

#: The article's figures for one 民意反馈日 round in 兴业县: collected, answered, assisted.
XINGYE_ROUND = (84, 72, 12)


@dataclass
class _Plan:
    at: datetime
    actor: User
    unit: OrgUnit
    channel: str
    visit_key: Any = None
    outcome: str = ""
    category: Category | None = None
    extra: dict = field(default_factory=dict)


class _Builder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng: random.Random = ctx.rng
        self.now = ctx.now
        self.start = ctx.now - timedelta(days=365)
        self.categories = {
            c.code: c for c in Category.objects.filter(parent__isnull=False, is_active=True)
        }
        # What residents say comes from ``requests_app.demo_texts``.
        codes = sorted(c for c in self.categories if c in PHRASINGS)
        self.codes = codes
        self.weights = [WEIGHTS.get(c, 2) for c in codes]
        self.users: dict[int, User] = {}
        self.staff = self._staff()
        self.residents: dict[str, list[dict]] = {}
        self.with_case: dict[int, Request] = {}
        self.counts: dict[str, int] = {}

    # --- who works where --------------------------------------------------------------------

    def _staff(self) -> dict[str, dict[str, list[User]]]:
        """Unit path → role → people, reusing one user object per person (scope is cached)."""
        staff: dict[str, dict[str, list[User]]] = {}
        for m in Membership.objects.select_related("user", "unit").order_by("id"):
            user = self.users.setdefault(m.user_id, m.user)
            staff.setdefault(m.unit.path, {}).setdefault(m.role, []).append(user)
        return staff

    def _one(self, path: str, role: str) -> User | None:
        people = self.staff.get(path, {}).get(role)
        return people[0] if people else None

    # --- what residents look like ------------------------------------------------------------

    def _phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def _id_number(self) -> str:
        born = self.start - timedelta(days=self.rng.randint(20 * 365, 85 * 365))
        first = f"4509{self.rng.randint(0, 30):02d}{born:%Y%m%d}{self.rng.randint(0, 999):03d}"
        return first + id_check_digit(first)

    def _resident(self, compound: OrgUnit, building: OrgUnit | None) -> dict:
        from casework.demo import _person_name

        pool = self.residents.setdefault(compound.path, [])
        # About one request in three comes from someone who asked before.
        if pool and self.rng.random() < 0.35:
            return self.rng.choice(pool)
        address = self.rng.choice(ADDRESSES).format(
            c=compound.name,
            b=building.name if building else "",
            n=f"{self.rng.randint(1, 18)}0{self.rng.randint(1, 4)}",
        )
        resident = {"name": _person_name(self.rng), "phone": self._phone(), "address": address}
        pool.append(resident)
        return resident

    # --- the plan ---------------------------------------------------------------------------

    def places(self) -> list[tuple[OrgUnit, list[OrgUnit], dict[str, list[OrgUnit]]]]:
        """Every community with its grids and, per grid, its compounds and buildings."""
        units = list(
            OrgUnit.objects.filter(
                kind__in=[UnitKind.COMMUNITY, UnitKind.GRID, UnitKind.COMPOUND, UnitKind.BUILDING]
            ).order_by("path")
        )
        by_parent: dict[str, list[OrgUnit]] = {}
        for unit in units:
            by_parent.setdefault(unit.parent_path(), []).append(unit)
        out = []
        for community in (u for u in units if u.kind == UnitKind.COMMUNITY):
            grids = [g for g in by_parent.get(community.path, []) if g.kind == UnitKind.GRID]
            below = {g.path: by_parent.get(g.path, []) for g in grids}
            for compounds in list(below.values()):
                for compound in compounds:
                    below[compound.path] = by_parent.get(compound.path, [])
            out.append((community, grids, below))
        return out

    def _day(self, low_day: int, high_day: int, hour_from=8, hour_to=19) -> datetime:
        # Office hours are local hours (Asia/Shanghai), not UTC.
        day = timezone.localtime(self.start + timedelta(days=self.rng.randint(low_day, high_day)))
        return day.replace(
            hour=self.rng.randint(hour_from, hour_to),
            minute=self.rng.randint(0, 59),
            second=0,
            microsecond=0,
        )

    def _where(self, grid: OrgUnit, below: dict[str, list[OrgUnit]]):
        compounds = below.get(grid.path) or []
        if not compounds:
            return grid, None, None
        compound = self.rng.choice(compounds)
        buildings = below.get(compound.path) or []
        if buildings and self.rng.random() < 0.7:
            building = self.rng.choice(buildings)
            return building, compound, building
        return compound, compound, None

    def _outcome(self, channel: str) -> str:
        roll = self.rng.random()
        answered = 0.86 if channel == Channel.ONSITE else 0.78
        if roll < answered:
            return Outcome.ANSWER_ON_SPOT
        if roll < answered + (0.13 if channel == Channel.ONSITE else 0.17):
            return Outcome.OPEN_CASE
        return "reject"

    def plan(self) -> list[_Plan]:
        plans: list[_Plan] = []
        xingye = OrgUnit.objects.get(kind=UnitKind.COUNTY, name="兴业县").path
        feedback_month = self.rng.randint(3, 9)
        xingye_communities = []
        for community, grids, below in self.places():
            secretary = self._one(community.path, Role.MINQING_SECRETARY)
            supervisor = self._one(community.path, Role.SUPERVISOR)
            # 民情书记: one visit a month to a grid of the community.
            for month in range(12):
                if not (secretary and grids):
                    break
                at = self._day(month * 30 + 1, month * 30 + 28, 9, 10)
                if at >= self.now:
                    continue
                if community.path.startswith(xingye) and month == feedback_month:
                    xingye_communities.append((community, grids, below, secretary, at))
                    continue
                grid = self.rng.choice(grids)
                key = ("visit", community.pk, month)
                visit = _Plan(at, secretary, grid, "", visit_key=key, extra={"visit": True})
                plans.append(visit)
                for i in range(self.rng.randint(2, 6)):
                    unit, compound, building = self._where(grid, below)
                    plans.append(
                        self._request(
                            at + timedelta(minutes=10 + 9 * i),
                            secretary,
                            unit,
                            Channel.ONSITE,
                            compound,
                            building,
                            visit_key=key,
                        )
                    )
            # Grid workers, volunteers, the hotline, the online form, the mailbox.
            for grid in grids:
                worker = self._one(grid.path, Role.GRID_WORKER)
                volunteer = self._one(grid.path, Role.VOLUNTEER)
                per_channel = [
                    (Channel.HOTLINE, worker, 6),
                    (Channel.ONLINE, worker, 4),
                    (Channel.ONSITE, worker, 4),
                    (Channel.VOLUNTEER, volunteer, 3),
                    (Channel.MAILBOX, supervisor, 2),
                ]
                for channel, actor, n in per_channel:
                    if actor is None:
                        continue
                    for _ in range(self.rng.randint(n // 2, n + n // 2)):
                        at = self._day(0, 364)
                        if at >= self.now:
                            continue
                        unit, compound, building = self._where(grid, below)
                        plans.append(self._request(at, actor, unit, channel, compound, building))
            # Four-party consultations (四方协商) bring a few requests a year.
            for _ in range(self.rng.randint(1, 3)):
                if supervisor is None or not grids:
                    break
                grid = self.rng.choice(grids)
                unit, compound, building = self._where(grid, below)
                at = self._day(0, 360, 14, 16)
                if at < self.now:
                    plan = self._request(
                        at, supervisor, unit, Channel.CONSULTATION, compound, None
                    )
                    plan.outcome = Outcome.OPEN_CASE
                    plans.append(plan)
        plans.extend(self._xingye_round(xingye_communities))
        plans.extend(self._backlog())
        plans.extend(self._duplicates(plans))
        plans.sort(key=lambda p: (p.at, 0 if p.extra.get("visit") else 1))
        return plans

    def _duplicates(self, plans: list[_Plan]) -> list[_Plan]:
        """Neighbours reporting a problem that already has a case: they join it."""
        out = []
        for plan in plans:
            if plan.outcome != Outcome.OPEN_CASE or plan.extra.get("fixed"):
                continue
            if plan.category is None or self.rng.random() > 0.15:
                continue
            at = plan.at + timedelta(hours=self.rng.randint(3, 96))
            if at >= self.now:
                continue
            compound = plan.extra.get("compound")
            dup = _Plan(at, plan.actor, plan.unit, Channel.HOTLINE, category=plan.category)
            dup.outcome = Outcome.MERGE
            dup.extra.update(
                description="又有居民反映：" + plan.extra["description"],
                answer=plan.extra["answer"],
                compound=compound,
                resident=self._resident(compound, None) if compound else None,
                duplicate_of=id(plan),
            )
            out.append(dup)
        return out

    def _backlog(self, count: int = 16) -> list[_Plan]:
        """This fortnight in the demo community: cases still being worked, so that a newcomer
        signing in as demo-supervisor or demo-handler finds every queue with something in it."""
        community = self.ctx.objects.get("demo_community")
        grid = self.ctx.objects.get("demo_grid")
        if community is None or grid is None:
            return []
        worker = self._one(grid.path, Role.GRID_WORKER)
        below = next((b for c, _g, b in self.places() if c.pk == community.pk), {})
        plans = []
        for _ in range(count):
            at = timezone.localtime(self.now - timedelta(days=self.rng.uniform(0.2, 12))).replace(
                second=0, microsecond=0
            )
            unit, compound, building = self._where(grid, below)
            plan = self._request(at, worker, unit, Channel.ONSITE, compound, building)
            plan.outcome = Outcome.OPEN_CASE
            plan.extra["fixed"] = True
            plans.append(plan)
        return plans

    def _xingye_round(self, communities) -> list[_Plan]:
        """One 民意反馈日 round: 84 collected, 72 answered on the spot, 12 cases."""
        collected, answered, assisted = XINGYE_ROUND
        if not communities:
            return []
        outcomes = [Outcome.ANSWER_ON_SPOT] * answered + [Outcome.OPEN_CASE] * assisted
        self.rng.shuffle(outcomes)
        plans = []
        shares = [collected // len(communities)] * len(communities)
        for i in range(collected - sum(shares)):
            shares[i] += 1
        for (community, grids, below, secretary, at), share in zip(
            communities, shares, strict=True
        ):
            grid = self.rng.choice(grids)
            key = ("feedback_day", community.pk)
            plans.append(
                _Plan(
                    at, secretary, grid, "", visit_key=key, extra={"visit": True, "feedback": True}
                )
            )
            for i in range(share):
                unit, compound, building = self._where(grid, below)
                plan = self._request(
                    at + timedelta(minutes=5 + 4 * i),
                    secretary,
                    unit,
                    Channel.ONSITE,
                    compound,
                    building,
                    visit_key=key,
                )
                plan.outcome = outcomes.pop()
                plan.extra["fixed"] = True
                plans.append(plan)
        return plans

    def _request(self, at, actor, unit, channel, compound, building, visit_key=None) -> _Plan:
        code = self.rng.choices(self.codes, weights=self.weights)[0]
        plan = _Plan(at, actor, unit, channel, visit_key=visit_key)
        plan.category = self.categories[code]
        plan.outcome = self._outcome(channel)
        description, answer = describe(code, self.rng, building=building.name if building else "")
        plan.extra["description"] = description
        plan.extra["answer"] = answer
        plan.extra["compound"] = compound
        if channel == Channel.MAILBOX and self.rng.random() < 0.6:
            plan.extra["resident"] = None  # an anonymous letter
        elif compound is not None:
            plan.extra["resident"] = self._resident(compound, building)
        if self.rng.random() < 0.08:
            plan.extra["urgency"] = "urgent"
        if plan.category.deadline_class == "emergency":
            plan.extra["urgency"] = "emergency"
        return plan

    # --- running it -------------------------------------------------------------------------

    def run(self, plans: list[_Plan]) -> None:
        visits: dict[Any, Visit] = {}
        for plan in plans:
            if plan.extra.get("visit"):
                with clock(plan.at):
                    visits[plan.visit_key] = visit_create(
                        actor=plan.actor,
                        unit=plan.unit,
                        visited_at=plan.at,
                        kind=(
                            VisitKind.FEEDBACK_DAY
                            if plan.extra.get("feedback")
                            else VisitKind.SECRETARY
                        ),
                        note="民意反馈日，在小区广场设点收集居民诉求"
                        if plan.extra.get("feedback")
                        else "",
                    )
                continue
            self._collect(plan, visits.get(plan.visit_key))

    def _collect(self, plan: _Plan, visit: Visit | None) -> None:
        outcome = plan.outcome
        recent = plan.at > self.now - timedelta(days=3)
        if recent and not plan.extra.get("fixed") and self.rng.random() < 0.5:
            outcome = ""  # the last days' requests wait for a decision
        merge_into = None
        if outcome == Outcome.MERGE:
            merge_into = self.with_case.get(plan.extra["duplicate_of"])
            if merge_into is None:
                outcome = Outcome.ANSWER_ON_SPOT
        reject = outcome == "reject"
        fields = dict(
            actor=plan.actor,
            channel=plan.channel,
            category=plan.category,
            unit=plan.unit,
            description=plan.extra["description"],
            urgency=plan.extra.get("urgency", "normal"),
            resident=plan.extra.get("resident"),
            id_number=self._id_number() if plan.category.requires_id_number else "",
            visit=visit,
            collected_at=plan.at,
            outcome="" if reject else outcome,
            answer=plan.extra["answer"],
            merge_into=merge_into,
        )
        decided = plan.at + timedelta(minutes=self.rng.randint(2, 15 if visit else 90))
        with clock(min(decided, self.now)):
            request = request_intake(**fields)
            if reject:
                from requests_app.services import request_reject

                request = request_reject(
                    request=request, actor=plan.actor, reason=self.rng.choice(REJECT_REASONS)
                )
        if request.status == RequestStatus.CASE_OPENED:
            self.with_case[id(plan)] = request
        self.counts[request.status] = self.counts.get(request.status, 0) + 1


@transaction.atomic
def build(ctx: DemoContext) -> None:
    builder = _Builder(ctx)
    plans = builder.plan()
    builder.run(plans)
    counts = builder.counts
    ctx.say(
        f"  requests: {sum(counts.values())} ("
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        + f"); visits: {Visit.objects.count()}\n"
    )


def build_callbacks(ctx: DemoContext) -> None:
    """Every ended month's call-back samples, drawn and mostly checked
    (``requests_app.demo_callbacks``): after the cases, before scoring computes the quarters."""
    from requests_app.demo_callbacks import build as build_samples

    build_samples(ctx)


def build_month_visits(ctx: DemoContext) -> None:
    """This month's coverage and reminders (``requests_app.demo_visits``)."""
    from requests_app.demo_visits import build as build_visits

    build_visits(ctx)


#: (order, name, function): seed_demo runs every app's steps sorted by order.
STEPS = [
    (20, "a year of requests", build),
    (35, "call-back samples, checked (抽查回访)", build_callbacks),
    (90, "this month's visits and reminders (遍访)", build_month_visits),
]
