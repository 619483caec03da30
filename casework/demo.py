"""Demo data for the core: the Yulin hierarchy of the seed article, the categories, the staff.

Run through ``python manage.py seed_demo``, which calls the ``STEPS`` of every app's ``demo``
module in order. Deterministic: every choice comes from the context's seeded ``random.Random``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from unittest import mock

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from casework.models import Category, OrgUnit, Role, UnitKind, User
from casework.models.categories import DeadlineClass
from casework.services import category_create, membership_grant, person_create, unit_create

DEMO_LOGINS = {
    "demo-admin": "admin of Yulin city (玉林市), sees everything",
    "demo-supervisor": "supervisor of the demo community",
    "demo-handler": "handler at the demo community's property company",
    "demo-grid": "grid worker of the demo grid",
    "demo-volunteer": "volunteer in the demo grid",
    "desk-town001": "handler at 博白镇's service desk, which signs for cases sent up (兜底)",
}


@dataclass
class DemoContext:
    """What the demo steps share: the seeded random source, the clock, and what they built."""

    rng: random.Random
    now: datetime
    out: Any
    objects: dict[str, Any] = field(default_factory=dict)
    password_hash: str = ""

    def say(self, message: str) -> None:
        if self.out is not None:
            self.out.write(message)


# --- The places of the article ---------------------------------------------------------------
# Bobai county: 11 communities in the county seat, 23 compound party branches (小区党支部).
# Xingye county: 11 communities. Fumian district: 6 towns, 12 communities.
PLACES = [
    {
        "county": ("博白县", "450923"),
        "towns": [
            (
                "博白镇",
                [
                    "城东社区",
                    "城西社区",
                    "城南社区",
                    "城北社区",
                    "城中社区",
                    "新城社区",
                    "文化社区",
                    "人民社区",
                    "解放社区",
                    "建设社区",
                    "园丁社区",
                ],
            )
        ],
        "compounds": 23,
    },
    {
        "county": ("兴业县", "450924"),
        "towns": [
            (
                "石南镇",
                [
                    "东风社区",
                    "南街社区",
                    "北街社区",
                    "西街社区",
                    "新华社区",
                    "东湖社区",
                    "城隍社区",
                    "兴旺社区",
                    "龙安社区",
                    "园林社区",
                    "胜利社区",
                ],
            )
        ],
        "compounds": 22,
    },
    {
        "county": ("福绵区", "450903"),
        "towns": [
            ("福绵镇", ["福西社区", "福东社区"]),
            ("成均镇", ["成均社区", "均安社区"]),
            ("樟木镇", ["樟木社区", "樟城社区"]),
            ("新桥镇", ["新桥社区", "桥东社区"]),
            ("沙田镇", ["沙田社区", "田园社区"]),
            ("石和镇", ["石和社区", "和平社区"]),
        ],
        "compounds": 24,
    },
]

COUNTY_DEPARTMENTS = ["住房和城乡建设局", "城市管理局", "民政局", "自来水公司", "供电局"]
COMPOUND_WORDS = [
    "阳光",
    "锦绣",
    "翠苑",
    "金桂",
    "华府",
    "东城",
    "碧水",
    "幸福",
    "和谐",
    "盛世",
    "名都",
    "滨江",
    "丽景",
    "康乐",
    "福临",
    "荔园",
    "香樟",
    "凤凰",
    "龙湾",
    "书香",
    "宏达",
    "兴盛",
    "怡景",
    "欣苑",
    "嘉园",
]
COMPOUND_SUFFIXES = ["小区", "花园", "家园", "苑", "公寓"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韦莫庞钟邓冯覃蒋"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国玉兰海燕志红春梅德文丽萍小兵"

# --- The taxonomy ----------------------------------------------------------------------------
# (code, name, English name, deadline class, requires ID number, supervisor verifies)
CATEGORIES = [
    (
        "property",
        "物业管理",
        "Property management",
        [
            (
                "property-elevator",
                "电梯故障",
                "Lift breakdown",
                DeadlineClass.UTILITY,
                False,
                False,
            ),
            (
                "property-facility",
                "公共设施损坏",
                "Broken shared facilities",
                DeadlineClass.GENERAL,
                False,
                False,
            ),
            (
                "property-greening",
                "绿化养护",
                "Green space upkeep",
                DeadlineClass.GENERAL,
                False,
                False,
            ),
            ("property-parking", "停车管理", "Parking", DeadlineClass.GENERAL, False, False),
            ("property-fees", "物业收费", "Property fees", DeadlineClass.COMPLEX, False, False),
        ],
    ),
    (
        "municipal",
        "市政设施",
        "Municipal facilities",
        [
            (
                "municipal-streetlight",
                "路灯不亮",
                "Street lights out",
                DeadlineClass.GENERAL,
                False,
                False,
            ),
            ("municipal-road", "道路破损", "Damaged road", DeadlineClass.GENERAL, False, False),
            (
                "municipal-manhole",
                "井盖缺失",
                "Missing manhole cover",
                DeadlineClass.EMERGENCY,
                False,
                True,
            ),
            ("municipal-drain", "排水堵塞", "Blocked drain", DeadlineClass.UTILITY, False, False),
        ],
    ),
    (
        "utility",
        "水电气",
        "Water, power and gas",
        [
            ("utility-water", "停水", "No water", DeadlineClass.UTILITY, False, False),
            ("utility-power", "停电", "Power cut", DeadlineClass.UTILITY, False, False),
            ("utility-gas", "燃气泄漏", "Gas leak", DeadlineClass.EMERGENCY, False, True),
        ],
    ),
    (
        "sanitation",
        "环境卫生",
        "Sanitation",
        [
            (
                "sanitation-rubbish",
                "垃圾清运",
                "Rubbish collection",
                DeadlineClass.GENERAL,
                False,
                False,
            ),
            ("sanitation-noise", "噪音扰民", "Noise", DeadlineClass.GENERAL, False, False),
            (
                "sanitation-illegal-build",
                "违章搭建",
                "Illegal construction",
                DeadlineClass.COMPLEX,
                False,
                True,
            ),
        ],
    ),
    (
        "welfare",
        "社会保障",
        "Social security",
        [
            (
                "welfare-subsistence",
                "低保申请",
                "Subsistence allowance",
                DeadlineClass.COMPLEX,
                True,
                False,
            ),
            ("welfare-elderly", "养老服务", "Elderly care", DeadlineClass.GENERAL, False, False),
            (
                "welfare-medical",
                "医保办理",
                "Medical insurance",
                DeadlineClass.GENERAL,
                True,
                False,
            ),
            (
                "welfare-disability",
                "残疾人帮扶",
                "Disability support",
                DeadlineClass.COMPLEX,
                True,
                False,
            ),
        ],
    ),
    (
        "dispute",
        "矛盾纠纷",
        "Disputes",
        [
            (
                "dispute-neighbour",
                "邻里纠纷",
                "Neighbour dispute",
                DeadlineClass.GENERAL,
                False,
                False,
            ),
            (
                "dispute-property",
                "物业纠纷",
                "Dispute with the property company",
                DeadlineClass.COMPLEX,
                False,
                False,
            ),
        ],
    ),
    (
        "safety",
        "治安消防",
        "Safety and fire",
        [
            ("safety-fire", "消防隐患", "Fire hazard", DeadlineClass.EMERGENCY, False, True),
            ("safety-order", "治安问题", "Public order", DeadlineClass.GENERAL, False, False),
        ],
    ),
    (
        "consult",
        "政策咨询",
        "Policy questions",
        [
            ("consult-policy", "政策咨询", "Policy question", DeadlineClass.GENERAL, False, False),
            (
                "consult-party",
                "党员服务",
                "Party member services",
                DeadlineClass.GENERAL,
                False,
                False,
            ),
        ],
    ),
]


@contextmanager
def clock(when: datetime) -> Iterator[None]:
    """Run the real services as if it were ``when``, so a year of demo history has real times.

    Demo data only: every service reads the time through ``django.utils.timezone.now``.
    """
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def _person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(SURNAMES) + given


def _person(ctx: DemoContext, username: str, name: str | None = None) -> User:
    user = person_create(username=username, name=name or _person_name(ctx.rng), is_demo=True)
    # One hash shared by every demo login: hashing hundreds of passwords would take minutes.
    user.password = ctx.password_hash
    user.save(update_fields=["password"])
    return user


def build_categories(ctx: DemoContext) -> None:
    for order, (code, name, name_en, leaves) in enumerate(CATEGORIES):
        parent = category_create(code=code, name=name, name_en=name_en, sort_order=order)
        for leaf_order, (leaf_code, leaf, leaf_en, klass, needs_id, verify) in enumerate(leaves):
            category_create(
                code=leaf_code,
                name=leaf,
                name_en=leaf_en,
                parent=parent,
                deadline_class=klass,
                requires_id_number=needs_id,
                requires_verification=verify,
                sort_order=leaf_order,
            )
    ctx.say(f"  categories: {Category.objects.count()}\n")


def build_org(ctx: DemoContext) -> None:
    rng = ctx.rng
    city = unit_create(name="玉林市", kind=UnitKind.CITY, code="450900")
    admin = _person(ctx, "demo-admin", "韦建国")
    membership_grant(user=admin, unit=city, role=Role.ADMIN)
    compound_names = iter(
        f"{word}{suffix}" for suffix in COMPOUND_SUFFIXES for word in COMPOUND_WORDS
    )
    serial = {"grid": 0, "community": 0, "town": 0, "secretary": 0, "handler": 0, "volunteer": 0}
    for place in PLACES:
        county_name, county_code = place["county"]
        county = unit_create(name=county_name, kind=UnitKind.COUNTY, parent=city, code=county_code)
        county_admin = _person(ctx, f"admin-{county_code}")
        membership_grant(user=county_admin, unit=county, role=Role.ADMIN)
        _desk(ctx, county, f"{county_name}综治中心", f"desk-{county_code}")
        departments = []
        for dept in COUNTY_DEPARTMENTS:
            unit = unit_create(
                name=f"{county_name}{dept}", kind=UnitKind.DEPARTMENT, parent=county
            )
            departments.append(unit)
            serial["handler"] += 1
            handler = _person(ctx, f"handler{serial['handler']:03d}")
            membership_grant(user=handler, unit=unit, role=Role.HANDLER)
        communities = [
            (town, community)
            for town, community_names in place["towns"]
            for community in community_names
        ]
        towns: dict[str, OrgUnit] = {}
        compounds_left = place["compounds"]
        for index, (town_name, community_name) in enumerate(communities):
            if town_name not in towns:
                town = unit_create(name=town_name, kind=UnitKind.TOWN, parent=county)
                towns[town_name] = town
                serial["town"] += 1
                supervisor = _person(ctx, f"town{serial['town']:03d}")
                membership_grant(user=supervisor, unit=town, role=Role.SUPERVISOR)
                _desk(
                    ctx, town, f"{town_name}网格化服务管理中心", f"desk-town{serial['town']:03d}"
                )
            town = towns[town_name]
            community = unit_create(name=community_name, kind=UnitKind.COMMUNITY, parent=town)
            serial["community"] += 1
            first = ctx.objects.get("demo_community") is None
            if first:
                ctx.objects["demo_community"] = community
            supervisor = _person(
                ctx, "demo-supervisor" if first else f"community{serial['community']:03d}"
            )
            membership_grant(user=supervisor, unit=community, role=Role.SUPERVISOR)
            # A 民情书记 from a county department is linked to each community (挂点联系).
            serial["secretary"] += 1
            secretary = _person(ctx, f"secretary{serial['secretary']:03d}")
            membership_grant(user=secretary, unit=community, role=Role.MINQING_SECRETARY)
            membership_grant(user=secretary, unit=rng.choice(departments), role=Role.HANDLER)
            company = unit_create(
                name=f"{community_name.removesuffix('社区')}物业服务有限公司",
                kind=UnitKind.COMPANY,
                parent=community,
            )
            serial["handler"] += 1
            handler = _person(ctx, "demo-handler" if first else f"handler{serial['handler']:03d}")
            membership_grant(user=handler, unit=company, role=Role.HANDLER)
            # Spread the county's compounds evenly over its communities, two grids each.
            share = compounds_left // (len(communities) - index)
            compounds_left -= share
            for grid_index in range(2):
                grid = unit_create(
                    name=f"{community_name}第{grid_index + 1}网格",
                    kind=UnitKind.GRID,
                    parent=community,
                )
                serial["grid"] += 1
                demo_grid = first and grid_index == 0
                if demo_grid:
                    ctx.objects["demo_grid"] = grid
                worker = _person(ctx, "demo-grid" if demo_grid else f"grid{serial['grid']:03d}")
                membership_grant(user=worker, unit=grid, role=Role.GRID_WORKER)
                serial["volunteer"] += 1
                volunteer = _person(
                    ctx, "demo-volunteer" if demo_grid else f"volunteer{serial['volunteer']:03d}"
                )
                membership_grant(user=volunteer, unit=grid, role=Role.VOLUNTEER)
                in_grid = share // 2 + (share % 2 if grid_index == 0 else 0)
                for _ in range(max(in_grid, 1)):
                    compound = unit_create(
                        name=next(compound_names), kind=UnitKind.COMPOUND, parent=grid
                    )
                    unit_create(
                        name=f"{compound.name}业主委员会", kind=UnitKind.COMMITTEE, parent=compound
                    )
                    for building in range(1, rng.randint(3, 6)):
                        unit_create(name=f"{building}栋", kind=UnitKind.BUILDING, parent=compound)
    counts = {kind: OrgUnit.objects.filter(kind=kind).count() for kind in UnitKind.values}
    ctx.say(
        "  units: "
        + ", ".join(f"{kind} {count}" for kind, count in counts.items() if count)
        + f"; people: {User.objects.count()}\n"
    )


def _desk(ctx: DemoContext, place: OrgUnit, name: str, username: str) -> OrgUnit:
    """A town's or county's service desk (网格化服务管理中心 / 综治中心), which backstops (兜底)
    the cases sent up to it, with a handler who signs for them."""
    desk = unit_create(name=name, kind=UnitKind.DESK, parent=place)
    membership_grant(user=_person(ctx, username), unit=desk, role=Role.HANDLER)
    return desk


def prepare(ctx: DemoContext) -> None:
    ctx.password_hash = make_password(settings.MINQING_DEMO_PASSWORD)


def already_seeded() -> bool:
    return User.objects.filter(username="demo-admin").exists()


@transaction.atomic
def build(ctx: DemoContext) -> None:
    prepare(ctx)
    build_categories(ctx)
    build_org(ctx)


# --- Driving the demo cases through the workflow --------------------------------------------


def _staff(role: str) -> dict[str, User]:
    """Unit path → the first person holding ``role`` there."""
    from casework.models import Membership

    found: dict[str, User] = {}
    for m in Membership.objects.filter(role=role).select_related("unit", "user").order_by("id"):
        found.setdefault(m.unit.path, m.user)
    return found


def _nearest(staff: dict[str, User], path: str) -> User | None:
    step = OrgUnit.steplen
    for end in range(len(path), 0, -step):
        if path[:end] in staff:
            return staff[path[:end]]
    return None


class _Driver:
    """Moves one case along a realistic path, stopping at the real present."""

    def __init__(self, ctx: DemoContext):
        from casework.selectors.cases import dispatch_units

        self.ctx = ctx
        self.rng = ctx.rng
        self.supervisors = _staff(Role.SUPERVISOR)
        self.handlers = _staff(Role.HANDLER)
        self.workers = _staff(Role.GRID_WORKER)
        self.dispatch_units = dispatch_units
        self.counts: dict[str, int] = {}

    def _later(self, at: datetime, low_minutes: float, high_minutes: float) -> datetime:
        return at + timedelta(minutes=self.rng.uniform(low_minutes, high_minutes))

    def _target(self, case, exclude=()):
        units = [u for u in self.dispatch_units(case) if u.kind in ("company", "department")]
        units = [u for u in units if u.path in self.handlers and u.pk not in exclude]
        code = case.category.code
        if code.startswith(("property", "dispute-property")):
            preferred = [u for u in units if u.kind == "company"]
        else:
            preferred = [u for u in units if u.kind == "department"]
        return self.rng.choice(preferred or units)

    #: Where the work on a case opened in the last fortnight may have got to by now.
    RECENT_STOPS = ("new", "assigned", "in_progress", "in_progress", "resolved", "reopened")

    def drive(self, case) -> str:

        now = self.ctx.now
        if now - case.created_at < timedelta(days=14):
            stop = self.rng.choice(self.RECENT_STOPS)
            return self._drive(case, until=stop)
        return self._drive(case, until=None)

    def _drive(self, case, *, until: str | None) -> str:
        from casework import services
        from casework.models import CaseState

        now = self.ctx.now
        sup = _nearest(self.supervisors, case.unit.path)
        worker = _nearest(self.workers, case.unit.path)
        at = case.created_at
        roll = self.rng.random()

        def step(when, call):
            if when > now:
                raise _Stop
            with clock(when):
                done = call()
            if until is not None and done.state == until:
                raise _Stop
            return done

        try:
            if until == "new":
                raise _Stop
            if roll < 0.02 and until is None:
                case = step(
                    self._later(at, 30, 600),
                    lambda: services.case_cancel(case=case, actor=sup, reason="重复诉求，已合并"),
                )
                return "cancelled"
            unit = self._target(case)
            # The paths a county lives on besides the plain one, from a draw of their own.
            path = self.rng.random() if until is None else 1.0
            co_handlers = []
            if 0.07 <= path < 0.11 and roll >= 0.10:  # 协办: two more units each do a part
                co_handlers = [
                    u
                    for u in self.dispatch_units(case)
                    if u.path in self.handlers and u.pk != unit.pk and u.kind == "department"
                ][:2]
            at = self._later(at, 10, 240)
            case = step(
                at,
                lambda: services.case_assign(
                    case=case, actor=sup, unit=unit, co_handlers=co_handlers
                ),
            )
            if roll < 0.07 and until is None:
                at = self._later(at, 20, 300)
                case = step(
                    at,
                    lambda: services.case_return(
                        case=case, actor=self.handlers[unit.path], reason="不属于本单位职责范围"
                    ),
                )
                unit = self._target(case, exclude={unit.pk})
                at = self._later(at, 30, 240)
                case = step(at, lambda: services.case_assign(case=case, actor=sup, unit=unit))
            if roll < 0.10 and until is None:
                meeting_at = self._later(at, 60 * 24, 60 * 24 * 5)
                community = case.unit.path[: OrgUnit.steplen * 4]
                return self._consult(case, sup, worker, community, meeting_at)
            label = "late" if late_roll(roll) else "on_time"
            if path < 0.04:  # 转办: the supervisor moves it to the unit that really owns it
                label = "transferred"
                unit = self._target(case, exclude={unit.pk})
                at = self._later(at, 30, 300)
                case = step(
                    at,
                    lambda: services.case_transfer(
                        case=case, actor=sup, unit=unit, reason="职责调整，转交责任单位办理"
                    ),
                )
            elif path < 0.07:  # 兜底: nobody below owns it; the town's desk takes it
                label = "sent_up"
                at = self._later(at, 30, 300)
                case = step(
                    at,
                    lambda: services.case_send_up(
                        case=case, actor=sup, reason="权属不清，提请镇网格化服务管理中心兜底"
                    ),
                )
                unit = case.owner_unit
            handler = self.handlers[unit.path]
            late = late_roll(roll)
            at = self._later(at, 5, 400 if late else 110)
            case = step(at, lambda: services.case_accept(case=case, actor=handler))
            if 0.11 <= path < 0.15 and case.due_at - at > timedelta(hours=6):
                # 延期: more time asked for, and granted, before the deadline passes.
                label = "extended"
                due = case.due_at
                at = self._later(at, 30, 120)
                step(
                    at,
                    lambda: (
                        services.extension_apply(
                            case=case,
                            actor=handler,
                            due_at=due + timedelta(days=7),
                            reason="需采购配件，等待到货",
                        ).case
                    ),
                )
                at = self._later(at, 30, 240)
                case = step(
                    at,
                    lambda: services.extension_decide(case=case, actor=sup, approve=True).case,
                )
                at = due + timedelta(hours=self.rng.uniform(2, 48))
            elif 0.15 <= path < 0.18:  # 挂账: waits for next year's budget, then is done
                label = "parked"
                at = self._later(at, 60, 60 * 24)
                review_on = (at + timedelta(days=60)).date()
                case = step(
                    at,
                    lambda: services.case_park(
                        case=case,
                        actor=sup,
                        plan="纳入下年度老旧小区改造计划，资金到位后实施",
                        review_on=review_on,
                    ),
                )
                at = datetime.combine(review_on, time(10), tzinfo=at.tzinfo)
                case = step(
                    at,
                    lambda: services.case_unpark(case=case, actor=sup, note="改造资金已到位"),
                )
            span = max((case.due_at - at).total_seconds() / 60, 30)
            resolve_at = self._later(
                at, span * (1.05 if late else 0.1), span * (1.6 if late else 0.9)
            )
            for co in co_handlers:  # each co-handler reports its part before the lead resolves
                label = "co_handled"
                at = self._later(at, 1, max((resolve_at - at).total_seconds() / 60 - 1, 2))
                step(
                    at,
                    lambda co=co: (
                        services.co_handling_report(
                            case=case,
                            actor=self.handlers[co.path],
                            opinion="本部门职责范围内事项已办结",
                        ).case
                    ),
                )
            at = max(resolve_at, at + timedelta(minutes=1))
            case = step(
                at,
                lambda: services.case_resolve(
                    case=case, actor=handler, result="已处理完毕，现场复核正常"
                ),
            )
            at = self._later(at, 60, 60 * 24 * 2)
            feedback = self.rng.random()
            if until == "reopened":
                feedback = 0.1  # the resident is not satisfied: the case goes back
            if feedback < 0.05:
                at = case.resolved_at + timedelta(days=4)
                case = step(
                    at, lambda: services.case_close(case=case, actor=sup, note="多次联系未果")
                )
                return "no_feedback"
            if feedback < 0.15:
                case = step(
                    at,
                    lambda: services.feedback_record(
                        case=case,
                        actor=worker,
                        solved=False,
                        satisfaction="unsatisfied",
                        note="问题仍在",
                    ),
                )
                at = self._later(at, 30, 300)
                case = step(at, lambda: services.case_assign(case=case, actor=sup, unit=unit))
                at = self._later(at, 5, 100)
                case = step(at, lambda: services.case_accept(case=case, actor=handler))
                at = self._later(at, 60, 60 * 24)
                case = step(
                    at,
                    lambda: services.case_resolve(case=case, actor=handler, result="返工处理完毕"),
                )
                at = self._later(at, 60, 60 * 24)
            satisfaction = "satisfied" if self.rng.random() < 0.8 else "basically_satisfied"
            case = step(
                at,
                lambda: services.feedback_record(
                    case=case, actor=worker, solved=True, satisfaction=satisfaction
                ),
            )
            if case.state == CaseState.RESOLVED:  # the category asks for a supervisor's check
                at = self._later(at, 60, 60 * 24)
                case = step(at, lambda: services.case_close(case=case, actor=sup, note="核查属实"))
            return "reopened_then_closed" if feedback < 0.15 else label
        except _Stop:
            return f"open:{case.state}"

    def _consult(self, case, sup, worker, community_path, at) -> str:
        from casework import services

        if at > self.ctx.now:
            return f"open:{case.state}"
        community = OrgUnit.objects.get(path=community_path)
        with clock(at):
            meeting = services.meeting_create(
                actor=sup,
                unit=community,
                held_at=at - timedelta(hours=2),
                place=f"{community.name}党群服务中心",
                topic=f"{case.category.name}问题协商",
                participants=[
                    ("residents_committee", "社区居委会代表"),
                    ("owners_committee", "业委会代表"),
                    ("property_company", "物业公司代表"),
                    ("building_leader", "党员楼栋长"),
                ],
                cases=[case],
                minutes="四方代表现场议定处理方案，明确责任与完成时限。",
            )
            services.meeting_decide(
                actor=sup,
                item=meeting.agenda.get(),
                decision="四方协商议定：由物业牵头维修，费用按约定分摊",
                resolves=True,
            )
        at = at + timedelta(days=1)
        if at <= self.ctx.now:
            with clock(at):
                case = services.feedback_record(
                    case=case.pk, actor=worker, solved=True, satisfaction="satisfied"
                )
            if case.state == "resolved":
                with clock(at + timedelta(hours=3)):
                    services.case_close(case=case, actor=sup, note="核查属实")
        return "consultation"


def late_roll(roll: float) -> bool:
    """The share of demo handlers who are late: the top 18% of the case's roll."""
    return roll > 0.82


class _Stop(Exception):
    """The next step of a demo case lies in the future: leave the case where it is."""


def drive_cases(ctx: DemoContext) -> None:
    """Drive every new demo case through a realistic path up to the present."""
    from casework.models import Case

    driver = _Driver(ctx)
    cases = (
        Case.objects.filter(state="new").select_related("unit", "category").order_by("created_at")
    )
    outcomes: dict[str, int] = {}
    for case in cases.iterator():
        with transaction.atomic():
            outcome = driver.drive(case)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    ctx.say("  cases: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) + "\n")


#: (order, name, function): seed_demo runs every app's steps sorted by order.
STEPS = [
    (10, "hierarchy, people and categories", build),
    (30, "the cases' year of work", drive_cases),
]
