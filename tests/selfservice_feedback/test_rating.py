"""The resident rates the result on the tracking page or through its API: once per result; an
unsolved or unsatisfied answer reopens the case like an unsatisfied 回访; a satisfied one leaves
it for the worker's 回访."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse

from casework.demo import clock
from casework.models import CaseEvent, CaseState, EventKind, Notification
from selfservice.models import ResidentRating


def _post(client, request, data):
    return client.post(
        reverse("selfservice:track-rating"), {"code": request.tracking_code_display, **data}
    )


def _api(client, request, data):
    return client.post(
        reverse("api:public-track-rating", args=[request.tracking_code]),
        data,
        content_type="application/json",
    )


def test_a_satisfied_resident_rates_on_the_page_and_the_case_waits_for_the_visit(
    client, resolved, answer, visit
):
    request, case = resolved()
    page = client.get(reverse("requests_app:track"), {"code": request.tracking_code})
    assert 'data-panel="rating"' in page.content.decode()
    assert "csrfmiddlewaretoken" in page.content.decode()

    response = _post(client, request, answer.pleased)
    assert response.status_code == 302
    assert response.url.startswith(reverse("requests_app:track") + "?code=")
    rating = ResidentRating.objects.get()
    assert (rating.solved, rating.satisfaction, rating.via, rating.round) == (
        True,
        "satisfied",
        "track",
        0,
    )
    assert rating.comment == "师傅很负责"
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED  # the worker's 回访 still closes it
    event = case.events.get(kind=EventKind.RESIDENT_FEEDBACK)
    assert event.actor is None and event.to_state == "" and event.note == "师傅很负责"
    assert event.data["round"] == 0 and event.data["via"] == "track"

    after = client.get(reverse("requests_app:track"), {"code": request.tracking_code})
    html = after.content.decode()
    assert "data-rated" in html and '<form method="post"' not in html

    closed = visit(case)
    assert closed.state == CaseState.CLOSED


def test_an_unsatisfied_resident_reopens_the_case_for_redo(client, resolved, answer, people):
    request, case = resolved()
    response = _post(client, request, answer.unhappy)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.REOPENED and case.reopen_count == 1
    assert case.resolved_at is None and case.due_at is None
    event = case.events.get(kind=EventKind.RESIDENT_FEEDBACK)
    assert (event.from_state, event.to_state) == ("resolved", "reopened")
    told = Notification.objects.filter(kind="reopened", case=case)
    assert people.supervisor_a.pk in set(told.values_list("user_id", flat=True))


def test_not_solved_alone_reopens_too(client, resolved):
    request, case = resolved()
    _post(client, request, {"solved": "no", "satisfaction": "basically_satisfied"})
    case.refresh_from_db()
    assert case.state == CaseState.REOPENED


def test_a_second_answer_for_the_same_result_is_refused(client, resolved, answer):
    request, case = resolved()
    assert _post(client, request, answer.pleased).status_code == 302
    events = CaseEvent.objects.count()
    again = _post(client, request, answer.unhappy)
    assert again.status_code == 409
    assert again.context["panels"]  # the page again, with the reason
    api = _api(client, request, {"solved": False, "satisfaction": "unsatisfied"})
    assert api.status_code == 409 and api.json()["code"] == "already_rated"
    assert ResidentRating.objects.count() == 1 and CaseEvent.objects.count() == events
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED


def test_the_api_refuses_a_second_answer_with_409_already_rated(client, resolved):
    request, _case = resolved()
    first = _api(client, request, {"solved": True, "satisfaction": "basically_satisfied"})
    assert first.status_code == 201
    body = first.json()
    assert body["rating"]["via"] == "track" and body["rating"]["round"] == 0
    assert body["progress"]["rating"]["open"] is False
    assert body["progress"]["rating"]["answer"]["satisfaction"] == "basically_satisfied"
    second = _api(client, request, {"solved": True, "satisfaction": "satisfied"})
    assert second.status_code == 409 and second.json()["code"] == "already_rated"


def test_after_a_redo_the_new_result_may_be_rated_again(client, resolved, answer, redo):
    request, case = resolved()
    _post(client, request, answer.unhappy)
    case = redo(case)
    assert case.state == CaseState.RESOLVED and case.reopen_count == 1
    assert _post(client, request, answer.pleased).status_code == 302
    assert list(ResidentRating.objects.order_by("round").values_list("round", "solved")) == [
        (0, False),
        (1, True),
    ]


def test_bad_input_names_the_field_and_writes_nothing(client, resolved):
    request, _case = resolved()
    page = _post(client, request, {"solved": "yes", "comment": "好"})
    assert page.status_code == 400
    assert page.context["panels"] and "field-error" in page.content.decode()
    api = _api(client, request, {"solved": True, "satisfaction": "delighted"})
    assert api.status_code == 400 and "satisfaction" in api.json()
    too_long = _api(
        client, request, {"solved": True, "satisfaction": "satisfied", "comment": "长" * 501}
    )
    assert too_long.status_code == 400 and "comment" in too_long.json()
    assert not ResidentRating.objects.exists()
    assert not CaseEvent.objects.filter(kind=EventKind.RESIDENT_FEEDBACK).exists()


def test_a_result_not_reported_yet_cannot_be_rated(client, intake, drive, collect):
    request, case = intake()
    drive(case, "in_progress")
    page = client.get(reverse("requests_app:track"), {"code": request.tracking_code})
    assert 'data-panel="rating"' not in page.content.decode()
    refused = _api(client, request, {"solved": True, "satisfaction": "satisfied"})
    assert refused.status_code == 409 and refused.json()["code"] == "rating_closed"
    bare = collect()
    no_case = _api(client, bare, {"solved": True, "satisfaction": "satisfied"})
    assert no_case.status_code == 409 and no_case.json()["code"] == "no_result"
    assert not ResidentRating.objects.exists()


def test_a_closed_case_may_be_rated_for_a_while_and_nothing_moves(client, resolved, visit):
    request, case = resolved()
    case = visit(case)
    assert case.state == CaseState.CLOSED
    response = _api(client, request, {"solved": False, "satisfaction": "unsatisfied"})
    assert response.status_code == 201
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED  # a closed case is not reopened by anyone
    late_request, late_case = resolved()
    late_case = visit(late_case)
    with clock(late_case.resolved_at + timedelta(days=15)):
        late = _api(client, late_request, {"solved": True, "satisfaction": "satisfied"})
    assert late.status_code == 409 and late.json()["code"] == "rating_closed"


def test_an_unknown_code_is_404_on_the_page_and_the_api(client, db, answer):
    page = client.post(reverse("selfservice:track-rating"), {"code": "ABCDE-FGHJK"})
    assert page.status_code == 404
    api = client.post(
        reverse("api:public-track-rating", args=["ABCDEFGHJK"]),
        {"solved": True, "satisfaction": "satisfied"},
        content_type="application/json",
    )
    assert api.status_code == 404


def test_the_rating_form_needs_its_csrf_token(resolved, answer):
    request, _case = resolved()
    strict = Client(enforce_csrf_checks=True)
    response = _post(strict, request, answer.pleased)
    assert response.status_code == 403
    assert not ResidentRating.objects.exists()


def test_rating_posts_are_throttled_per_address(client, resolved, answer, monkeypatch):
    from selfservice.views import feedback

    monkeypatch.setattr(feedback, "RATE_LIMIT", 2)
    request, _case = resolved()
    for _ in range(2):
        _post(client, request, {"solved": "maybe"})
    response = _post(client, request, answer.pleased)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert not ResidentRating.objects.exists()


def test_the_worker_visit_still_works_after_an_unsatisfied_resident_redo(
    client, resolved, answer, redo, visit
):
    request, case = resolved()
    _post(client, request, answer.unhappy)
    case = redo(case)
    closed = visit(case)
    assert closed.state == CaseState.CLOSED
    assert [e.kind for e in closed.events.filter(kind__in=["feedback", "resident_feedback"])] == [
        "resident_feedback",
        "feedback",
    ]
