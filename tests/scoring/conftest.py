"""Scoring fixtures: the quarters around today and helpers that record evidence through the
real services.

Ranked by the default policy (grid workers, 民情书记 and supervisors in a community or below):
``supervisor_a`` and ``grid_a1`` in 城东社区, ``supervisor_b`` and ``grid_b1`` in 城西社区.
"""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from scoring import services
from scoring.calc import QuarterKey
from scoring.models import PointRule, ScoringPolicy


@pytest.fixture
def quarters():
    """``this`` (in progress) and ``last`` (ended) quarters, and days inside them."""
    today = timezone.localdate()
    this = QuarterKey.of(today)
    last = this.previous()

    def day(n: int = 0):
        """Day ``n`` of the last quarter (0 is its first day)."""
        found = last.first_day + timedelta(days=n)
        assert last.contains(found)
        return found

    return SimpleNamespace(this=this, last=last, day=day, today=today)


@pytest.fixture
def card(people, tree, quarters):
    """Log service card lines for a person (by themselves) in the last quarter."""

    def log(person=None, *, kind="special", n=1, unit=None, start=0):
        person = person or people.grid_a1
        unit = unit or person.memberships.select_related("unit").first().unit
        entries = []
        for i in range(n):
            entries.append(
                services.service_card_record(
                    actor=person,
                    person=person,
                    unit=unit,
                    kind=kind,
                    occurred_on=quarters.day(start + (7 * i if kind == "routine" else i % 80)),
                    title="入户走访独居老人",
                )
            )
        return entries

    return log


@pytest.fixture
def compute(people):
    """Compute a quarter as the city admin."""

    def run(key, **kwargs):
        return services.quarter_compute(quarter=key, actor=people.admin, **kwargs)

    return run


@pytest.fixture
def rule():
    """Change a rule's points (and category) for one test."""

    def set_rule(source, points, indicator=None):
        found = PointRule.objects.get(source=source)
        found.points = Decimal(str(points))
        if indicator is not None:
            found.indicator = indicator
        found.save()
        return found

    return set_rule


@pytest.fixture
def policy():
    return ScoringPolicy.objects.get(pk=1)


@pytest.fixture
def season(people, tree, quarters, card, compute):
    """A computed last quarter with some of everything: cards, a volunteer activity, a
    supervisor's evaluation, an answer on the spot, a manual entry."""
    from datetime import datetime, time

    from scoring.models import Indicator

    card(people.grid_a1, kind="special", n=4)
    card(people.grid_a1, kind="routine", n=3)
    card(people.grid_b1, kind="special", n=2)
    card(people.supervisor_a, kind="key", n=2)
    team = services.volunteer_team_create(
        actor=people.supervisor_a,
        name="红袖章志愿服务队",
        unit=tree.community_a,
        leader=people.grid_a1,
        members=[people.volunteer_a1],
    )
    activity = services.volunteer_activity_record(
        actor=people.grid_a1,
        team=team,
        title="爱心义诊进社区",
        held_on=quarters.day(8),
        place="城东社区党群服务中心",
        people_served=40,
        participants=[people.grid_a1, people.volunteer_a1],
        organiser=people.grid_a1,
    )
    quarter = services.quarter_get_or_create(quarters.last)
    evaluation = services.evaluation_record(
        actor=people.supervisor_a, quarter=quarter, person=people.grid_a1, grade="good"
    )
    # Answered on the spot at intake: requests_app provides these points (scoring_sources).
    from casework.demo import clock
    from casework.services import category_create
    from requests_app.services.requests import request_answer_on_spot, request_collect

    with clock(timezone.make_aware(datetime.combine(quarters.day(9), time(10)))):
        asked = request_collect(
            actor=people.grid_a1,
            channel="onsite",
            category=category_create(code="consult-fees", name="物业费咨询"),
            unit=tree.compound_a1,
            description="物业费缴纳方式",
            resident={"name": "王伟", "phone": "13812345678", "address": "阳光小区1栋"},
        )
        answer = request_answer_on_spot(request=asked, actor=people.grid_a1, answer="已告知")
    # Verified by its month's call-back (抽查回访): only verified answers score.
    from requests_app.services.callbacks import callback_record, callback_samples_draw

    for sample in callback_samples_draw(month=quarters.day(9).replace(day=1)).drawn:
        for call in sample.callbacks.all():
            callback_record(callback=call, actor=people.supervisor_a, outcome="confirmed")
    manual = services.score_entry_add(
        actor=people.admin,
        quarter=quarter,
        person=people.grid_b1,
        indicator=Indicator.objects.get(code="dispute_mediation"),
        points="3",
        reason="调解邻里漏水纠纷",
    )
    quarter = compute(quarters.last)
    return SimpleNamespace(
        quarter=quarter,
        team=team,
        activity=activity,
        evaluation=evaluation,
        answer=answer,
        manual=manual,
    )


@pytest.fixture
def intake_only():
    """No app provides points sources: the intake (``score_evidence_record``) is read instead."""
    from unittest import mock

    from django.apps import apps

    from scoring import providers as registry

    others = [c for c in apps.get_app_configs() if c.name != "requests_app"]
    registry.providers.cache_clear()
    with mock.patch.object(apps, "get_app_configs", return_value=others):
        yield
    registry.providers.cache_clear()
