"""Demo data for appeals (申诉) and the rhythm of 双报到.

Runs inside the scoring demo step, before its ended quarters are published (publishing is
refused while a quarter has a pending appeal):

* the last ended quarter is computed as it was just after it ended; within the appeal window
  two workers appeal an entry each, and the county decides: one upheld with the corrected points,
  one rejected, each with its reason (the step then computes the quarter again and publishes it,
  the correction kept);
* the quarter in progress is computed and one appeal of it is left pending, by the demo grid
  worker (``demo-grid``) when they have an entry, so a demo login sees it;
* the community staff record the 双报到 rhythm (report-ins, monthly accounts, quarterly meetings)
  for most registrations, months and quarters, some left missing.

Through the real services, at past times under ``casework.demo.clock``; every choice comes from
the context's seeded random.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from casework.demo import DemoContext, clock
from casework.models import Membership, OrgUnit, Role, UnitKind, User
from casework.workflow import SUPERVISORS
from scoring import services
from scoring.calc import QuarterKey
from scoring.models import CadenceKind, DualRegistration, ScoreEntry, ScoreResult
from scoring.selectors.appeals import appeal_closes_on
from scoring.selectors.dual_cadence import months_due, quarters_due
from scoring.services.appeals import appeal_decide, appeal_file
from scoring.services.dual_cadence import dual_cadence_record

UPHELD_REASON = "承诺检验当天本人在县里参加防汛培训，已补交培训签到表和入户走访记录，扣分不当"
UPHELD_DECISION = "经核实培训签到表属实，承诺已于次周补做落实，撤销该项扣分"
UPHELD_RAISE = "本季度组织的第二次居民议事会漏记，已附会议记录和签到表"
UPHELD_RAISE_DECISION = "会议记录和签到表属实，补记该项积分"
REJECTED_REASON = "该项扣分时群众已表示理解，希望不予扣分"
REJECTED_DECISION = "超期事实清楚，群众理解不能代替按期办结，维持原计分"
REJECTED_RAISE = "该项工作本季度实际做了两次，希望按两次计分"
REJECTED_RAISE_DECISION = "服务卡只登记了一次，无其他佐证，维持原计分"
PENDING_REASON = "第十周的入户走访已在服务卡登记，但未计入积分，请予核实"
PENDING_EVIDENCE = "服务卡登记截图及走访居民签字"
MONTHLY_NOTES = [
    "参加社区垃圾分类宣传2次，入户走访结对户3户",
    "协助民意反馈日接待群众，收集意见5条",
    "参与小区环境整治1次，认领微心愿1个",
    "走访结对困难党员户，帮助办理医保续缴",
]
QUARTERLY_NOTES = ["社区双报到党员季度座谈会", "在职党员季度工作交流会"]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _county_decider(unit: OrgUnit, fallback: User) -> User:
    """A supervisor or admin of the county above ``unit`` (the city admin if none)."""
    county = unit.path[: OrgUnit.steplen * 2]
    found = (
        Membership.objects.filter(
            role__in=SUPERVISORS, unit__kind=UnitKind.COUNTY, unit__path=county
        )
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return found.user if found else fallback


class _Appeals:
    def __init__(self, ctx: DemoContext, admin: User):
        self.ctx = ctx
        self.rng = ctx.rng
        self.admin = admin
        self.today = timezone.localdate(ctx.now)
        self.counts: dict[str, int] = {}

    def _count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def _moments(self, quarter, *days_after: int) -> list[datetime]:
        """Times ``days_after`` the quarter's end, inside its appeal window, before now."""
        ends = quarter.ends_at
        closes = _at(appeal_closes_on(quarter), 18)
        span = min(self.ctx.now, closes) - ends
        out = []
        for n, days in enumerate(days_after, start=1):
            wanted = timedelta(days=days, hours=9 + n)
            out.append(ends + min(wanted, span * n / (len(days_after) + 1)))
        return out

    def _entries(self, quarter, person_ids=None):
        """Derived entries of the workers ranked in ``quarter`` (they may appeal them)."""
        ranked = ScoreResult.objects.filter(quarter=quarter).values("person_id")
        rows = ScoreEntry.objects.filter(
            quarter=quarter, manual=False, person_id__in=ranked
        ).select_related("person", "indicator")
        if person_ids is not None:
            rows = rows.filter(person_id__in=person_ids)
        return list(rows.order_by("person_id", "source", "pk"))

    def decided(self, key: QuarterKey) -> None:
        """One upheld and one rejected appeal of ``key``, filed and decided in its window."""
        quarter = services.quarter_get_or_create(key)
        computed_at, filed_at, decided_at = self._moments(quarter, 1, 3, 6)
        with clock(computed_at):
            quarter = services.quarter_compute(quarter=key, actor=self.admin, now=computed_at)
        entries = self._entries(quarter)
        negative = [e for e in entries if e.points < 0]
        positive = [e for e in entries if e.points > 0]
        if not entries:
            return
        # Upheld: a deduction cancelled, else a line the ledger missed added.
        upheld = self.rng.choice(negative or positive)
        others = [e for e in negative if e.person_id != upheld.person_id] or [
            e for e in positive if e.person_id != upheld.person_id
        ]
        rejected = self.rng.choice(others) if others else None
        plans = [(upheld, True)] + ([(rejected, False)] if rejected else [])
        for entry, upheld_it in plans:
            deduction = entry.points < 0
            with clock(filed_at):
                appeal = appeal_file(
                    actor=entry.person,
                    entry=entry,
                    reason=(UPHELD_REASON if deduction else UPHELD_RAISE)
                    if upheld_it
                    else (REJECTED_REASON if deduction else REJECTED_RAISE),
                    evidence_text="培训签到表、走访记录" if upheld_it else "",
                    now=filed_at,
                )
            self._count("appeals filed")
            decider = _county_decider(appeal.unit, self.admin)
            if upheld_it:
                corrected = Decimal(0) if deduction else entry.points + min(entry.points, 5)
                reason = UPHELD_DECISION if deduction else UPHELD_RAISE_DECISION
            else:
                corrected = None
                reason = REJECTED_DECISION if deduction else REJECTED_RAISE_DECISION
            with clock(decided_at):
                appeal_decide(
                    actor=decider,
                    appeal=appeal,
                    upheld=upheld_it,
                    reason=reason,
                    corrected_points=corrected,
                    now=decided_at,
                )
            self._count("appeals upheld" if upheld_it else "appeals rejected")

    def pending(self, key: QuarterKey) -> None:
        """The quarter in progress, computed; one appeal of it awaits the county."""
        services.quarter_compute(quarter=key, actor=self.admin, now=self.ctx.now)
        quarter = services.quarter_get_or_create(key)
        grid = User.objects.filter(username="demo-grid").first()
        mine = self._entries(quarter, [grid.pk]) if grid else []
        candidates = [e for e in mine if e.points > 0] or [
            e for e in self._entries(quarter) if e.points > 0
        ]
        if not candidates:
            return
        entry = self.rng.choice(candidates)
        appeal_file(
            actor=entry.person,
            entry=entry,
            reason=PENDING_REASON,
            evidence_text=PENDING_EVIDENCE,
            now=self.ctx.now,
        )
        self._count("appeals pending")

    def cadence(self) -> None:
        """Most report-ins, monthly accounts and quarterly meetings recorded; some missing."""
        staff: dict[int, User] = {}
        sups = (
            Membership.objects.filter(role=Role.SUPERVISOR, unit__kind=UnitKind.COMMUNITY)
            .select_related("user")
            .order_by("unit_id", "pk")
        )
        users: dict[int, User] = {}
        for m in sups:
            staff.setdefault(m.unit_id, users.setdefault(m.user_id, m.user))
        registrations = DualRegistration.objects.select_related("community").order_by(
            "year", "community__path", "pk"
        )
        for registration in registrations:
            actor = staff.get(registration.community_id)
            if actor is None:
                continue
            year, since = registration.year, registration.registered_on
            last = min(date(year, 12, 31), self.today)
            if self.rng.random() < 0.9:
                self._record(
                    actor,
                    registration,
                    CadenceKind.REPORT_IN,
                    min(since + timedelta(days=self.rng.randint(0, 4)), last),
                    "到社区报到，认领服务岗位",
                )
            for month in months_due(since, year, self.today):
                if self.rng.random() < 0.85:
                    day = max(date(year, month, self.rng.randint(22, 28)), since)
                    self._record(
                        actor,
                        registration,
                        CadenceKind.MONTHLY,
                        min(day, last),
                        self.rng.choice(MONTHLY_NOTES),
                    )
            for q in quarters_due(since, year, self.today):
                if self.rng.random() < 0.8:
                    day = max(date(year, q * 3, self.rng.randint(10, 25)), since)
                    self._record(
                        actor,
                        registration,
                        CadenceKind.QUARTERLY,
                        min(day, last),
                        self.rng.choice(QUARTERLY_NOTES),
                    )

    def _record(self, actor, registration, kind, day: date, note: str) -> None:
        at = min(_at(day, 17, 30), self.ctx.now)
        with clock(at):
            dual_cadence_record(
                actor=actor, registration=registration, kind=kind, held_on=day, note=note, now=at
            )
        self._count(f"双报到 {kind}")


def build_appeals(
    ctx: DemoContext, admin: User, *, ended: list[QuarterKey], current: QuarterKey
) -> None:
    """Called by the scoring demo before it computes and publishes its ended quarters."""
    demo = _Appeals(ctx, admin)
    demo.cadence()
    if ended:
        demo.decided(ended[-1])
    demo.pending(current)
    ctx.say(
        "  appeals and 双报到 rhythm: "
        + ", ".join(f"{what} {n}" for what, n in demo.counts.items())
        + "\n"
    )
