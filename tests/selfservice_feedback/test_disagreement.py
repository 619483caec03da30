"""Where the resident's own answer and the worker's 回访 disagree, the case is flagged — whichever
came second — and a supervisor over the place checks it; a resident found right counts against
the worker who recorded the 回访."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.demo import clock
from casework.models import CaseState, Notification
from requests_app.services import request_answer_on_spot
from requests_app.services.callbacks import callback_samples_draw, month_before, month_start
from selfservice.feedback import disagreement_check, rating_record
from selfservice.models import RatingDisagreement


def _rate(request, *, solved, satisfaction, via="track"):
    return rating_record(request=request, solved=solved, satisfaction=satisfaction, via=via)


@pytest.fixture
def flagged(resolved, visit):
    """A case the worker's 回访 closed as satisfied, which the resident then says is not
    solved: one disagreement each."""

    def make(**overrides):
        request, case = resolved(**overrides)
        visit(case)
        _rate(request, solved=False, satisfaction="unsatisfied")
        return RatingDisagreement.objects.get(case=case)

    return make


def test_a_resident_answering_after_a_satisfied_visit_flags_the_case(resolved, visit, people):
    request, case = resolved()
    case = visit(case)
    assert case.state == CaseState.CLOSED
    _rate(request, solved=False, satisfaction="unsatisfied")
    row = RatingDisagreement.objects.get()
    assert (row.case_id, row.round, row.worker_id) == (case.pk, 0, people.grid_a1.pk)
    assert (row.visit_solved, row.visit_satisfaction) == (True, "satisfied")
    assert (row.rating.solved, row.rating.satisfaction) == (False, "unsatisfied")
    assert row.is_pending and row.visit.kind == "feedback"
    told = set(
        Notification.objects.filter(kind="rating_disputed", case=case).values_list(
            "user_id", flat=True
        )
    )
    assert people.supervisor_a.pk in told and people.grid_a1.pk not in told


def test_a_visit_after_a_satisfied_resident_flags_the_case(resolved, visit, people):
    request, case = resolved()
    _rate(request, solved=True, satisfaction="satisfied")
    case = visit(case, solved=False, satisfaction="unsatisfied")
    assert case.state == CaseState.REOPENED
    row = RatingDisagreement.objects.get()
    assert (row.round, row.worker_id, row.visit_satisfaction) == (
        0,
        people.grid_a1.pk,
        "unsatisfied",
    )
    assert row.rating.satisfaction == "satisfied"


def test_answers_that_agree_flag_nothing(resolved, visit):
    request, case = resolved()
    _rate(request, solved=True, satisfaction="basically_satisfied")
    visit(case, solved=True, satisfaction="satisfied")
    other_request, other = resolved()
    visit(other, solved=True, satisfaction="satisfied")
    _rate(other_request, solved=True, satisfaction="satisfied")
    assert not RatingDisagreement.objects.exists()


def test_a_case_waiting_for_verification_goes_back_for_redo_and_is_flagged(
    resolved, visit, verified_category
):
    request, case = resolved(category=verified_category)
    case = visit(case)
    assert case.state == CaseState.RESOLVED  # waits for the supervisor's 核查
    _rate(request, solved=False, satisfaction="unsatisfied")
    case.refresh_from_db()
    assert case.state == CaseState.REOPENED
    assert RatingDisagreement.objects.filter(case=case).count() == 1


def test_the_case_page_shows_both_answers_and_the_flag_while_unchecked(client_as, flagged, people):
    row = flagged()
    page = client_as(people.supervisor_a).get(reverse("case-detail", args=[row.case_id]))
    html = page.content.decode()
    assert 'data-panel="answers"' in html
    assert 'data-answer="visit"' in html and 'data-answer="resident"' in html
    assert f'data-flag="{row.pk}"' in html
    assert reverse("selfservice:disagreement-detail", args=[row.pk]) in html
    disagreement_check(
        disagreement=row, actor=people.supervisor_a, outcome="worker_stands", note=""
    )
    after = client_as(people.supervisor_a).get(reverse("case-detail", args=[row.case_id]))
    assert f'data-flag="{row.pk}"' not in after.content.decode()


def test_a_supervisor_checks_on_the_page_and_the_worker_record_counts_it(
    client_as, flagged, people
):
    row = flagged()
    client = client_as(people.supervisor_a)
    queue = client.get(reverse("selfservice:disagreement-list"))
    assert queue.status_code == 200 and [r.pk for r in queue.context["page"]] == [row.pk]
    refused = client.post(
        reverse("selfservice:disagreement-check", args=[row.pk]), {"outcome": "resident_right"}
    )
    assert refused.status_code == 400 and "note" in refused.context["form"].errors
    done = client.post(
        reverse("selfservice:disagreement-check", args=[row.pk]),
        {"outcome": "resident_right", "note": "电话回访居民，电梯仍未修好"},
    )
    assert done.status_code == 302
    row.refresh_from_db()
    assert (row.outcome, row.checked_by_id) == ("resident_right", people.supervisor_a.pk)
    assert row.checked_at is not None and row.note == "电话回访居民，电梯仍未修好"
    record = client_as(people.grid_a1).get(reverse("selfservice:disagreement-list"))
    assert record.status_code == 200
    assert record.context["view"] == "mine"
    assert record.context["record"] == [
        {
            "worker": {"id": people.grid_a1.pk, "name": "grid-a1"},
            "disputed": 1,
            "pending": 0,
            "stood": 0,
            "failed": 1,
        }
    ]
    again = client_as(people.town_supervisor).post(
        reverse("selfservice:disagreement-check", args=[row.pk]), {"outcome": "worker_stands"}
    )
    assert again.status_code == 409


def test_the_api_twins_list_and_check(api_as, flagged, people):
    row = flagged()
    api = api_as(people.supervisor_a)
    listed = api.get(reverse("api:disagreement-list"), {"view": "queue", "outcome": "pending"})
    assert listed.status_code == 200
    (item,) = listed.json()["results"]
    assert item["id"] == row.pk and item["can_check"] is True
    assert item["worker"]["id"] == people.grid_a1.pk
    assert item["visit"]["satisfaction"] == "satisfied"
    assert item["resident"]["satisfaction"] == "unsatisfied"
    assert item["case"]["handling_unit"] == "城东物业"
    checked = api.post(
        reverse("api:disagreement-check", args=[row.pk]),
        {"outcome": "worker_stands"},
        format="json",
    )
    assert checked.status_code == 200 and checked.json()["outcome"] == "worker_stands"
    again = api.post(
        reverse("api:disagreement-check", args=[row.pk]),
        {"outcome": "resident_right", "note": "x"},
        format="json",
    )
    assert again.status_code == 409 and again.json()["code"] == "checked"
    record = api.get(reverse("api:disagreement-record"))
    assert record.json()["results"] == [
        {
            "worker": {"id": people.grid_a1.pk, "name": "grid-a1"},
            "disputed": 1,
            "pending": 0,
            "stood": 1,
            "failed": 0,
        }
    ]


def test_bad_input_to_the_check_names_the_field(api_as, flagged, people):
    row = flagged()
    api = api_as(people.supervisor_a)
    wrong = api.post(
        reverse("api:disagreement-check", args=[row.pk]), {"outcome": "both"}, format="json"
    )
    assert wrong.status_code == 400 and "outcome" in wrong.json()
    no_note = api.post(
        reverse("api:disagreement-check", args=[row.pk]),
        {"outcome": "resident_right"},
        format="json",
    )
    assert no_note.status_code == 400 and "note" in no_note.json()
    row.refresh_from_db()
    assert row.is_pending


def test_another_communitys_supervisor_gets_404(client_as, api_as, flagged, people):
    row = flagged()
    page = client_as(people.supervisor_b)
    assert page.get(reverse("selfservice:disagreement-detail", args=[row.pk])).status_code == 404
    assert (
        page.post(
            reverse("selfservice:disagreement-check", args=[row.pk]),
            {"outcome": "worker_stands"},
        ).status_code
        == 404
    )
    api = api_as(people.supervisor_b)
    assert api.get(reverse("api:disagreement-list")).json()["results"] == []
    assert api.get(reverse("api:disagreement-detail", args=[row.pk])).status_code == 404
    assert (
        api.post(
            reverse("api:disagreement-check", args=[row.pk]),
            {"outcome": "worker_stands"},
            format="json",
        ).status_code
        == 404
    )
    row.refresh_from_db()
    assert row.is_pending


def test_the_worker_who_recorded_the_visit_may_not_check_it(client_as, api_as, flagged, people):
    row = flagged()
    page = client_as(people.grid_a1).get(reverse("selfservice:disagreement-detail", args=[row.pk]))
    assert page.status_code == 200 and page.context["can_check"] is False
    api = api_as(people.grid_a1)
    refused = api.post(
        reverse("api:disagreement-check", args=[row.pk]),
        {"outcome": "worker_stands"},
        format="json",
    )
    assert refused.status_code == 403
    row.refresh_from_db()
    assert row.is_pending


def test_the_town_supervisor_checks_too(api_as, flagged, people):
    row = flagged()
    checked = api_as(people.town_supervisor).post(
        reverse("api:disagreement-check", args=[row.pk]),
        {"outcome": "resident_right", "note": "居民说得对"},
        format="json",
    )
    assert checked.status_code == 200


def test_the_queue_reads_a_constant_number_of_queries(
    client_as, api_as, flagged, people, django_assert_num_queries
):
    for _ in range(3):
        flagged()
    client = client_as(people.supervisor_a)
    client.get(reverse("selfservice:disagreement-list"))  # warm the session
    # Session, user, scope; the page's count and rows; the record per worker; the inbox count.
    with django_assert_num_queries(7):
        page = client.get(reverse("selfservice:disagreement-list"))
    assert len(page.context["page"]) == 3
    api = api_as(people.supervisor_a)
    api.get(reverse("api:disagreement-list"))
    with django_assert_num_queries(5):
        listed = api.get(reverse("api:disagreement-list"))
    assert listed.json()["count"] == 3


def _local(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.mark.parametrize(
    ("outcome", "raised"), [("resident_right", True), ("worker_stands", False)]
)
def test_a_resident_found_right_raises_the_workers_next_call_back_sample(
    resolved, visit, collect, people, outcome, raised
):
    last_month = month_before(month_start(timezone.localdate()))
    month_before_that = month_before(last_month)
    with clock(_local(month_before_that + timedelta(days=9))):
        flagged_request, case = resolved()
        visit(case)
        _rate(flagged_request, solved=False, satisfaction="unsatisfied")
    row = RatingDisagreement.objects.get()
    disagreement_check(
        disagreement=row, actor=people.supervisor_a, outcome=outcome, note="已电话核实"
    )
    with clock(_local(last_month + timedelta(days=9))):
        for n in range(4):
            request_answer_on_spot(
                request=collect(description=f"咨询{n}"), actor=people.grid_a1, answer="已解答"
            )
    result = callback_samples_draw(month=last_month)
    (sample,) = [s for s in result.drawn if s.worker_id == people.grid_a1.pk]
    assert sample.raised_for_failure is raised
    assert sample.rate == (30 if raised else 10)
