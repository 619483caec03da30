"""Demo data: drive every demo case along a realistic path of the workflow, up to the present.

Besides the plain path (assign → sign for → resolve → feedback → closed) a seeded draw sends some
cases down the paths a county lives on: returned (回退), transferred (转办), sent up to the town's
desk (兜底), co-handled by two departments (协办), extended (延期), parked (挂账), reopened for
redo, settled by a four-party consultation, closed without feedback.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction

from casework.demo import DemoContext, clock
from casework.models import OrgUnit, Role, User


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
    RECENT_STOPS = (
        "new",
        "assigned",
        "in_progress",
        "in_progress",
        "resolved",
        "reopened",
        "parked",
    )

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
            elif 0.15 <= path < 0.18 or until == "parked":  # 挂账: waits for next year's budget
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
