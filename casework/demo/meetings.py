"""Demo meetings of the types other than four-party consultation (those come with the cases
that needed one, in ``casework.demo.cases``): a joint meeting (联席会议) every other month and a
residents' council (居民议事会) every third month in each community, with topics raised and most
of them settled at the meeting, none about a case, so the report's "meetings held, problems
solved" figures have every type in them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from casework.demo import DemoContext, clock
from casework.models import Membership, OrgUnit, Role, UnitKind

JOINT_TOPICS = [
    "老旧小区雨污分流改造进度",
    "背街小巷路灯维修分工",
    "农贸市场周边占道经营整治",
    "电动车集中充电桩选址",
    "辖区学校上下学交通疏导",
    "防汛排涝责任分工",
]
COUNCIL_TOPICS = [
    "小区公共收益使用公示",
    "楼道堆放杂物清理约定",
    "增设休闲座椅位置",
    "宠物文明饲养公约",
    "小区停车位分配办法",
    "垃圾分类投放时间调整",
]
PARTICIPANTS = {
    "joint": [
        ("residents_committee", "社区居委会代表"),
        ("other", "街道城管办代表"),
        ("other", "辖区派出所社区民警"),
        ("property_company", "物业公司代表"),
    ],
    "residents_council": [
        ("residents_committee", "社区居委会代表"),
        ("resident", "居民代表"),
        ("building_leader", "党员楼栋长"),
    ],
}


def _months(first: date, last: date):
    month = date(first.year, first.month, 1)
    while month <= last:
        yield month
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


def build_meetings(ctx: DemoContext) -> None:
    from casework.services import consultations as services
    from casework.services.consultations import TopicInput

    rng = ctx.rng
    today = timezone.localdate(ctx.now)
    first = today.replace(year=today.year - 1)
    supervisors = {
        m.unit_id: m.user
        for m in Membership.objects.filter(
            role=Role.SUPERVISOR, unit__kind=UnitKind.COMMUNITY
        ).order_by("-id")
    }
    communities = OrgUnit.objects.filter(kind=UnitKind.COMMUNITY, pk__in=supervisors).order_by(
        "path"
    )
    held = solved = 0
    for community in communities:
        actor = supervisors[community.pk]
        for month in _months(first, today):
            for code, pool, every in (
                ("joint", JOINT_TOPICS, 2),
                ("residents_council", COUNCIL_TOPICS, 3),
            ):
                if month.month % every:
                    continue
                day = month + timedelta(days=rng.randint(3, 25))
                at = timezone.make_aware(datetime.combine(day, time(15, 0)))
                if at >= ctx.now:
                    continue
                topics = []
                for title in rng.sample(pool, rng.randint(1, 3)):
                    settles = rng.random() < 0.8
                    topics.append(
                        TopicInput(
                            title=title,
                            decision="会议议定：明确责任单位与完成时限" if settles else "",
                            resolves=settles,
                        )
                    )
                    solved += settles
                with clock(at + timedelta(hours=2)):
                    services.meeting_create(
                        actor=actor,
                        unit=community,
                        held_at=at,
                        place=f"{community.name}党群服务中心",
                        topic=topics[0].title,
                        participants=PARTICIPANTS[code],
                        type=code,
                        topics=topics,
                        minutes="与会各方逐项议定，形成会议纪要。",
                    )
                held += 1
    ctx.say(f"  meetings: {held} joint meetings and residents' councils, {solved} topics settled")
