"""seed_demo leaves a published past quarter with a believable ranking, stars and 约谈 list."""

import pytest
from django.utils import timezone

from casework.models import User
from scoring.calc import QuarterKey
from scoring.models import (
    Interview,
    Quarter,
    QuarterAction,
    ScoreEntry,
    ScoreResult,
    ServiceCardEntry,
    Verification,
)
from scoring.selectors.explain import community_explanation, person_explanation


@pytest.fixture
def seeded(demo_data):
    """What ``seed_demo`` printed when it built the session's demo (see ``tests/conftest.py``)."""
    return demo_data.output


@pytest.fixture
def last(demo_data):
    return Quarter.objects.get(code=QuarterKey.of(timezone.localdate()).previous().code)


def test_the_last_ended_quarter_is_published_and_the_current_one_provisional(seeded, last):
    assert "published quarters" in seeded
    assert last.is_published and not last.stale
    current = Quarter.objects.get(code=QuarterKey.of(timezone.localdate()).code)
    assert current.status == "computed" and current.is_provisional
    kinds = set(QuarterAction.objects.filter(quarter=last).values_list("kind", flat=True))
    assert kinds == {"computed", "published"}


def test_the_ranking_is_spread_out_with_every_star_level(last):
    people = ScoreResult.objects.filter(quarter=last, subject="person")
    totals = sorted(people.values_list("total", flat=True))
    assert len(totals) > 100
    assert totals[-1] - totals[0] > 20  # a real spread, not everyone alike
    assert len(set(totals)) > len(totals) // 2
    stars = set(people.values_list("stars", flat=True))
    assert stars == {0, 1, 2, 3, 4, 5}
    communities = ScoreResult.objects.filter(quarter=last, subject="community")
    assert communities.count() == 34
    assert communities.filter(stars=5).exists()


def test_the_ledger_draws_on_cases_and_on_every_kind_of_evidence(last):
    sources = set(ScoreEntry.objects.filter(quarter=last).values_list("source", flat=True))
    for expected in (
        "case_opened",
        "case_resolved_on_time",
        "feedback_satisfied",
        "feedback_visit",
        "service_card_routine",
        "commitment_kept",
        "dual_service_hours",
        "volunteer_participation",
        "evaluation_good",
        "unit_satisfaction_rate",
        "manual",
    ):
        assert expected in sources, expected
    assert ServiceCardEntry.objects.count() > 1000
    assert Verification.objects.exclude(outcome="pending").exists()


def test_the_talk_list_is_written_and_some_talks_are_held(last):
    talks = Interview.objects.filter(quarter=last)
    assert talks.filter(subject="person").count() >= 8  # the lowest of each town
    held = talks.filter(status="held")
    assert held.exists()
    assert all(t.notes and t.held_by_id for t in held)


def test_the_explanations_add_up_to_the_demo_ranking(last):
    admin = User.objects.get(username="demo-admin")
    grid = User.objects.get(username="demo-grid")
    mine = person_explanation(viewer=grid, quarter=last, person_id=grid.pk)
    assert mine.result is not None and mine.total == mine.result.total
    for result in ScoreResult.objects.filter(quarter=last).order_by("?")[:25]:
        if result.person_id:
            x = person_explanation(viewer=admin, quarter=last, person_id=result.person_id)
        else:
            x = community_explanation(viewer=admin, quarter=last, unit_id=result.unit_id)
        assert x.total == result.total
