"""Call-back verification (抽查回访): the monthly draw, the checks, both doors, the scope.

Hand counts are in each test. ``month`` is last month (ended), answers given on its 3rd.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.utils import timezone

from casework.demo import clock
from casework.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from casework.models import Notification, Role
from casework.services import membership_grant, person_create
from requests_app import callbacks_calc as calc
from requests_app.models import Callback, CallbackSample, PersonalDataAccess
from requests_app.selectors import request_list
from requests_app.selectors.callbacks import callback_list, verification_figures
from requests_app.services.callbacks import (
    callback_phone_reveal,
    callback_record,
    callback_samples_draw,
    month_after,
    month_before,
    month_start,
)
from requests_app.services.requests import request_answer_on_spot, request_collect
from requests_app.tasks import draw_callback_samples


@pytest.fixture
def month():
    return month_before(month_start(timezone.localdate()))


@pytest.fixture
def answered(tree, people, categories, month):
    """``n`` requests answered on the spot by ``worker`` (and ``open_`` more left collected)."""

    def give(n, *, worker=None, unit=None, open_=0, in_month=None, day=3):
        worker = worker or people.grid_a1
        when = in_month or month
        at = timezone.make_aware(datetime.combine(when.replace(day=day), time(10)))
        made = []
        with clock(at):
            for i in range(n + open_):
                request = request_collect(
                    actor=worker,
                    channel="onsite",
                    category=categories.facility,
                    unit=unit or tree.building_a1,
                    description=f"路灯不亮{i}",
                    resident={"name": "王伟", "phone": f"1391234{i:04d}"},
                )
                if i < n:
                    request = request_answer_on_spot(request=request, actor=worker, answer="已修")
                made.append(request)
        return made

    return give


# --- The arithmetic --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "rate", "size"),
    [(45, 10, 5), (12, 10, 3), (2, 10, 2), (0, 10, 0), (45, 30, 14), (3, 10, 3), (31, 10, 4)],
)
def test_sample_sizes(population, rate, size):
    assert calc.sample_size(population, rate=rate, minimum=3) == size


def test_the_same_seed_and_population_draw_the_same_sample():
    population = list(range(100, 145))
    first = calc.draw(population, 5, 123456789)
    assert first == calc.draw(list(reversed(population)), 5, 123456789)
    assert len(first) == 5 and set(first) <= set(population)
    assert calc.draw(population, 5, 987654321) != first


def test_outliers_against_the_town_median():
    # Town 1: shares 100, 50, 40 (median 50): 100 > 50 + 25 → flagged. 60 has 9 collected:
    # under the minimum volume, not counted and not flagged. Town 2: one worker, own median.
    shares = {
        1: (1, D(100), 10),
        2: (1, D(50), 10),
        3: (1, D(40), 12),
        4: (1, D(100), 9),
        5: (2, D(90), 20),
    }
    flagged, medians = calc.outliers(shares, points=25, min_volume=10)
    assert flagged == {1}
    assert medians == {1: D("50.0"), 2: D("90.0")}


# --- The draw --------------------------------------------------------------------------------


def test_a_draw_is_reproducible_from_its_stored_seed(answered, month, tree):
    answered(45)
    (sample,) = callback_samples_draw(month=month).drawn
    assert (sample.population_size, sample.size, sample.rate, sample.raised) == (45, 5, 10, False)
    drawn = sorted(Callback.objects.filter(sample=sample).values_list("request_id", flat=True))
    assert drawn == calc.draw(sample.population, sample.size, sample.seed)
    assert sample.unit == tree.building_a1  # the smallest unit holding every answer


def test_a_given_seed_gives_the_same_sample_again(answered, month):
    answered(12)
    (first,) = callback_samples_draw(month=month, seed=42).drawn
    chosen = sorted(first.callbacks.values_list("request_id", flat=True))
    assert len(chosen) == 3
    assert calc.draw(first.population, 3, 42) == chosen


def test_drawing_twice_draws_nothing_new(answered, month):
    answered(2)
    assert len(callback_samples_draw(month=month).drawn) == 1
    again = callback_samples_draw(month=month)
    assert (again.drawn, again.already) == ([], 1)
    assert CallbackSample.objects.count() == 1
    assert Callback.objects.count() == 2  # 2 answers: all of them


def test_the_beat_task_draws_last_month_once(answered, month):
    answered(4)
    first = draw_callback_samples.delay().get()
    second = draw_callback_samples.delay().get()
    assert first == {"month": f"{month:%Y-%m}", "drawn": 1, "already": 0}
    assert second == {"month": f"{month:%Y-%m}", "drawn": 0, "already": 1}
    assert Callback.objects.count() == 3


def test_the_command_draws_any_month_with_a_seed(answered, month, capsys):
    answered(12)
    call_command("draw_callbacks", month=f"{month:%Y-%m}", seed=7)
    out = capsys.readouterr().out
    assert "3 of 12 at 10%, seed 7" in out
    sample = CallbackSample.objects.get()
    assert sample.seed == 7 and sample.drawn_by is None


def test_a_month_not_yet_ended_is_refused(answered, month):
    with pytest.raises(ValidationFailed) as refused:
        callback_samples_draw(month=month_after(month))
    assert refused.value.field == "month"
    assert not CallbackSample.objects.exists()


def test_a_failed_call_back_raises_the_next_months_sample(answered, month, people):
    earlier = month_before(month)
    answered(12, in_month=earlier)
    (before,) = callback_samples_draw(month=earlier).drawn
    calls = list(before.callbacks.all())
    callback_record(callback=calls[0], actor=people.supervisor_a, outcome="failed", note="没来过")
    answered(20)
    (after,) = callback_samples_draw(month=month).drawn
    # 30 % of 20 = 6, where 10 % would have been the minimum of 3.
    assert (after.rate, after.size, after.raised, after.raised_for_failure) == (30, 6, True, True)


def test_a_worker_far_above_the_town_median_is_flagged_and_sampled_more(
    answered, month, people, tree
):
    # 博白镇: grid_a1 10 of 10 on the spot (100 %), grid_b1 5 of 10 (50 %), supervisor_b 4 of
    # 10 (40 %): median 50; 100 > 50 + 25 → flagged, 30 % of 10 = 3 drawn. grid_b1: 50 is
    # not above 75, 10 % of 5 → the minimum 3.
    answered(10)
    answered(5, open_=5, worker=people.grid_b1, unit=tree.compound_b1)
    answered(4, open_=6, worker=people.supervisor_b, unit=tree.compound_b1)
    drawn = {s.worker_id: s for s in callback_samples_draw(month=month).drawn}
    a1, b1 = drawn[people.grid_a1.pk], drawn[people.grid_b1.pk]
    assert (a1.flagged, a1.rate, a1.size, a1.answered_share, a1.peer_median) == (
        True,
        30,
        3,
        D("100.0"),
        D("50.0"),
    )
    assert (b1.flagged, b1.rate, b1.size, b1.answered_share) == (False, 10, 3, D("50.0"))


def test_checkers_over_the_place_are_told_when_a_month_is_drawn(answered, month, people):
    answered(3)
    callback_samples_draw(month=month)
    told = set(Notification.objects.filter(kind="callbacks_drawn").values_list("user", flat=True))
    # Over 1栋 in 城东社区: its supervisor, the town's, the city admin; never the worker.
    assert told == {people.supervisor_a.pk, people.town_supervisor.pk, people.admin.pk}


def test_only_supervisors_and_admins_draw_by_hand(answered, month, people):
    answered(3)
    with pytest.raises(NotPermitted):
        callback_samples_draw(month=month, actor=people.grid_a1)
    assert not CallbackSample.objects.exists()
    drawn = callback_samples_draw(month=month, actor=people.supervisor_b)
    assert drawn.drawn == []  # grid_a1 answered in 城东社区: not in supervisor_b's places
    assert len(callback_samples_draw(month=month, actor=people.supervisor_a).drawn) == 1


# --- The checks ------------------------------------------------------------------------------


@pytest.fixture
def drawn(answered, month):
    answered(4)
    (sample,) = callback_samples_draw(month=month, seed=1).drawn
    return sample


def test_the_worker_cannot_check_their_own(answered, month, people):
    answered(3, worker=people.supervisor_a)
    (sample,) = callback_samples_draw(month=month).drawn
    call = sample.callbacks.first()
    with pytest.raises(NotPermitted):
        callback_record(callback=call, actor=people.supervisor_a, outcome="confirmed")
    call.refresh_from_db()
    assert call.outcome == "pending" and call.checked_by is None
    assert not callback_list(viewer=people.supervisor_a).exists()
    callback_record(callback=call, actor=people.town_supervisor, outcome="confirmed")


def test_out_of_scope_checkers_and_other_roles_are_refused(drawn, people):
    call = drawn.callbacks.first()
    for outsider in (people.supervisor_b, people.grid_b1, people.handler_company, people.outsider):
        with pytest.raises(NotFound):
            callback_record(callback=call, actor=outsider, outcome="confirmed")
    # A field worker of the same grid is no checker either.
    with pytest.raises(NotFound):
        callback_record(callback=call, actor=people.volunteer_a1, outcome="confirmed")
    assert Callback.objects.filter(outcome="pending").count() == 3


def test_a_failed_call_back_needs_a_note_and_a_check_is_recorded_once(drawn, people):
    call = drawn.callbacks.first()
    with pytest.raises(ValidationFailed) as refused:
        callback_record(callback=call, actor=people.supervisor_a, outcome="failed", note="  ")
    assert refused.value.field == "note"
    with pytest.raises(ValidationFailed) as refused:
        callback_record(callback=call, actor=people.supervisor_a, outcome="pending")
    assert refused.value.field == "outcome"
    callback_record(callback=call, actor=people.supervisor_a, outcome="failed", note="没人来过")
    with pytest.raises(Conflict):
        callback_record(callback=call, actor=people.town_supervisor, outcome="confirmed")
    call.refresh_from_db()
    assert (call.outcome, call.note, call.checked_by) == (
        "failed",
        "没人来过",
        people.supervisor_a,
    )
    drawn.refresh_from_db()
    assert (drawn.failed_count, drawn.completed_at) == (1, None)


def test_the_sample_is_complete_when_its_last_call_back_is_checked(drawn, people):
    calls = list(drawn.callbacks.all())
    for call in calls[:-1]:
        callback_record(callback=call, actor=people.supervisor_a, outcome="confirmed")
    drawn.refresh_from_db()
    assert drawn.completed_at is None
    callback_record(callback=calls[-1], actor=people.supervisor_a, outcome="confirmed")
    drawn.refresh_from_db()
    assert drawn.completed_at is not None and drawn.failed_count == 0


@pytest.fixture
def operator(tree):
    user = person_create(username="hotline", name="热线回访员", password="pw-for-tests-9731")
    membership_grant(user=user, unit=tree.town, role=Role.HOTLINE_OPERATOR)
    return user


def test_a_hotline_operator_checks_call_backs_of_their_town_and_sees_nothing_else(
    drawn, operator, people, tree, answered
):
    assert callback_list(viewer=operator).count() == 3
    assert not request_list(viewer=operator).exists()
    call = drawn.callbacks.first()
    phone = callback_phone_reveal(actor=operator, callback=call, reason="回访核实")
    assert phone == call.request.resident.phone
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.request_id, access.reason) == (
        operator,
        call.request_id,
        "回访核实",
    )
    callback_record(callback=call, actor=operator, outcome="confirmed")
    call.refresh_from_db()
    assert call.checked_by == operator


def test_the_phone_is_shown_only_to_a_checker_with_a_reason(drawn, people):
    call = drawn.callbacks.first()
    with pytest.raises(NotFound):
        callback_phone_reveal(actor=people.supervisor_b, callback=call, reason="看看")
    with pytest.raises(ValidationFailed):
        callback_phone_reveal(actor=people.supervisor_a, callback=call, reason="")
    assert not PersonalDataAccess.objects.exists()


# --- The report's figures ----------------------------------------------------------------------


def test_verification_figures_for_the_report(answered, month, people, tree):
    # 城东: grid_a1 12 answers → 3 drawn: 2 confirmed, 1 failed → complete: 11 verified,
    # 1 voided. 城西: grid_b1 2 answers → both drawn, unchecked → 2 pending.
    answered(12)
    answered(2, worker=people.grid_b1, unit=tree.compound_b1)
    samples = {s.worker_id: s for s in callback_samples_draw(month=month).drawn}
    calls = list(samples[people.grid_a1.pk].callbacks.all())
    callback_record(callback=calls[0], actor=people.supervisor_a, outcome="confirmed")
    callback_record(callback=calls[1], actor=people.supervisor_a, outcome="confirmed")
    callback_record(callback=calls[2], actor=people.supervisor_a, outcome="failed", note="不实")
    start = timezone.make_aware(datetime.combine(month, time()))
    end = start + timedelta(days=40)
    county = verification_figures(unit=tree.county, start=start, end=end)
    assert {k: v for k, v in county.items() if k != "flagged"} == {
        "answers": 14,
        "sampled": 5,
        "confirmed": 2,
        "failed": 1,
        "unchecked": 2,
        "voided": 1,
        "verified": 11,
        "pending": 2,
    }
    east = verification_figures(unit=tree.community_a, start=start, end=end)
    assert (east["answers"], east["verified"], east["pending"]) == (12, 11, 0)
