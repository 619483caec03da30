"""Demo call-backs (抽查回访): every ended month of the demo year drawn at the start of the next
month, as beat does; called back by each county's hotline operator, a few failing; the last
ended month left unchecked when it lies in the current quarter (so the provisional quarter shows
answers pending). Runs after the requests (20) and the cases (30), before scoring (40) computes
and publishes the quarters, so the published quarters count verified answers only.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from casework.demo import DemoContext, clock
from casework.models import Membership, OrgUnit, Role, UnitKind
from casework.services import membership_grant, person_create
from requests_app.models import Callback, CallbackSample, RequestEvent, RequestEventKind
from requests_app.services.callbacks import (
    callback_record,
    callback_samples_draw,
    month_after,
    month_before,
    month_start,
)

#: About one call-back in 25 finds the answer was never given.
FAIL_SHARE = 0.04
FAIL_NOTES = [
    "居民表示当天没有人来过，问题也没有解答",
    "居民称只登记了，没有给出答复",
    "电话回访：居民不记得有人答复过此事",
]
OPERATORS = {"博白县": "demo-hotline"}


def _operators(ctx: DemoContext) -> dict[str, int]:
    """A hotline call-back operator for each county (the login ``demo-hotline`` in 博白县)."""
    found = {}
    for county in OrgUnit.objects.filter(kind=UnitKind.COUNTY).order_by("path"):
        username = OPERATORS.get(county.name, f"hotline-{county.code}")
        user = person_create(username=username, name=f"{county.name}热线回访员", is_demo=True)
        user.password = ctx.password_hash
        user.save(update_fields=["password"])
        membership_grant(user=user, unit=county, role=Role.HOTLINE_OPERATOR)
        found[county.path] = user
    return found


def _checker(sample: CallbackSample, operators: dict, supervisors: dict):
    for path, user in operators.items():
        if sample.unit.path.startswith(path):
            return user
    for path, user in supervisors.items():
        if sample.unit.path.startswith(path) and user.pk != sample.worker_id:
            return user
    return None


@transaction.atomic
def build(ctx: DemoContext) -> None:
    first = RequestEvent.objects.filter(kind=RequestEventKind.ANSWERED_ON_SPOT).order_by(
        "created_at"
    )
    oldest = first.values_list("created_at", flat=True).first()
    if oldest is None:
        return
    operators = _operators(ctx)
    supervisors = {
        m.unit.path: m.user
        for m in Membership.objects.filter(role=Role.SUPERVISOR).select_related("unit", "user")
    }
    today = timezone.localdate(ctx.now)
    last_ended = month_before(month_start(today))
    quarter_start = month_start(today).replace(month=(today.month - 1) // 3 * 3 + 1)
    left_pending = last_ended if last_ended >= quarter_start else None
    month = month_start(timezone.localdate(oldest))
    drawn = checked = failed = 0
    while month <= last_ended:
        zone = timezone.get_default_timezone()
        at = timezone.make_aware(datetime.combine(month_after(month), time(1, 23)), zone)
        at = min(at, ctx.now)
        with clock(at):
            result = callback_samples_draw(month=month, seed=ctx.rng.randrange(2**48), now=at)
        drawn += len(result.drawn)
        if month != left_pending:
            calls = (
                Callback.objects.filter(sample__month=month)
                .select_related("sample", "sample__unit", "request__unit", "request__resident")
                .order_by("pk")
            )
            for call in calls:
                checker = _checker(call.sample, operators, supervisors)
                if checker is None:
                    continue
                when = min(at + timedelta(days=ctx.rng.randint(1, 9), hours=3), ctx.now)
                fails = ctx.rng.random() < FAIL_SHARE
                with clock(when):
                    callback_record(
                        callback=call,
                        actor=checker,
                        outcome="failed" if fails else "confirmed",
                        note=ctx.rng.choice(FAIL_NOTES) if fails else "",
                        now=when,
                    )
                checked += 1
                failed += fails
        month = month_after(month)
    flagged = CallbackSample.objects.filter(flagged=True).count()
    ctx.say(
        f"  call-backs: {drawn} samples, {checked} checked ({failed} failed), "
        f"{flagged} flagged; pending month: {left_pending or '—'}\n"
    )


#: (order, name, function): after the cases (30), before scoring computes the quarters (40).
