"""A hand-counted fixture for the 民情书记's visit figures (民情书记下访).

Secretary 甲 (community A) makes two visits in the period:
  - V1 to 阳光小区 (compound A1): 50 requests, 45 answered on the spot, 5 opened as cases;
  - V2 to the A1 grid: 34 requests, 27 answered on the spot, 7 opened as cases;
    that is the report's 84 collected, 72 answered on the spot, 12 assisted.
``extras=True`` adds, hand-counted:
  - to V2: one merged (into a request of V2 with a case), one rejected, one still pending;
  - secretary 乙 (community B), one visit to 锦绣小区: 2 requests, 1 on the spot, 1 assisted;
  - NOT counted: a hotline request at 1栋 (answered on the spot, no visit), and a grid
    worker's round (kind ``grid_round``) at 阳光小区 with one request answered on the spot.
So with extras: 甲 2 visits, 87 collected (72 + 12 + 1 + 1 + 1); 乙 1 visit, 2 collected;
the county 3 visits, 2 secretaries, 89 collected, 73 on the spot, 13 assisted, 1 merged,
1 rejected, 1 pending; every channel together 91 requests collected.
"""

from types import SimpleNamespace

from casework.models import Role
from casework.services import membership_grant, person_create
from requests_app.services import (
    request_answer_on_spot,
    request_collect,
    request_merge,
    request_open_case,
    request_reject,
    visit_create,
)


def secretary_of(unit, username, name):
    user = person_create(username=username, name=name, password="pw-for-tests-9731")
    membership_grant(user=user, unit=unit, role=Role.MINQING_SECRETARY)
    return user


def log(visit, actor, unit, category, *, on_spot=0, assisted=0):
    """Collect ``on_spot + assisted`` requests in ``visit``; return those opened as cases."""
    cases = []
    for i in range(on_spot + assisted):
        request = request_collect(
            actor=actor,
            channel="onsite",
            category=category,
            unit=unit,
            description=f"第{i + 1}条诉求",
            visit=visit,
        )
        if i < on_spot:
            request_answer_on_spot(request=request, actor=actor, answer="已现场解答")
        else:
            request_open_case(request=request, actor=actor)
            cases.append(request)
    return cases


def build(tree, people, categories, *, extras=True):
    f = SimpleNamespace()
    cat = categories.elevator
    f.jia = secretary_of(tree.community_a, "sec-jia", "甲书记")
    f.v1 = visit_create(actor=f.jia, unit=tree.compound_a1)
    log(f.v1, f.jia, tree.building_a1, cat, on_spot=45, assisted=5)
    f.v2 = visit_create(actor=f.jia, unit=tree.grid_a1)
    opened = log(f.v2, f.jia, tree.compound_a1, cat, on_spot=27, assisted=7)
    if not extras:
        return f
    duplicate = request_collect(
        actor=f.jia, channel="onsite", category=cat, unit=tree.compound_a1,
        description="又有居民反映电梯坏了", visit=f.v2,
    )  # fmt: skip
    request_merge(request=duplicate, actor=f.jia, into=opened[0])
    spam = request_collect(
        actor=f.jia, channel="onsite", category=cat, unit=tree.compound_a1,
        description="广告", visit=f.v2,
    )  # fmt: skip
    request_reject(request=spam, actor=f.jia, reason="不是诉求")
    request_collect(
        actor=f.jia, channel="onsite", category=cat, unit=tree.compound_a1,
        description="还没答复的诉求", visit=f.v2,
    )  # fmt: skip
    f.yi = secretary_of(tree.community_b, "sec-yi", "乙书记")
    f.v3 = visit_create(actor=f.yi, unit=tree.compound_b1)
    log(f.v3, f.yi, tree.compound_b1, cat, on_spot=1, assisted=1)
    hotline = request_collect(
        actor=people.grid_a1, channel="hotline", category=cat, unit=tree.building_a1,
        description="热线来电：电梯坏了",
    )  # fmt: skip
    request_answer_on_spot(request=hotline, actor=people.grid_a1, answer="已答复")
    f.round = visit_create(actor=people.grid_a1, unit=tree.compound_a1, kind="grid_round")
    log(f.round, people.grid_a1, tree.building_a1, cat, on_spot=1)
    return f


JIA = {
    "visits": 2,
    "collected": 87,
    "answered_on_spot": 72,
    "assisted": 12,
    "merged": 1,
    "rejected": 1,
    "pending": 1,
}
YI = {
    "visits": 1,
    "collected": 2,
    "answered_on_spot": 1,
    "assisted": 1,
    "merged": 0,
    "rejected": 0,
    "pending": 0,
}
COUNTY = {
    "visits": 3,
    "secretaries": 2,
    "collected": 89,
    "answered_on_spot": 73,
    "assisted": 13,
    "merged": 1,
    "rejected": 1,
    "pending": 1,
}
ALL_CHANNELS = 91
