"""Answers given on the spot score only once verified by the call-back sample (抽查回访).

Seen: a 民情书记 typed 72 on-the-spot answers in ten seconds and became the county's number 1.
Here a worker logs twelve answers in the first month of the last quarter. Hand count, default
rules: ``answered_on_spot`` 0.5 a request, ``callback_failed`` −5, both in 服务群众 (cap 30,
floor −15). 12 answers at 10 % → a sample of 3 (the minimum).
"""

from datetime import datetime, time
from decimal import Decimal as D

import pytest
from django.utils import timezone

from casework.demo import clock
from casework.services import category_create
from requests_app.models import Callback, CallbackSample
from requests_app.services.callbacks import callback_record, callback_samples_draw
from requests_app.services.requests import request_answer_on_spot, request_collect
from scoring.models import ScoreEntry, ScoreResult
from scoring.selectors.explain import person_explanation


@pytest.fixture
def answers(people, tree, quarters):
    """``n`` requests answered on the spot by ``worker`` on day ``day`` of the last quarter."""
    category = category_create(code="consult", name="政策咨询")

    def give(n, *, day=3, worker=None):
        worker = worker or people.grid_a1
        at = timezone.make_aware(datetime.combine(quarters.day(day), time(10)))
        given = []
        with clock(at):
            for i in range(n):
                asked = request_collect(
                    actor=worker,
                    channel="onsite",
                    category=category,
                    unit=tree.compound_a1,
                    description=f"咨询第{i}件",
                    resident={"name": "王伟", "phone": f"138000000{i:02d}"},
                )
                given.append(request_answer_on_spot(request=asked, actor=worker, answer="已解答"))
        return given

    return give


def _total(quarter, person):
    return ScoreResult.objects.get(quarter=quarter, person=person).total


def _month(quarters, day=3):
    return quarters.day(day).replace(day=1)


def test_many_answers_on_the_spot_score_nothing_until_their_sample_is_checked(
    answers, people, quarters, compute
):
    answers(12)
    quarter = compute(quarters.last)
    assert not ScoreEntry.objects.filter(quarter=quarter, source="answered_on_spot").exists()
    assert _total(quarter, people.grid_a1) == D(0)

    drawn = callback_samples_draw(month=_month(quarters))
    (sample,) = drawn.drawn
    assert (sample.population_size, sample.size, sample.rate) == (12, 3, 10)
    quarter = compute(quarters.last)
    assert _total(quarter, people.grid_a1) == D(0)  # drawn, not checked: still pending

    first, second, third = Callback.objects.filter(sample=sample).order_by("pk")
    callback_record(callback=first, actor=people.supervisor_a, outcome="confirmed")
    callback_record(callback=second, actor=people.supervisor_a, outcome="confirmed")
    quarter = compute(quarters.last)
    assert _total(quarter, people.grid_a1) == D(0)  # one call-back still to make

    callback_record(callback=third, actor=people.supervisor_a, outcome="confirmed")
    quarter = compute(quarters.last)
    entry = ScoreEntry.objects.get(quarter=quarter, source="answered_on_spot")
    assert (entry.person, entry.quantity, entry.points) == (people.grid_a1, 12, D("6.00"))
    assert _total(quarter, people.grid_a1) == D("6.00")


def test_a_failed_call_back_voids_its_answer_and_takes_points_off(
    answers, people, quarters, compute
):
    answers(12)
    (sample,) = callback_samples_draw(month=_month(quarters)).drawn
    first, second, third = Callback.objects.filter(sample=sample).order_by("pk")
    callback_record(callback=first, actor=people.supervisor_a, outcome="confirmed")
    callback_record(callback=second, actor=people.supervisor_a, outcome="confirmed")
    callback_record(
        callback=third, actor=people.town_supervisor, outcome="failed", note="居民说没人来过"
    )
    quarter = compute(quarters.last)
    answered = ScoreEntry.objects.get(quarter=quarter, source="answered_on_spot")
    failed = ScoreEntry.objects.get(quarter=quarter, source="callback_failed")
    # 11 verified answers × 0.5 = 5.5; one failed call-back × −5 = −5; 0.5 in all.
    assert (answered.quantity, answered.points) == (11, D("5.50"))
    assert (failed.person, failed.quantity, failed.points) == (people.grid_a1, 1, D("-5.00"))
    assert third.request_id not in [
        e.request_id for e in third.request.events.filter(pk__in=answered.ref_ids)
    ]
    assert _total(quarter, people.grid_a1) == D("0.50")


def test_the_ranking_never_rises_on_unverified_answers(answers, people, quarters, compute, card):
    card(people.grid_b1, kind="special", n=2)  # 2 points, verified evidence
    answers(72)  # 36 points if they counted
    quarter = compute(quarters.last)
    a1 = ScoreResult.objects.get(quarter=quarter, person=people.grid_a1)
    b1 = ScoreResult.objects.get(quarter=quarter, person=people.grid_b1)
    assert (a1.total, b1.total) == (D(0), D(2))
    assert b1.rank_in_county < a1.rank_in_county


def test_why_these_points_shows_pending_months_and_voided_answers(
    answers, people, quarters, compute
):
    answers(12, day=3)
    answers(4, day=40)  # the second month of the quarter: never drawn here
    (sample,) = callback_samples_draw(month=_month(quarters, 3)).drawn
    calls = list(Callback.objects.filter(sample=sample).order_by("pk"))
    for call in calls[:2]:
        callback_record(callback=call, actor=people.supervisor_a, outcome="confirmed")
    callback_record(callback=calls[2], actor=people.supervisor_a, outcome="failed", note="未答复")
    quarter = compute(quarters.last)
    x = person_explanation(viewer=people.grid_a1, quarter=quarter, person_id=people.grid_a1.pk)
    by_state = {row["state"]: row for row in x.withheld}
    assert by_state["pending"]["count"] == 4
    assert by_state["pending"]["months"] == [f"{quarters.day(40):%Y-%m}"]
    assert by_state["voided"]["count"] == 1
    assert by_state["voided"]["items"][0][1] == f"/requests/{calls[2].request_id}/"
    # 11 verified × 0.5 − 5 = 0.5; the 4 of the second month are pending.
    assert x.total == D("0.50")


def test_the_person_api_lists_what_is_withheld(api_as, answers, people, quarters, compute):
    answers(5)
    quarter = compute(quarters.last)
    body = (
        api_as(people.grid_a1)
        .get(f"/api/v1/scoring/people/{people.grid_a1.pk}/", {"quarter": quarter.code})
        .json()
    )
    assert body["withheld"] == [
        {
            "source": "answered_on_spot",
            "state": "pending",
            "label": body["withheld"][0]["label"],
            "count": 5,
            "months": [f"{quarters.day(3):%Y-%m}"],
        }
    ]
    assert CallbackSample.objects.count() == 0
