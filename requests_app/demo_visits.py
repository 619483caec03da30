"""Demo data for this month's coverage (遍访): the demo community's 民情书记 has been down to one
of its compounds this month, so the coverage page shows a compound visited beside the ones not
yet visited, and the secretaries with no visit this month are reminded (from the reminder day).

Runs after every other step, with a random source of its own, so the rest of the demo is the
same with or without it.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from casework.demo import DemoContext, clock
from casework.models import Category, Membership, OrgUnit, Role, UnitKind
from requests_app.selectors.coverage import month_of, secretary_month_visits
from requests_app.services import (
    request_answer_on_spot,
    request_collect,
    visit_create,
)
from requests_app.services.visit_reminders import visit_reminders_send

ASKED = [
    ("小区路灯坏了几盏，晚上很黑", "已联系物业今晚更换"),
    ("楼道堆放杂物，影响通行", "已请物业通知住户三日内清理"),
    ("想了解老旧小区改造的时间安排", ""),  # left for a decision: shown as pending
]


@transaction.atomic
def build(ctx: DemoContext) -> None:
    rng = random.Random(13)  # noqa: S311  (demo data: the same buildings on every run)
    community = ctx.objects.get("demo_community")
    if community is None:
        return
    month = month_of(timezone.localtime(ctx.now).date())
    secretary = (
        Membership.objects.filter(unit=community, role=Role.MINQING_SECRETARY)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if secretary is None:
        return
    secretary = secretary.user
    visited = secretary_month_visits(month).filter(visitor=secretary).exists()
    compound = (
        OrgUnit.objects.filter(path__startswith=community.path, kind=UnitKind.COMPOUND)
        .order_by("path")
        .first()
    )
    category = (
        Category.objects.filter(parent__isnull=False, is_active=True, requires_id_number=False)
        .order_by("code")
        .first()
    )
    if not visited and compound is not None and category is not None:
        at = ctx.now - timedelta(minutes=40)
        if at < month.start:
            at = ctx.now
        buildings = list(
            OrgUnit.objects.filter(path__startswith=compound.path, kind=UnitKind.BUILDING)
        ) or [compound]
        with clock(at):
            visit = visit_create(
                actor=secretary, unit=compound, visited_at=at, note="每月下沉小区，居民说事"
            )
            for description, answer in ASKED:
                request = request_collect(
                    actor=secretary,
                    channel="onsite",
                    category=category,
                    unit=rng.choice(buildings),
                    description=description,
                    visit=visit,
                    collected_at=at,
                )
                if answer:
                    request_answer_on_spot(request=request, actor=secretary, answer=answer)
    told = visit_reminders_send(now=ctx.now)
    ctx.say(f"  this month's visits: demo community visited; secretaries reminded: {told}\n")
