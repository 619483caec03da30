"""Demo data for scoring: a year of evidence, every ended quarter of it computed and published.

Runs after the casework step that works the demo cases (their events feed the case-derived
points). Everything goes through the real services, as the people of the demo would record it:
service cards, pledges and their random checks, dual registration, volunteer activities,
supervisors' evaluations, a few points given by hand; then each ended quarter is computed and
published, a couple of corrective talks are recorded, and the quarter in progress is computed as
a provisional ranking. Deterministic: every choice comes from the context's seeded random.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from casework.demo import DemoContext
from casework.models import Membership, OrgUnit, Role, UnitKind, User
from scoring import services
from scoring.calc import QuarterKey
from scoring.demo_appeals import build_appeals
from scoring.demo_honours import build_honours
from scoring.models import Indicator, Interview, InterviewStatus, Quarter

ROUTINE = [
    "入户走访独居老人",
    "网格日常巡查",
    "收集居民意见建议",
    "楼道安全隐患排查",
    "惠民政策入户宣传",
]
SPECIAL = [
    "协助办理低保申请",
    "调解邻里噪音纠纷",
    "为行动不便老人代办医保",
    "协调物业修复路灯",
    "帮助困难家庭申请临时救助",
]
KEY = [
    "开展消防安全演练",
    "组织民意反馈日活动",
    "主持居民议事会",
    "开展党史学习教育",
    "组织文明城市创建行动",
]
PLEDGES = {
    "policy_publicity": "每月入户宣讲一次惠民政策",
    "party_services": "每季度为流动党员办理一次组织关系服务",
    "government_services": "为行动不便居民代办政务事项",
    "serving_residents": "每周走访网格内独居老人",
    "dispute_mediation": "邻里纠纷当天到场调解",
    "volunteer_service": "每月参加一次志愿服务",
    "grassroots_governance": "每月组织一次居民议事",
    "dual_registration": "对接双报到党员开展服务",
    "organisational_life": "按时参加三会一课",
}
ACTIVITIES = [
    ("爱心义诊进社区", "党群服务中心"),
    ("“红袖章”环境综合整治", "小区主干道"),
    ("四点半课堂", "社区活动室"),
    ("夕阳之家陪伴老人", "日间照料中心"),
    ("垃圾分类宣传", "小区广场"),
    ("防诈骗知识宣讲", "社区会议室"),
]
DUAL_WORK = [
    "协助社区开展垃圾分类宣传",
    "参与小区环境整治",
    "走访结对困难党员户",
    "协助民意反馈日接待",
]


class _Demo:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = timezone.localdate(ctx.now)
        self.start = self.today - timedelta(days=365)
        self.admin = User.objects.get(username="demo-admin")
        self.counts: dict[str, int] = {}
        rows = Membership.objects.select_related("user", "unit").order_by("unit__path", "id")
        self.by_role: dict[str, list[Membership]] = {}
        for m in rows:
            self.by_role.setdefault(m.role, []).append(m)
        # One user object per person, so each keeps its cached scope across calls.
        users: dict[int, User] = {}
        for memberships in self.by_role.values():
            for m in memberships:
                m.user = users.setdefault(m.user_id, m.user)
        self.grid_workers = self._held(Role.GRID_WORKER, UnitKind.GRID)
        self.secretaries = self._held(Role.MINQING_SECRETARY, UnitKind.COMMUNITY)
        self.community_sups = self._held(Role.SUPERVISOR, UnitKind.COMMUNITY)
        self.town_sups = self._held(Role.SUPERVISOR, UnitKind.TOWN)
        self.volunteers = self._held(Role.VOLUNTEER, UnitKind.GRID)
        self.departments = {
            m.user_id: m.unit
            for m in self.by_role.get(Role.HANDLER, [])
            if m.unit.kind == UnitKind.DEPARTMENT
        }
        self.ranked = self.grid_workers + self.secretaries + self.community_sups
        # How diligent each worker is: most do their work, a few fall behind.
        self.diligence = {}
        for m in self.ranked:
            struggling = self.rng.random() < 0.07
            low, high = (0.05, 0.3) if struggling else (0.45, 0.98)
            self.diligence[m.user_id] = self.rng.uniform(low, high)

    def _held(self, role: str, kind: str) -> list[Membership]:
        return [m for m in self.by_role.get(role, []) if m.unit.kind == kind]

    def _count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def _supervisor_over(self, path: str, *, strictly: bool = False) -> User | None:
        """The supervisor holding the nearest unit at or above ``path``."""
        best = None
        for m in self.community_sups + self.town_sups:
            inside = path.startswith(m.unit.path) and (not strictly or path != m.unit.path)
            if inside and (best is None or len(m.unit.path) > len(best.unit.path)):
                best = m
        return best.user if best else None

    def _days(self, first: date, last: date):
        day = first
        while day <= last:
            yield day
            day += timedelta(days=1)

    # --- Evidence -------------------------------------------------------------------------

    def service_cards(self) -> None:
        monday = self.start - timedelta(days=self.start.weekday())
        for m in self.ranked:
            d = self.diligence[m.user_id]
            week = monday
            while week <= self.today:
                if self.rng.random() < d:
                    self._card(
                        m, "routine", week + timedelta(days=self.rng.randint(0, 4)), ROUTINE
                    )
                if self.rng.random() < 0.35 * d + 0.05:
                    self._card(
                        m, "special", week + timedelta(days=self.rng.randint(0, 6)), SPECIAL
                    )
                if self.rng.random() < 0.08 * d:
                    self._card(m, "key", week + timedelta(days=self.rng.randint(0, 6)), KEY)
                week += timedelta(days=7)

    def _card(self, m: Membership, kind: str, day: date, titles: list[str]) -> None:
        if not self.start <= day <= self.today:
            return
        services.service_card_record(
            actor=m.user,
            person=m.user,
            unit=m.unit,
            kind=kind,
            occurred_on=day,
            title=self.rng.choice(titles),
        )
        self._count("service card entries")

    def pledges(self) -> None:
        codes = list(PLEDGES)
        indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        for year in range(self.start.year, self.today.year + 1):
            for m in self.ranked:
                for code in self.rng.sample(codes, 3):
                    services.commitment_create(
                        actor=m.user,
                        person=m.user,
                        unit=m.unit,
                        year=year,
                        indicator=indicators[code],
                        text=PLEDGES[code],
                    )
                    self._count("pledges")

    def checks(self) -> None:
        """Each town draws pledges to check in every quarter, with inspectors drawn from its
        community supervisors; the visits follow within weeks."""
        key = QuarterKey.of(self.start)
        while key.first_day <= self.today:
            drawn_on = key.first_day + timedelta(days=12)
            if self.start <= drawn_on <= self.today:
                for town in self.town_sups:
                    self._draw(town, key, drawn_on)
            key = key.next()

    def _draw(self, town: Membership, key: QuarterKey, drawn_on: date) -> None:
        inspectors = [
            m.user for m in self.community_sups if m.unit.path.startswith(town.unit.path)
        ]
        at = timezone.make_aware(datetime.combine(drawn_on, time(10)))
        draw = services.verification_draw(
            actor=town.user,
            unit=town.unit,
            year=key.year,
            sample_size=max(3, len(inspectors)),
            inspectors=inspectors,
            seed=self.rng.randrange(2**40),
            note=f"{key.code} 双随机践诺检验",
            now=at,
        )
        self._count("pledge draws")
        users = {u.pk: u for u in inspectors}
        for check in draw.verifications.select_related("commitment"):
            visit = drawn_on + timedelta(days=self.rng.randint(3, 45))
            if visit > self.today:
                continue
            kept = self.rng.random() < 0.55 + 0.45 * self.diligence.get(
                check.commitment.person_id, 0.7
            )
            services.verification_record(
                actor=users.get(check.inspector_id, town.user),
                verification=check,
                outcome="kept" if kept else "broken",
                visited_on=visit,
                note="走访3户居民，核实承诺落实情况",
            )
            self._count("pledge checks")

    def dual_registration(self) -> None:
        """民情书记 and department staff register with a community (双报到) and serve there."""
        members = []
        for m in self.secretaries:
            if m.user_id in self.departments:
                members.append((m.user, self.departments[m.user_id], m.unit))
        communities = [m.unit for m in self.community_sups]
        for m in self.by_role.get(Role.HANDLER, []):
            if m.unit.kind == UnitKind.DEPARTMENT and m.user_id not in self.diligence:
                county = m.unit.path[: OrgUnit.steplen * 2]
                nearby = [c for c in communities if c.path.startswith(county)]
                if nearby:
                    members.append((m.user, m.unit, self.rng.choice(nearby)))
        for year in range(self.start.year, self.today.year + 1):
            registered_on = max(date(year, 1, 6), self.start)
            if registered_on > self.today:
                continue
            for person, home, community in members:
                registration = services.dual_registration_create(
                    actor=self._supervisor_over(community.path),
                    person=person,
                    home_unit=home,
                    community=community,
                    registered_on=registered_on,
                )
                self._count("dual registrations")
                d = self.diligence.get(person.pk, self.rng.uniform(0.3, 0.9))
                for day in self._days(registered_on, min(date(year, 12, 31), self.today)):
                    if day.weekday() == 5 and self.rng.random() < 0.45 * d:
                        services.dual_service_record(
                            actor=person,
                            registration=registration,
                            served_on=day,
                            hours=self.rng.choice(["1", "1.5", "2", "2.5", "3", "4"]),
                            description=self.rng.choice(DUAL_WORK),
                        )
                        self._count("dual registration services")

    def volunteering(self) -> None:
        for sup in self.community_sups:
            grids = [m for m in self.grid_workers if m.unit.path.startswith(sup.unit.path)]
            if not grids:
                continue
            helpers = [m.user for m in self.volunteers if m.unit.path.startswith(sup.unit.path)]
            workers = [m.user for m in grids]
            team = services.volunteer_team_create(
                actor=sup.user,
                name=f"{sup.unit.name.removesuffix('社区')}红袖章志愿服务队",
                unit=sup.unit,
                leader=workers[0],
                members=workers + helpers,
            )
            self._count("volunteer teams")
            month = date(self.start.year, self.start.month, 1)
            while month <= self.today:
                for _ in range(self.rng.choice([1, 1, 2, 2, 3])):
                    held_on = month + timedelta(days=self.rng.randint(0, 27))
                    if not self.start <= held_on <= self.today:
                        continue
                    taking_part = [
                        u
                        for u in workers + helpers
                        if self.rng.random() < 0.3 + 0.6 * self.diligence.get(u.pk, 0.6)
                    ] or [workers[0]]
                    title, place = self.rng.choice(ACTIVITIES)
                    services.volunteer_activity_record(
                        actor=sup.user,
                        team=team,
                        title=title,
                        held_on=held_on,
                        place=f"{sup.unit.name}{place}",
                        people_served=self.rng.randint(12, 90),
                        participants=taking_part,
                        organiser=self.rng.choice(workers),
                    )
                    self._count("volunteer activities")
                month = (month + timedelta(days=32)).replace(day=1)

    def evaluations(self, key: QuarterKey) -> None:
        """Supervisors' quarterly evaluation: community supervisors evaluate their grid workers
        and 民情书记, town supervisors their community supervisors."""
        quarter = services.quarter_get_or_create(key)
        pairs = [
            (self._supervisor_over(m.unit.path, strictly=m.unit.kind == UnitKind.COMMUNITY), m)
            for m in self.ranked
        ]
        for evaluator, m in pairs:
            if evaluator is None or evaluator.pk == m.user_id:
                continue
            score = self.diligence[m.user_id] + self.rng.uniform(-0.15, 0.15)
            grade = (
                "excellent"
                if score > 0.85
                else "good"
                if score > 0.6
                else "fair"
                if score > 0.3
                else "poor"
            )
            services.evaluation_record(
                actor=evaluator, quarter=quarter, person=m.user, grade=grade, now=self.ctx.now
            )
            self._count("evaluations")

    # --- Quarters -------------------------------------------------------------------------

    def quarters(self) -> None:
        ended = []
        key = QuarterKey.of(self.start)
        current = QuarterKey.of(self.today)
        while key < current:
            if key.first_day >= self.start - timedelta(days=31):
                ended.append(key)
            key = key.next()
        for key in [*ended, current]:
            self.evaluations(key)
        if ended:
            self._by_hand(ended[-1])
        build_appeals(self.ctx, self.admin, ended=ended, current=current)  # before publishing
        for key in ended:
            services.quarter_compute(quarter=key, actor=self.admin, now=self.ctx.now)
            services.quarter_publish(quarter=key, actor=self.admin, now=self.ctx.now)
        if ended:
            self._talks(ended[-1])
        services.quarter_compute(quarter=current, actor=self.admin, now=self.ctx.now)
        build_honours(self.ctx, self.admin)  # 星级社区工作者 of the published year
        published = Quarter.objects.filter(status="published").count()
        self.ctx.say(
            f"  scoring: {published} published quarters ({', '.join(k.code for k in ended)}), "
            f"{current.code} provisional\n"
        )

    def _by_hand(self, key: QuarterKey) -> None:
        quarter = services.quarter_get_or_create(key)
        indicator = Indicator.objects.get(code="grassroots_governance")
        for m in self.rng.sample(self.grid_workers, min(2, len(self.grid_workers))):
            services.score_entry_add(
                actor=self.admin,
                quarter=quarter,
                person=m.user,
                indicator=indicator,
                points=Decimal(3),
                reason="防汛抢险突击队表现突出，县委组织部通报表扬",
            )
            self._count("points by hand")

    def _talks(self, key: QuarterKey) -> None:
        """The first corrective talks of the last published quarter are already held."""
        talks = Interview.objects.filter(
            quarter__code=key.code, status=InterviewStatus.PENDING
        ).select_related("unit", "person")
        held = 0
        for talk in talks.order_by("subject", "total")[:3]:
            holder = self._supervisor_over(talk.unit.path, strictly=True)
            if holder is None or holder.pk == talk.person_id:
                continue
            services.interview_record(
                actor=holder,
                interview=talk,
                held_on=self.today,
                notes="指出本季度服务登记不及时、群众满意度偏低，要求每周登记服务卡并主动回访。",
                follow_up="下季度每月检查服务卡登记和回访情况",
                follow_up_due=self.today + timedelta(days=30),
                annual_grade_lowered=talk.total < 0,
            )
            held += 1
        self._count("corrective talks held", held)

    def run(self) -> None:
        self.service_cards()
        self.pledges()
        self.checks()
        self.dual_registration()
        self.volunteering()
        self.quarters()
        self.ctx.say(
            "  scoring evidence: "
            + ", ".join(f"{what} {n}" for what, n in self.counts.items())
            + "\n"
        )


def build(ctx: DemoContext) -> None:
    with transaction.atomic():
        _Demo(ctx).run()


#: (order, name, function): after the casework step (30) that works the demo cases.
STEPS = [(40, "scores: a year of evidence, published quarters", build)]
