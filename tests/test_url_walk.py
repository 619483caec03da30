"""Every URL pattern with an id, of the pages and of the API, asked by people it is not for.

The patterns are read from the resolver, so a new URL is walked or the walk fails: each one is in
``WALK`` (how to build its object in 博白县 and ask for it) or in ``EXEMPT`` (why not here). For
each walked URL:

* people out of scope (a grid worker of another grid of the same community, one of another
  community, a supervisor of another county) get 404, and nothing is written;
* people in scope whose role may not act get 403, 404 or 409 (a page may answer a refused button
  with a redirect and a message: 302), never a 2xx nor a 500, and nothing is written.

Actions on cases are walked, role by role and state by state, in
``tests/casework/test_action_walk.py``: they are exempt here.

Field-level rules close the file: a grid worker's body cannot set a handler, a deadline or
points.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from casework.actions import ACTIONS
from casework.models import Role, UnitKind
from casework.services import membership_grant, person_create, unit_create

# --- The patterns ---------------------------------------------------------------------------


def _walk(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, inner)
        elif isinstance(entry, URLPattern):
            name = entry.name or repr(entry.pattern)
            yield (f"{namespace}:{name}" if namespace else name), entry


def _has_parameter(entry: URLPattern) -> bool:
    pattern = entry.pattern
    return bool(getattr(pattern, "converters", None) or pattern.regex.groupindex)


def patterns_with_parameters() -> set[str]:
    """Every URL name whose pattern takes a parameter (pk, photo_pk, code, action…)."""
    return {name for name, entry in _walk(get_resolver()) if _has_parameter(entry)}


# Not walked here, each for a reason.
CASE_ACTIONS = {f"api:case-{action.replace('_', '-')}" for action in ACTIONS}
EXEMPT = {
    # Every case action, through the page and the API, as every role from every state:
    # tests/casework/test_action_walk.py.
    "case-act": "tests/casework/test_action_walk.py",
    **{name: "tests/casework/test_action_walk.py" for name in CASE_ACTIONS},
    # Categories are reference data, the same for everyone (no place, no person).
    "api:category-detail": "reference data, not scoped",
    # A tracking code's QR holds only the public tracking page's address (the code is the
    # resident's, not a place's): tests/requests_app/test_webapp.py.
    "track-qr": "no personal data, not scoped: tests/requests_app/test_webapp.py",
    # Open311 GeoReport v2: every pattern takes its format suffix. Public reads with no personal
    # data, not scoped by design; POST is scoped by its key's unit: tests/open311/.
    **{
        f"open311:{name}": "public Open311, no personal data: tests/open311/"
        for name in ("discovery", "services", "service", "requests", "request", "token")
    },
    # The resident's own rating: public, keyed by the tracking code or the SMS link's token,
    # which are the resident's, not a place's: tests/selfservice_feedback/.
    **{
        name: "public, keyed by the resident's code or token: tests/selfservice_feedback/"
        for name in ("selfservice:rate", "api:public-rate", "api:public-track")
    },
    "api:public-track-rating": "public, keyed by the tracking code: tests/selfservice_feedback/",
    # Disagreements between the resident's rating and the return visit, walked for scope (404
    # out of scope, 403 for the worker whose visit it was, the town's supervisor reaches it):
    # tests/selfservice_feedback/test_disagreement.py.
    **{
        name: "tests/selfservice_feedback/test_disagreement.py"
        for name in (
            "selfservice:disagreement-detail",
            "selfservice:disagreement-check",
            "api:disagreement-detail",
            "api:disagreement-check",
        )
    },
    # Taking up (受理) a request from the residents' door: every role, out of scope, twice:
    # tests/selfservice_door/test_acknowledge.py (a worker's own collection is taken up already).
    "api:request-acknowledge": "tests/selfservice_door/test_acknowledge.py",
    # Model versions are the county's, not a place's; administrators only: tests/dispatch/.
    "dispatch:activate": "a model version, administrators only: tests/dispatch/",
    "api:dispatch-model-activate": "a model version, administrators only: tests/dispatch/",
}


def _exempt(name: str) -> str | None:
    if name in EXEMPT:
        return EXEMPT[name]
    # The admin site is for staff with Django's model permissions and is not scoped to a
    # subtree (docs/SECURITY.md says so, "not met for the admin site").
    if name.startswith("admin:"):
        return "the admin site: staff only, model permissions, not scoped (docs/SECURITY.md)"
    return None


# --- The world ------------------------------------------------------------------------------


def _jpeg(name="photo.jpg"):
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 120, 200)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def _person(username, unit, role):
    user = person_create(username=username, name=username, password="pw-for-tests-9731")
    membership_grant(user=user, unit=unit, role=role)
    return user


class World:
    """Objects in 博白县, grid A1 (community A), each built on first use by the real services."""

    def __init__(self, tree, people, open_case, category):
        self.tree, self.people, self._open_case, self.category = tree, people, open_case, category

    # People who ask.

    def person(self, who: str):
        return getattr(self.people, who, None) or getattr(self, who)

    @cached_property
    def handler_a1(self):
        """A handler over grid A1: sees what happens there, decides no intake."""
        return _person("handler-a1", self.tree.grid_a1, Role.HANDLER)

    @cached_property
    def county_b(self):
        county = unit_create(name="陆川县", kind=UnitKind.COUNTY, parent=self.tree.city)
        town = unit_create(name="温泉镇", kind=UnitKind.TOWN, parent=county)
        community = unit_create(name="城南社区", kind=UnitKind.COMMUNITY, parent=town)
        return SimpleNamespace(county=county, town=town, community=community)

    @cached_property
    def outsiders(self) -> dict:
        return {
            "grid worker of another grid": _person("grid-a2", self.tree.grid_a2, Role.GRID_WORKER),
            "grid worker of another community": self.people.grid_b1,
            "supervisor of another county": _person(
                "sup-county-b", self.county_b.county, Role.SUPERVISOR
            ),
        }

    # Cases and what hangs on them.

    @cached_property
    def case(self):
        return self._open_case()

    @cached_property
    def case_photo(self):
        from casework.services import case_photo_add

        return case_photo_add(case=self.case, actor=self.people.grid_a1, upload=_jpeg())

    @cached_property
    def meeting(self):
        from casework.services import meeting_create

        return meeting_create(
            actor=self.people.supervisor_a,
            unit=self.tree.grid_a1,
            held_at=timezone.now() - timedelta(hours=1),
            place="党群服务中心",
            topic="电梯维修",
            participants=[("residents_committee", "张主任"), ("property_company", "王经理")],
            cases=[self.case],
        )

    @cached_property
    def notification(self):
        from casework.services.notifications import notify

        [found] = notify(user_ids=[self.people.grid_a1.pk], kind="due_soon", case=self.case)
        return found

    # Requests, residents, visits.

    @cached_property
    def request(self):
        from requests_app.services import request_collect

        return request_collect(
            actor=self.people.grid_a1,
            channel="onsite",
            category=self.category,
            unit=self.tree.building_a1,
            description="1栋电梯停在半层",
            resident={"name": "王伟", "phone": "13812345678", "address": "阳光小区1栋301"},
        )

    @cached_property
    def request_2(self):
        """The same problem, collected earlier and sent to a case: the merge target."""
        from requests_app.services import request_collect, request_open_case

        earlier = request_collect(
            actor=self.people.grid_a1,
            channel="hotline",
            category=self.category,
            unit=self.tree.building_a1,
            description="1栋电梯又坏了",
        )
        request_open_case(request=earlier, actor=self.people.grid_a1)
        return earlier

    @cached_property
    def request_photo(self):
        from requests_app.services import request_photo_add

        return request_photo_add(request=self.request, actor=self.people.grid_a1, upload=_jpeg())

    @cached_property
    def resident(self):
        return self.request.resident

    @cached_property
    def visit(self):
        from requests_app.services import visit_create

        return visit_create(actor=self.people.grid_a1, unit=self.tree.grid_a1)

    @cached_property
    def callback(self):
        """A call-back (抽查回访) of grid_a1's answer on the spot of last month."""
        from datetime import datetime, time

        from casework.demo import clock
        from requests_app.services import request_answer_on_spot, request_collect
        from requests_app.services.callbacks import (
            callback_samples_draw,
            month_before,
            month_start,
        )

        month = month_before(month_start(timezone.localdate()))
        with clock(timezone.make_aware(datetime.combine(month.replace(day=3), time(10)))):
            asked = request_collect(
                actor=self.people.grid_a1,
                channel="onsite",
                category=self.category,
                unit=self.tree.building_a1,
                description="咨询垃圾分类时间",
                resident={"name": "李娜", "phone": "13912345678"},
            )
            request_answer_on_spot(request=asked, actor=self.people.grid_a1, answer="已告知")
        (sample,) = callback_samples_draw(month=month).drawn
        return sample.callbacks.get()

    # Scoring: a computed, published last quarter with a talk (约谈) flagged in community A.

    @cached_property
    def quarters(self):
        from scoring.calc import QuarterKey

        this = QuarterKey.of(timezone.localdate())
        return SimpleNamespace(this=this, last=this.previous())

    def day(self, n):
        return self.quarters.last.first_day + timedelta(days=n)

    @cached_property
    def season(self):
        from scoring import services
        from scoring.models import Indicator, Interview, ScoringPolicy

        policy = ScoringPolicy.objects.get(pk=1)
        policy.interview_lowest_count = 1
        policy.interview_person_below = None
        policy.save()
        p, t = self.people, self.tree
        for person, n in ((p.grid_a1, 1), (p.grid_b1, 3), (p.supervisor_b, 2)):
            for i in range(n):
                services.service_card_record(
                    actor=person,
                    person=person,
                    unit=person.memberships.select_related("unit").first().unit,
                    kind="special",
                    occurred_on=self.day(i),
                    title="入户走访独居老人",
                )
        quarter = services.quarter_get_or_create(self.quarters.last)
        manual = services.score_entry_add(
            actor=p.admin,
            quarter=quarter,
            person=p.grid_a1,
            indicator=Indicator.objects.get(code="dispute_mediation"),
            points="3",
            reason="调解邻里漏水纠纷",
        )
        services.quarter_compute(quarter=self.quarters.last, actor=p.admin)
        quarter = services.quarter_publish(quarter=self.quarters.last, actor=p.admin)
        interview = (
            Interview.objects.filter(quarter=quarter, unit__path__startswith=t.community_a.path)
            .order_by("pk")
            .first()
        )
        assert interview is not None, "the season flags nobody in community A"
        return SimpleNamespace(quarter=quarter, manual=manual, interview=interview)

    @cached_property
    def code(self):
        return self.season.quarter.code

    @cached_property
    def draw(self):
        from scoring import services
        from scoring.models import Indicator

        common = Indicator.objects.filter(is_common=True, is_active=True).first()
        year = self.quarters.last.year
        for person in (self.people.grid_a1, self.people.supervisor_a):
            services.commitment_create(
                actor=person,
                person=person,
                unit=person.memberships.select_related("unit").first().unit,
                year=year,
                indicator=common,
                text="每月为辖区居民宣讲一次惠民政策",
            )
        return services.verification_draw(
            actor=self.people.supervisor_a,
            unit=self.tree.community_a,
            year=year,
            sample_size=2,
            inspectors=[self.people.supervisor_a, self.people.grid_a1],
        )

    @cached_property
    def check(self):
        return self.draw.verifications.order_by("pk").first()

    @cached_property
    def dual(self):
        from scoring import services

        return services.dual_registration_create(
            actor=self.people.supervisor_a,
            person=self.people.handler_department,
            home_unit=self.tree.department,
            community=self.tree.community_a,
            registered_on=self.day(0),
        )

    @cached_property
    def honours(self):
        """博白县's round for the published quarter's year: grid A1 a candidate, supervisor A
        approved (an award with a certificate)."""
        from scoring.services import honours

        assert self.season.quarter.is_published  # the year has a published quarter
        round_ = honours.honour_round_open(
            actor=self.people.admin,
            county=self.tree.county,
            year=self.quarters.last.year,
            candidate_count=1,
        )
        proposed = {n.person_id: n for n in round_.nominations.all()}

        def candidate(person, reason):
            return proposed.get(person.pk) or honours.nomination_add(
                actor=self.people.town_supervisor, round=round_, person=person, reason=reason
            )

        pending = candidate(self.people.grid_a1, "带头入户走访")
        approved = candidate(self.people.supervisor_a, "群众评价好")
        honours.nomination_decide(
            actor=self.people.admin, nomination=approved, approve=True, reason="同意"
        )
        approved.refresh_from_db()
        return SimpleNamespace(round=round_, pending=pending, award=approved.award)

    @cached_property
    def team(self):
        from scoring import services

        return services.volunteer_team_create(
            actor=self.people.supervisor_a,
            name="红袖章志愿服务队",
            unit=self.tree.community_a,
            leader=self.people.grid_a1,
            members=[self.people.volunteer_a1],
        )

    # Appeals (申诉): grid A1 disputes an entry of this (provisional) quarter, with a photo.

    @cached_property
    def appeal_entry(self):
        from scoring import services
        from scoring.models import ScoreEntry

        p = self.people
        assert self.code  # the last quarter, published, first
        services.service_card_record(
            actor=p.grid_a1,
            person=p.grid_a1,
            unit=self.tree.grid_a1,
            kind="special",
            occurred_on=timezone.localdate(),
            title="入户走访独居老人",
        )
        quarter = services.quarter_compute(quarter=self.quarters.this, actor=p.admin)
        return ScoreEntry.objects.get(
            quarter=quarter, person=p.grid_a1, source="service_card_special"
        )

    @cached_property
    def appeal(self):
        from scoring import services

        return services.appeal_file(
            actor=self.people.grid_a1,
            entry=self.appeal_entry,
            reason="漏记一次走访",
            evidence_photo=_jpeg(),
        )

    @cached_property
    def cadence(self):
        from scoring import services

        return services.dual_cadence_record(
            actor=self.people.supervisor_a,
            registration=self.dual,
            kind="report_in",
            held_on=self.day(1),
        )


@pytest.fixture
def world(tree, people, open_case, category, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return World(tree, people, open_case, category)


# --- How each URL is asked ------------------------------------------------------------------


@dataclass
class Ask:
    """One request: the URL's arguments, the method and the body."""

    kwargs: dict
    method: str = "get"
    body: dict = field(default_factory=dict)
    # Out-of-scope people who may see it (with why), instead of a 404.
    may_see: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    # Who reaches it, for the control (a person in ``people``).
    control: str = "admin"


W = Callable[[World], Ask]
REASON = "回访核实诉求"


def _grid_workers_token(w: World) -> int:
    """A token of grid A1's worker: one's tokens are one's own, whoever the asker covers."""
    from casework.services.tokens import token_create

    return token_create(user=w.people.grid_a1, name="平板-A1")[0].pk


WALK: dict[str, W] = {
    # Pages.
    "unit-detail": lambda w: Ask({"pk": w.tree.grid_a1.pk}),
    "case-detail": lambda w: Ask({"pk": w.case.pk}),
    "case-photo": lambda w: Ask({"pk": w.case.pk, "photo_pk": w.case_photo.pk}),
    "meeting-detail": lambda w: Ask({"pk": w.meeting.pk}),
    "meeting-decide": lambda w: Ask(
        {"pk": w.meeting.pk},
        "post",
        {"item": w.meeting.agenda.get().pk, "decision": "物业三日内修复", "resolves": "on"},
    ),
    "meeting-topic": lambda w: Ask(
        {"pk": w.meeting.pk},
        "post",
        {"title": "楼道堆物", "decision": "限期清理", "resolves": "on"},
    ),
    "inbox-read": lambda w: Ask(
        {"pk": w.notification.pk},
        "post",
        {"open": "1"},
        control="grid_a1",
    ),
    "my-token-rename": lambda w: Ask(
        {"pk": _grid_workers_token(w)}, "post", {"name": "平板-B"}, control="grid_a1"
    ),
    "my-token-revoke": lambda w: Ask({"pk": _grid_workers_token(w)}, "post", control="grid_a1"),
    "api:token-detail": lambda w: Ask({"pk": _grid_workers_token(w)}, control="grid_a1"),
    "api:token-revoke": lambda w: Ask({"pk": _grid_workers_token(w)}, "post", control="grid_a1"),
    "requests_app:detail": lambda w: Ask({"pk": w.request.pk}),
    "requests_app:reveal": lambda w: Ask(
        {"pk": w.request.pk, "field": "phone"},
        "post",
        {"reason": REASON},
    ),
    "requests_app:photo": lambda w: Ask({"pk": w.request.pk, "photo_pk": w.request_photo.pk}),
    "requests_app:decide": lambda w: Ask(
        {"pk": w.request.pk, "action": "reject"}, "post", {"reason": "不属于诉求"}
    ),
    "requests_app:resident": lambda w: Ask({"pk": w.resident.pk}),
    "requests_app:resident-reveal": lambda w: Ask(
        {"pk": w.resident.pk},
        "post",
        {"reason": REASON},
    ),
    "requests_app:visit": lambda w: Ask({"pk": w.visit.pk}),
    "requests_app:callback-record": lambda w: Ask(
        {"pk": w.callback.pk}, "post", {"outcome": "confirmed"}
    ),
    "requests_app:callback-reveal": lambda w: Ask(
        {"pk": w.callback.pk}, "post", {"reason": REASON}
    ),
    # Pledges made public (承诺公示): anyone's, signed in or not; no resident's data
    # (tests/scoring/test_public_pledges.py, and the PII scan reads the page).
    "public-pledges": lambda w: Ask({"pk": w.tree.community_a.pk}, may_see=_PUBLIC),
    "public-pledges-qr": lambda w: Ask({"pk": w.tree.community_a.pk}, may_see=_PUBLIC),
    "scoring:quarter": lambda w: Ask({"code": w.code}, may_see=_QUARTER_WIDE),
    "scoring:communities": lambda w: Ask({"code": w.code}, may_see=_QUARTER_WIDE),
    "scoring:interviews": lambda w: Ask({"code": w.code}, may_see=_QUARTER_WIDE),
    "scoring:notice": lambda w: Ask({"code": w.code}, may_see=_QUARTER_WIDE),
    "scoring:evaluations": lambda w: Ask({"code": w.code}, may_see=_QUARTER_WIDE),
    "scoring:person": lambda w: Ask({"code": w.code, "pk": w.people.grid_a1.pk}),
    "scoring:community": lambda w: Ask({"code": w.code, "pk": w.tree.community_a.pk}),
    "scoring:entry-remove": lambda w: Ask(
        {"code": w.code, "pk": w.season.manual.pk},
        "post",
    ),
    "scoring:compute": lambda w: Ask(
        {"code": w.code},
        "post",
        may_see=_TOP_ADMIN_ONLY,
    ),
    "scoring:publish": lambda w: Ask(
        {"code": w.code},
        "post",
        may_see=_TOP_ADMIN_ONLY,
    ),
    "scoring:reopen": lambda w: Ask(
        {"code": w.code},
        "post",
        {"reason": "补录漏登的服务卡"},
        may_see=_TOP_ADMIN_ONLY,
    ),
    "scoring:interview": lambda w: Ask(
        {"pk": w.season.interview.pk},
        "post",
        {"held_on": timezone.localdate().isoformat(), "notes": "指出服务记录空白"},
    ),
    "scoring:draw-detail": lambda w: Ask({"pk": w.draw.pk}),
    "scoring:check-record": lambda w: Ask(
        {"pk": w.check.pk},
        "post",
        {"outcome": "kept", "visited_on": timezone.localdate().isoformat(), "note": "已兑现"},
    ),
    "scoring:dual-detail": lambda w: Ask(
        {"pk": w.dual.pk},
        "post",
        {"served_on": w.day(3).isoformat(), "hours": "2", "activity": "清理楼道"},
    ),
    "scoring:team-detail": lambda w: Ask(
        {"pk": w.team.pk},
        "post",
        {"title": "义诊", "held_on": w.day(4).isoformat(), "place": "中心", "people_served": 3},
    ),
    # 星级社区工作者: a round and its roll are the county's (its people see them); candidates,
    # awards and a worker's history are scoped to the worker's unit.
    "scoring:history": lambda w: Ask({"pk": w.people.grid_a1.pk}),
    "scoring:honour-round": lambda w: Ask({"pk": w.honours.round.pk}, may_see=_COUNTY_WIDE),
    "scoring:honour-nominate": lambda w: Ask(
        {"pk": w.honours.round.pk},
        "post",
        {"person": w.people.grid_b1.pk, "reason": "带头入户走访"},
        may_see=_COUNTY_WIDE,
    ),
    "scoring:honour-close": lambda w: Ask(
        {"pk": w.honours.round.pk}, "post", may_see=_COUNTY_WIDE
    ),
    "scoring:nomination-decide": lambda w: Ask(
        {"pk": w.honours.pending.pk}, "post", {"decision": "reject", "reason": "暂缓"}
    ),
    "scoring:honour-roll": lambda w: Ask(
        {"county": w.honours.round.county_id, "year": w.honours.round.year},
        may_see=_COUNTY_WIDE,
    ),
    "scoring:honour-roll-pdf": lambda w: Ask(
        {"county": w.honours.round.county_id, "year": w.honours.round.year},
        may_see=_COUNTY_WIDE,
    ),
    "scoring:certificate": lambda w: Ask({"pk": w.honours.award.pk}),
    "api:scoring-history": lambda w: Ask({"pk": w.people.grid_a1.pk}),
    "api:scoring-honour-round": lambda w: Ask({"pk": w.honours.round.pk}, may_see=_COUNTY_WIDE),
    "api:scoring-honour-nominate": lambda w: Ask(
        {"pk": w.honours.round.pk},
        "post",
        {"person": w.people.grid_b1.pk, "reason": "带头入户走访"},
        may_see=_COUNTY_WIDE,
    ),
    "api:scoring-honour-close": lambda w: Ask(
        {"pk": w.honours.round.pk}, "post", may_see=_COUNTY_WIDE
    ),
    "api:scoring-nomination-decide": lambda w: Ask(
        {"pk": w.honours.pending.pk}, "post", {"decision": "reject", "reason": "暂缓"}
    ),
    "api:scoring-honour-roll": lambda w: Ask(
        {"county": w.honours.round.county_id, "year": w.honours.round.year},
        may_see=_COUNTY_WIDE,
    ),
    "api:scoring-certificate": lambda w: Ask({"pk": w.honours.award.pk}),
    # API.
    "api:unit-detail": lambda w: Ask({"pk": w.tree.grid_a1.pk}),
    "api:person-detail": lambda w: Ask({"pk": w.people.grid_a1.pk}),
    "api:case-detail": lambda w: Ask({"pk": w.case.pk}),
    "api:case-events": lambda w: Ask({"pk": w.case.pk}),
    "api:case-photos": lambda w: Ask({"pk": w.case_photo.case_id}),
    "api:meeting-detail": lambda w: Ask({"pk": w.meeting.pk}),
    "api:meeting-decide": lambda w: Ask(
        {"pk": w.meeting.pk},
        "post",
        {"case": w.case.pk, "decision": "物业三日内修复", "resolves": True},
    ),
    "api:meeting-topics": lambda w: Ask(
        {"pk": w.meeting.pk},
        "post",
        {"title": "楼道堆物", "decision": "限期清理", "resolves": True},
    ),
    "api:notification-read": lambda w: Ask(
        {"pk": w.notification.pk},
        "post",
        control="grid_a1",
    ),
    "api:request-detail": lambda w: Ask({"pk": w.request.pk}),
    "api:request-answer-on-spot": lambda w: Ask(
        {"pk": w.request.pk}, "post", {"answer": "已告知"}
    ),
    "api:request-merge": lambda w: Ask({"pk": w.request.pk}, "post", {"into": w.request_2.pk}),
    "api:request-open-case": lambda w: Ask({"pk": w.request.pk}, "post", {"title": "电梯"}),
    "api:request-photos": lambda w: Ask({"pk": w.request.pk}, "post", {"image": _jpeg()}),
    "api:request-reject": lambda w: Ask({"pk": w.request.pk}, "post", {"reason": "不属于诉求"}),
    "api:request-reveal": lambda w: Ask(
        {"pk": w.request.pk},
        "post",
        {"field": "phone", "reason": REASON},
    ),
    "api:visit-detail": lambda w: Ask({"pk": w.visit.pk}),
    "api:callback-detail": lambda w: Ask({"pk": w.callback.pk}),
    "api:callback-record": lambda w: Ask({"pk": w.callback.pk}, "post", {"outcome": "confirmed"}),
    "api:callback-reveal": lambda w: Ask({"pk": w.callback.pk}, "post", {"reason": REASON}),
    "api:resident-detail": lambda w: Ask({"pk": w.resident.pk}),
    "api:resident-reveal": lambda w: Ask(
        {"pk": w.resident.pk},
        "post",
        {"reason": REASON},
    ),
    "api:scoring-quarter-detail": lambda w: Ask({"code": w.code}, may_see=_QUARTER_WIDE),
    "api:scoring-quarter-compute": lambda w: Ask(
        {"code": w.code},
        "post",
        may_see=_TOP_ADMIN_ONLY,
    ),
    "api:scoring-quarter-publish": lambda w: Ask(
        {"code": w.code},
        "post",
        may_see=_TOP_ADMIN_ONLY,
    ),
    "api:scoring-quarter-reopen": lambda w: Ask(
        {"code": w.code},
        "post",
        {"reason": "补录漏登的服务卡"},
        may_see=_TOP_ADMIN_ONLY,
    ),
    "api:scoring-ranking": lambda w: Ask({"code": w.code}, may_see=_QUARTER_WIDE),
    "api:scoring-community-ranking": lambda w: Ask({"code": w.code}, may_see=_QUARTER_WIDE),
    "api:scoring-interviews": lambda w: Ask({"code": w.code}, may_see=_QUARTER_WIDE),
    "api:scoring-report": lambda w: Ask(
        {"code": w.code},
        may_see=_QUARTER_WIDE,
    ),
    "api:scoring-check": lambda w: Ask(
        {"pk": w.check.pk},
        "post",
        {"outcome": "kept", "visited_on": timezone.localdate().isoformat(), "note": "已兑现"},
    ),
    "api:scoring-person": lambda w: Ask({"pk": w.people.grid_a1.pk}, query={"quarter": w.code}),
    "api:scoring-community": lambda w: Ask(
        {"pk": w.tree.community_a.pk}, query={"quarter": w.code}
    ),
    # The rest of the scoring pages' twins (scoring/api/twins.py).
    "api:scoring-entries": lambda w: Ask(
        {"code": w.code},
        "post",
        {
            "person": w.people.grid_a1.pk,
            "indicator": w.season.manual.indicator_id,
            "points": "2",
            "reason": "调解邻里纠纷",
        },
    ),
    "api:scoring-entry": lambda w: Ask({"code": w.code, "pk": w.season.manual.pk}, "delete"),
    "api:scoring-entry-remove": lambda w: Ask({"code": w.code, "pk": w.season.manual.pk}, "post"),
    "api:scoring-evaluations": lambda w: Ask({"code": w.code}, may_see=_QUARTER_WIDE),
    "api:scoring-interview": lambda w: Ask({"pk": w.season.interview.pk}),
    "api:scoring-interview-record": lambda w: Ask(
        {"pk": w.season.interview.pk},
        "post",
        {"held_on": timezone.localdate().isoformat(), "notes": "指出服务记录空白"},
    ),
    "api:scoring-dual-services": lambda w: Ask(
        {"pk": w.dual.pk},
        "post",
        {"served_on": w.day(3).isoformat(), "hours": "2", "description": "清理楼道"},
    ),
    "api:scoring-team-activities": lambda w: Ask(
        {"pk": w.team.pk},
        "post",
        {
            "title": "义诊",
            "held_on": w.day(4).isoformat(),
            "place": "中心",
            "people_served": 3,
            "participants": [w.people.grid_a1.pk],
        },
    ),
    # Appeals: the appellant's own, and the county's (or city's) to decide.
    "scoring:appeal-new": lambda w: Ask(
        {"code": w.appeal_entry.quarter.code, "pk": w.appeal_entry.pk},
        "post",
        {"reason": "漏记一次走访"},
        control="grid_a1",
    ),
    "scoring:appeal": lambda w: Ask({"pk": w.appeal.pk}),
    "scoring:appeal-photo": lambda w: Ask({"pk": w.appeal.pk}),
    "scoring:appeal-decide": lambda w: Ask(
        {"pk": w.appeal.pk}, "post", {"decision": "rejected", "reason": "无登记记录"}
    ),
    "scoring:appeal-withdraw": lambda w: Ask({"pk": w.appeal.pk}, "post", control="grid_a1"),
    "api:scoring-appeal": lambda w: Ask({"pk": w.appeal.pk}),
    "api:scoring-appeal-decide": lambda w: Ask(
        {"pk": w.appeal.pk}, "post", {"decision": "rejected", "reason": "无登记记录"}
    ),
    "api:scoring-appeal-withdraw": lambda w: Ask({"pk": w.appeal.pk}, "post", control="grid_a1"),
    # The 双报到 cadence of a registration: the community's staff record it.
    "scoring:dual-cadence-record": lambda w: Ask(
        {"pk": w.dual.pk}, "post", {"kind": "quarterly", "held_on": w.day(2).isoformat()}
    ),
    "scoring:dual-cadence-withdraw": lambda w: Ask(
        {"pk": w.cadence.pk}, "post", {"reason": "日期记错"}
    ),
    "api:scoring-dual-registration-cadence": lambda w: Ask({"pk": w.dual.pk}),
    "api:scoring-dual-cadence-withdraw": lambda w: Ask(
        {"pk": w.cadence.pk}, "post", {"reason": "日期记错"}
    ),
}


# In scope, but the role may not act: (the person, in ``people``, and why).
ROLE_REFUSED: dict[str, list[tuple[str, str]]] = {
    "scoring:appeal-decide": [
        ("grid_a1", "nobody decides their own appeal"),
        ("town_supervisor", "the county decides appeals, not the town"),
    ],
    "api:scoring-appeal-decide": [
        ("grid_a1", "nobody decides their own appeal"),
        ("town_supervisor", "the county decides appeals, not the town"),
    ],
    "scoring:appeal-withdraw": [("admin", "only the appellant withdraws an appeal")],
    "api:scoring-appeal-withdraw": [("admin", "only the appellant withdraws an appeal")],
    "scoring:dual-cadence-record": [
        ("handler_department", "the member does not record their own 双报到 cadence")
    ],
    "scoring:dual-cadence-withdraw": [
        ("handler_department", "the member does not withdraw their own 双报到 cadence")
    ],
    "api:scoring-dual-cadence-withdraw": [
        ("handler_department", "the member does not withdraw their own 双报到 cadence")
    ],
    "meeting-decide": [("grid_a1", "a grid worker records no meeting's decision")],
    "meeting-topic": [("grid_a1", "a grid worker records no meeting's topic")],
    "inbox-read": [("supervisor_a", "one's inbox is one's own, even for a supervisor")],
    "my-token-rename": [("supervisor_a", "one's tokens are one's own, even for a supervisor")],
    "my-token-revoke": [("supervisor_a", "one's tokens are one's own, even for a supervisor")],
    "api:token-detail": [("supervisor_a", "one's tokens are one's own, even for a supervisor")],
    "api:token-revoke": [("supervisor_a", "one's tokens are one's own, even for a supervisor")],
    "requests_app:reveal": [
        ("volunteer_a1", "volunteers do not see a phone in full"),
        ("handler_a1", "handlers do not see a phone in full"),
    ],
    "requests_app:decide": [("handler_a1", "a handler decides no intake")],
    "api:request-answer-on-spot": [("handler_a1", "a handler decides no intake")],
    "api:request-merge": [("handler_a1", "a handler decides no intake")],
    "api:request-open-case": [("handler_a1", "a handler decides no intake")],
    "api:request-reject": [("handler_a1", "a handler decides no intake")],
    "requests_app:resident-reveal": [("volunteer_a1", "volunteers do not see a phone in full")],
    **{
        name: [
            ("grid_a1", "the worker does not check their own answers"),
            ("volunteer_a1", "a volunteer checks no call-back"),
            ("handler_a1", "a handler checks no call-back"),
        ]
        for name in (
            "requests_app:callback-record",
            "requests_app:callback-reveal",
            "api:callback-detail",
            "api:callback-record",
            "api:callback-reveal",
        )
    },
    "scoring:entry-remove": [
        ("supervisor_a", "only an administrator of the whole tree removes points"),
        ("town_supervisor", "only an administrator of the whole tree removes points"),
    ],
    "scoring:compute": [("supervisor_a", "only the root's administrator computes")],
    "scoring:publish": [("town_supervisor", "only the root's administrator publishes")],
    "scoring:reopen": [("town_supervisor", "only the root's administrator reopens")],
    "scoring:interview": [("grid_a1", "a grid worker records no talk")],
    "api:scoring-interview-record": [("grid_a1", "a grid worker records no talk")],
    "api:scoring-entry": [
        ("supervisor_a", "only an administrator over them removes points"),
        ("town_supervisor", "only an administrator over them removes points"),
    ],
    "api:scoring-entry-remove": [
        ("supervisor_a", "only an administrator over them removes points"),
        ("town_supervisor", "only an administrator over them removes points"),
    ],
    "api:scoring-entries": [
        ("supervisor_a", "only an administrator over them gives points"),
        ("grid_a1", "nobody gives themselves points"),
    ],
    "api:scoring-team-activities": [
        ("volunteer_a1", "a member who is not the leader records no activity")
    ],
    "scoring:check-record": [
        ("volunteer_a1", "a volunteer is neither the inspector nor a supervisor")
    ],
    "api:scoring-check": [
        ("volunteer_a1", "a volunteer is neither the inspector nor a supervisor")
    ],
    "api:meeting-decide": [("grid_a1", "a grid worker records no meeting's decision")],
    "api:meeting-topics": [("grid_a1", "a grid worker records no meeting's topic")],
    "api:notification-read": [("supervisor_a", "one's inbox is one's own, even for a supervisor")],
    "api:request-reveal": [
        ("volunteer_a1", "volunteers do not see a phone in full"),
        ("handler_a1", "handlers do not see a phone in full"),
    ],
    "api:resident-reveal": [("volunteer_a1", "volunteers do not see a phone in full")],
    "api:scoring-quarter-compute": [("supervisor_a", "only the root's administrator computes")],
    "api:scoring-quarter-publish": [
        ("town_supervisor", "only the root's administrator publishes")
    ],
    "api:scoring-quarter-reopen": [("town_supervisor", "only the root's administrator reopens")],
    "api:scoring-report": [("grid_a1", "the report is for supervisors and administrators")],
    "scoring:honour-close": [("town_supervisor", "only the county closes a round")],
    "api:scoring-honour-close": [("town_supervisor", "only the county closes a round")],
    "scoring:nomination-decide": [("town_supervisor", "only the county decides")],
    "api:scoring-nomination-decide": [("town_supervisor", "only the county decides")],
    "api:scoring-honour-nominate": [("grid_a1", "a grid worker nominates nobody")],
}

# A quarter is one for the whole tree: anyone may ask for it by its code, and what it shows is
# cut to the viewer's scope; the walk checks that nothing of 博白县 shows (see ``_leaks``).
_QUARTER_WIDE = {
    "*": "a quarter is the whole tree's; its content is cut to the viewer's scope",
}
# A county's nomination round and honour roll: its people (a grid worker of another community
# of the county too) see them; another county's people get 404 and nothing of 博白县.
_COUNTY_WIDE = {"*": "the round and roll are the county's; other counties get 404"}
# A public page (no login): everyone sees it, and it shows nothing of a resident.
_PUBLIC = {"*": "a public page: a community's pledges and their checks, no resident's data"}
# Acting on a quarter is refused to everyone but the root's administrator; a refusal that does
# not say 404 is fine (the quarter is no secret), and nothing may be written.
_TOP_ADMIN_ONLY = {"*": "refused, not hidden: the quarter is no secret"}


# --- What a refusal leaves ------------------------------------------------------------------

_SNAPSHOT_APPS = ("casework", "requests_app", "scoring")


def snapshot() -> dict:
    """Every row of every model of the three apps: a refused request changes none."""
    rows = {}
    for app in _SNAPSHOT_APPS:
        for model in apps.get_app_config(app).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return rows


def changed(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def _send(client, name, ask: Ask):
    url = reverse(name, kwargs=ask.kwargs)
    if ask.query:
        url = f"{url}?{urlencode(ask.query)}"
    if ask.method == "get":
        return client.get(url)
    if ask.method == "delete":
        return client.delete(url)
    if name.startswith("api:"):
        multipart = any(hasattr(v, "read") for v in ask.body.values())
        return client.post(url, ask.body, format="multipart" if multipart else "json")
    return client.post(url, ask.body)


# 博白县's people and places: none of them may show to someone of another county.
_MARKERS = ("grid-a1", "sup-a", "城东社区", "阳光小区", "王伟", "博白")


def _leaks(response) -> list[str]:
    if response.get("Content-Type", "").startswith("application/pdf"):
        from pypdf import PdfReader

        text = "\n".join(
            p.extract_text() or "" for p in PdfReader(io.BytesIO(response.content)).pages
        )
    else:
        text = response.content.decode("utf-8", "replace")
    return [marker for marker in _MARKERS if marker in text]


# --- The walk -------------------------------------------------------------------------------

WALKED = sorted(WALK)


def test_every_url_with_a_parameter_is_walked_or_exempt():
    """A new URL with an id fails here until it is walked (or exempted, with the reason)."""
    found = patterns_with_parameters()
    unaccounted = sorted(n for n in found if n not in WALK and _exempt(n) is None)
    assert not unaccounted, f"walk these URLs or exempt them with a reason: {unaccounted}"
    stale = sorted(set(WALK) - found) + sorted(set(EXEMPT) - found)
    assert not stale, f"no such URL any more: {stale}"
    assert len(WALK) >= 50


@pytest.mark.parametrize("name", WALKED)
def test_people_out_of_scope_get_404_and_write_nothing(name, world, client, api_client):
    ask = WALK[name](world)
    outsiders = world.outsiders
    door = api_client if name.startswith("api:") else client
    for who, user in outsiders.items():
        door.force_login(user)
        before = snapshot()
        response = _send(door, name, ask)
        assert changed(before, snapshot()) == [], (name, who)
        if ask.may_see is _PUBLIC:
            # Public: the same page for everyone, its place named (and no resident in it).
            assert response.status_code == 200, (name, who)
        elif "*" in ask.may_see and who == "supervisor of another county":
            # Shown (or refused), but nothing of 博白县 in it.
            assert response.status_code in (200, 302, 403, 404), (name, who)
            if response.status_code == 200:
                assert _leaks(response) == [], (name, who)
        elif "*" in ask.may_see:
            assert response.status_code in (200, 302, 403, 404), (name, who)
        else:
            assert response.status_code == 404, (name, who, response.status_code)
        door.logout()


@pytest.mark.parametrize("name", sorted(ROLE_REFUSED))
def test_people_in_scope_whose_role_may_not_act_are_refused(name, world, client, api_client):
    ask = WALK[name](world)
    door = api_client if name.startswith("api:") else client
    # A page answers a refused button with a redirect and the reason as a message.
    allowed = {403, 404, 409} if name.startswith("api:") else {302, 403, 404, 409}
    for who, why in ROLE_REFUSED[name]:
        door.force_login(world.person(who))
        before = snapshot()
        response = _send(door, name, ask)
        assert response.status_code in allowed, (name, who, why, response.status_code)
        assert changed(before, snapshot()) == [], (name, who, why)
        door.logout()


@pytest.mark.parametrize("name", WALKED)
def test_someone_in_scope_reaches_it(name, world, client, api_client):
    """The control: the URL, its object and its body are right, so the 404s above mean
    something. The city's administrator is every party everywhere."""
    ask = WALK[name](world)
    door = api_client if name.startswith("api:") else client
    door.force_login(world.person(ask.control))
    response = _send(door, name, ask)
    if ask.method == "get":
        assert response.status_code == 200, (name, response.status_code)
        if ask.may_see is _QUARTER_WIDE and name != "api:scoring-quarter-detail":
            # 博白县's people show to its administrator: their absence above means something.
            assert _leaks(response), name
    else:
        assert response.status_code not in (404, 405, 500), (name, response.status_code)


def _post_only_api_actions() -> list[str]:
    return sorted(
        name
        for name, entry in _walk(get_resolver())
        if (actions := getattr(entry.callback, "actions", None)) and "get" not in actions
    )


@pytest.mark.parametrize("name", _post_only_api_actions())
def test_a_post_only_api_action_refuses_get(name, people, api_as):
    """GET on an action's URL is 405, not the viewset's list (it once answered the list, and
    with ``?format=xlsx`` the export, through ``XLSXExportMixin.get``)."""
    pattern = dict.fromkeys(
        next(e for n, e in _walk(get_resolver()) if n == name).pattern.regex.groupindex
    )
    kwargs = {key: "2026Q1" if key == "code" else 1 for key in pattern}
    url = reverse(name, kwargs=kwargs)
    api = api_as(people.admin)
    assert api.get(url).status_code == 405
    assert api.get(f"{url}?format=xlsx").status_code in (404, 405, 406)


# --- Field-level rules ----------------------------------------------------------------------


def _close(a, b) -> bool:
    """Two deadlines computed a moment apart from the same rules, or both unset."""
    if a is None or b is None:
        return a is b
    return abs(a - b) < timedelta(minutes=5)


FORGED = {
    "handler": "handler_company",
    "handler_id": "handler_company",
    "owner_unit": "company",
    "due_at": "far",
    "sign_due_at": "far",
    "due_soon_at": "far",
    "points": "99",
    "state": "closed",
}


def _forged(w) -> dict:
    far = (timezone.now() + timedelta(days=365)).isoformat()
    values = {
        "handler_company": w.people.handler_company.pk,
        "company": w.tree.company.pk,
        "far": far,
    }
    return {key: values.get(value, value) for key, value in FORGED.items()}


def test_a_grid_workers_request_body_cannot_name_a_handler_a_deadline_or_points(world, api_as):
    """Collected and sent to a case at once: a handler, deadlines, a state and points in the
    body are not the grid worker's to set; the case is the same as one opened without them."""
    from casework.models import Case
    from scoring.models import ScoreEntry

    w = world
    api = api_as(w.people.grid_a1)
    body = {
        "channel": "onsite",
        "category": w.category.pk,
        "unit": w.tree.building_a1.pk,
        "description": "楼道灯坏了",
        "outcome": "open_case",
    }
    entries = ScoreEntry.objects.count()
    plain = api.post(reverse("api:request-list"), body, format="json")
    forged = api.post(
        reverse("api:request-list"),
        {**body, "description": "楼道灯又坏了", **_forged(w)},
        format="json",
    )
    assert (plain.status_code, forged.status_code) == (201, 201), forged.content
    assert ScoreEntry.objects.count() == entries
    reference = Case.objects.get(pk=plain.json()["case"])
    case = Case.objects.get(pk=forged.json()["case"])
    assert case.handler_id is None
    assert case.state == reference.state == "new"
    assert case.owner_unit_id == reference.owner_unit_id != w.tree.company.pk
    for deadline in ("sign_due_at", "due_soon_at", "due_at"):
        assert _close(getattr(case, deadline), getattr(reference, deadline)), deadline


def test_a_grid_worker_opening_a_case_cannot_name_a_handler_or_a_deadline(world, api_as):
    """Opening a case for a collected request: the forged fields change nothing."""
    from casework.models import Case

    w = world
    api = api_as(w.people.grid_a1)
    w.request_2.refresh_from_db()  # opened without the forged fields: the reference
    response = api.post(
        reverse("api:request-open-case", kwargs={"pk": w.request.pk}),
        {"title": "电梯", **_forged(w)},
        format="json",
    )
    assert response.status_code == 200, response.content
    case = Case.objects.get(pk=response.json()["case"])
    assert case.handler_id is None
    assert case.state == "new"
    assert case.owner_unit_id != w.tree.company.pk
    other = Case.objects.get(pk=w.request_2.case_id)
    for deadline in ("sign_due_at", "due_soon_at", "due_at"):
        assert _close(getattr(case, deadline), getattr(other, deadline)), deadline


def test_a_grid_worker_cannot_add_points_on_their_own_explanation(world, client_as):
    """The manual-entry form is the root administrator's; a grid worker's POST adds nothing."""
    from scoring.models import Indicator, ScoreEntry

    w = world
    w.season  # noqa: B018  (a computed, published quarter)
    from scoring import services

    services.quarter_reopen(quarter=w.quarters.last, actor=w.people.admin, reason="补录")
    before = ScoreEntry.objects.count()
    response = client_as(w.people.grid_a1).post(
        reverse("scoring:person", kwargs={"code": w.code, "pk": w.people.grid_a1.pk}),
        {
            "indicator": Indicator.objects.get(code="dispute_mediation").pk,
            "points": "50",
            "reason": "自己加分",
        },
    )
    assert response.status_code in (200, 403, 404, 405)
    assert ScoreEntry.objects.count() == before


def test_a_grid_workers_service_card_carries_no_points_of_their_choosing(world, client_as):
    from scoring.models import ScoreEntry, ServiceCardEntry

    w = world
    before = (ScoreEntry.objects.count(), ServiceCardEntry.objects.count())
    response = client_as(w.people.grid_a1).post(
        reverse("scoring:service-card-list"),
        {
            "person": w.people.grid_a1.pk,
            "unit": w.tree.grid_a1.pk,
            "kind": "special",
            "occurred_on": timezone.localdate().isoformat(),
            "title": "入户走访",
            "points": "99",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert ServiceCardEntry.objects.count() == before[1] + 1
    assert ScoreEntry.objects.count() == before[0]
    assert "points" not in {f.name for f in ServiceCardEntry._meta.get_fields()}
