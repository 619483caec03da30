"""The browser tests' world: a small but realistic one built through the real services.

Chromium, the login by session cookie and the artefacts folder are every browser test's:
``tests/browser_support.py``.
"""

from datetime import timedelta
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
    return w
