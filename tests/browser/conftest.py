"""The browser tests' world: a small but realistic one built through the real services.

Chromium, the login by session cookie and the artefacts folder are every browser test's:
``tests/browser_support.py``.
"""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone


@pytest.fixture
def world(tree, people, category, open_case, drive, settings, tmp_path):
    """Every role, requests in each state, cases along the workflow, a visit, a consultation
    and the notifications all that makes: enough for every page to show real rows."""
    from casework import services
    from casework.models import Role
    from requests_app.services import (
        request_answer_on_spot,
        request_collect,
        request_open_case,
    )
    from requests_app.services.visits import visit_create

    settings.MEDIA_ROOT = tmp_path / "media"
    w = SimpleNamespace(tree=tree, people=people)
    # Names as long as real ones: a company's full name must not push a table off a tablet.
    tree.company.name = "城东物业服务有限公司"
    tree.company.save()
    secretary = services.person_create(
        username="secretary-a", name="民情书记甲", password="pw-for-tests-9731"
    )
    services.membership_grant(user=secretary, unit=tree.community_a, role=Role.MINQING_SECRETARY)
    w.users = {
        Role.ADMIN: people.admin,
        Role.SUPERVISOR: people.supervisor_a,
        Role.HANDLER: people.handler_company,
        Role.GRID_WORKER: people.grid_a1,
        Role.MINQING_SECRETARY: secretary,
        Role.VOLUNTEER: people.volunteer_a1,
    }
    welfare = services.category_create(code="welfare", name="社会保障", name_en="Welfare")
    lights = services.category_create(
        code="welfare-lights", name="路灯不亮", name_en="Street lights out", parent=welfare
    )

    def collect(actor, description, cat=category, **extra):
        return request_collect(
            actor=actor,
            channel="onsite",
            category=cat,
            unit=tree.building_a1,
            description=description,
            resident={"name": "王伟", "phone": "13812345678", "address": "阳光小区1栋301"},
            **extra,
        )

    w.visit = visit_create(
        actor=secretary, unit=tree.community_a, note="走访城东社区，了解路灯问题"
    )
    request_answer_on_spot(
        request=collect(people.grid_a1, "1栋电梯停在半层，老人不敢坐"),
        actor=people.grid_a1,
        answer="已联系维保单位，今天下午修好",
    )
    w.request_case = request_open_case(
        request=collect(
            people.grid_a1,
            "小区东门路灯不亮已经一个多星期，晚上老人出行不便，请尽快维修",
            cat=lights,
        ),
        actor=people.grid_a1,
        title="东门路灯不亮",
    )
    collect(people.volunteer_a1, "楼道堆放杂物，影响消防通道")
    collect(secretary, "低保申请材料咨询", cat=lights, visit=w.visit)

    long_title = "阳光小区3栋楼顶水箱漏水导致顶楼住户天花板渗水发霉，多次反映未解决"
    w.cases = {
        "new": open_case(title="路灯不亮"),
        "assigned": drive(open_case(title="楼道灯坏了"), "assigned"),
        "in_progress": drive(open_case(title=long_title, urgency="urgent"), "in_progress"),
        "resolved": drive(open_case(title="电梯异响"), "resolved"),
        "closed": drive(open_case(title="垃圾清运不及时"), "closed"),
        "parked": drive(open_case(title="加装电梯"), "parked"),
    }
    w.meeting = services.meeting_create(
        actor=people.supervisor_a,
        unit=tree.community_a,
        held_at=timezone.now() - timedelta(hours=1),
        place="党群服务中心",
        topic="公共设施损坏",
        participants=[
            ("residents_committee", "张主任"),
            ("owners_committee", "李主任"),
            ("property_company", "王经理"),
            ("building_leader", "赵楼栋长"),
        ],
        cases=[w.cases["new"]],
    )
    _scoring_world(w, tree, people, secretary, category)
    return w


def _scoring_world(w, tree, people, secretary, category):
    """Issue 13's pages with rows: a published quarter (an upheld appeal, an honour round with
    its roll), the last quarter computed with a pending and a rejected appeal, a 双报到
    registration with its rhythm partly recorded, and last month's call-back samples drawn."""
    from datetime import datetime, time

    from casework.demo import clock
    from requests_app.services import request_answer_on_spot, request_collect
    from requests_app.services.callbacks import callback_samples_draw, month_before, month_start
    from scoring import services as scoring
    from scoring.calc import QuarterKey
    from scoring.models import ScoreEntry, ScoringPolicy
    from scoring.services import honours

    policy = ScoringPolicy.objects.get(pk=1)
    policy.appeal_days = 400
    policy.save()
    admin, grid = people.admin, people.grid_a1
    last = QuarterKey.of(timezone.localdate()).previous()
    before = last.previous()

    def cards(key, person, unit, kinds):
        for i, kind in enumerate(kinds):
            scoring.service_card_record(
                actor=person,
                person=person,
                unit=unit,
                kind=kind,
                occurred_on=key.first_day + timedelta(days=7 * i + 3),
                title="入户走访独居老人，了解生活困难",
            )

    for key in (before, last):
        cards(key, grid, tree.grid_a1, ["routine", "special", "special", "key"])
        cards(key, people.supervisor_a, tree.community_a, ["routine", "special"])
        cards(key, people.grid_b1, tree.grid_b1, ["routine"])
    county_sup = people.admin

    def entry(key, source):
        return ScoreEntry.objects.get(quarter__code=key.code, person=grid, source=source)

    scoring.quarter_compute(quarter=before, actor=admin)
    upheld = scoring.appeal_file(
        actor=grid,
        entry=entry(before, "service_card_routine"),
        reason="第三周的入户走访漏记了，已附走访登记表",
        evidence_text="走访登记表第12页",
    )
    scoring.appeal_decide(
        actor=county_sup, appeal=upheld, upheld=True, reason="登记表属实", corrected_points="5"
    )
    scoring.quarter_compute(quarter=before, actor=admin)
    scoring.quarter_publish(quarter=before, actor=admin)
    scoring.quarter_compute(quarter=last, actor=admin)
    rejected = scoring.appeal_file(
        actor=grid, entry=entry(last, "service_card_key"), reason="希望按两次计分"
    )
    scoring.appeal_decide(
        actor=county_sup, appeal=rejected, upheld=False, reason="只登记了一次，维持原计分"
    )
    w.appeal = scoring.appeal_file(
        actor=grid,
        entry=entry(last, "service_card_special"),
        reason="第二次特殊工作（协助办理低保申请）未计分，请予核实",
        evidence_text="低保申请受理回执",
    )
    w.appeal_entry = entry(last, "service_card_routine")
    w.quarter = last

    round_ = honours.honour_round_open(
        actor=admin, county=tree.county, year=before.year, candidate_count=2
    )
    for index, nomination in enumerate(round_.nominations.order_by("pk")):
        honours.nomination_decide(
            actor=admin,
            nomination=nomination,
            approve=index == 0,
            reason="累计积分位居全县前列" if index == 0 else "暂缓评选",
        )
    honours.honour_round_close(actor=admin, round=round_)
    w.honour_round, w.honour_year = round_, before.year

    year = timezone.localdate().year
    w.dual = scoring.dual_registration_create(
        actor=people.supervisor_a,
        person=people.handler_department,
        home_unit=tree.department,
        community=tree.community_a,
        registered_on=date(year, 1, 6),
    )
    scoring.dual_cadence_record(
        actor=people.supervisor_a,
        registration=w.dual,
        kind="report_in",
        held_on=date(year, 1, 8),
        note="到社区报到，认领服务岗位",
    )
    scoring.dual_cadence_record(
        actor=people.supervisor_a,
        registration=w.dual,
        kind="monthly",
        held_on=date(year, 1, 25),
        note="参加垃圾分类宣传2次",
    )

    month = month_before(month_start(timezone.localdate()))
    with clock(timezone.make_aware(datetime.combine(month.replace(day=3), time(10)))):
        for i in range(4):
            request_answer_on_spot(
                request=request_collect(
                    actor=grid,
                    channel="onsite",
                    category=category,
                    unit=tree.building_a1,
                    description=f"楼道灯不亮{i}",
                    resident={"name": "王伟", "phone": f"1391234{i:04d}"},
                ),
                actor=grid,
                answer="已联系物业当天修好",
            )
    callback_samples_draw(month=month, actor=admin, seed=7)
