"""When a case is resolved the resident gets an SMS with an unguessable, expiring link to rate
the result: no login, one answer, dead once used, once the result is rated or redone, and after
its days."""

import hashlib
import logging
import re
from datetime import timedelta

from django.urls import reverse

from casework.demo import clock
from casework.models import CaseState
from selfservice.feedback import rating_sms_send
from selfservice.models import RatingLink, ResidentRating

LINK = re.compile(r"https://minqing\.example\.cn/rate/([A-Za-z0-9_-]{32})/")


def _resolve_and_send(resolved, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        request, case = resolved(**overrides)
    return request, case


def _token(outbox) -> str:
    (_phone, text, _key), *_ = outbox
    return LINK.search(text).group(1)


def test_resolving_sends_one_sms_whose_token_is_kept_only_as_a_digest(
    resolved, outbox, django_capture_on_commit_callbacks
):
    request, case = _resolve_and_send(resolved, django_capture_on_commit_callbacks)
    assert len(outbox) == 1
    phone, text, key = outbox[0]
    assert phone == "13812345678"
    assert request.tracking_code_display in text and "14" in text
    token = _token(outbox)
    link = RatingLink.objects.get()
    assert (link.case_id, link.request_id, link.round) == (case.pk, request.pk, 0)
    assert link.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(RatingLink.objects.values()))
    assert link.sent_at is not None and key == f"rate-{link.pk}"
    assert link.expires_at - link.created_at == timedelta(days=14)
    # A second copy of the task sends nothing.
    assert rating_sms_send(link_id=link.pk, token=token) is False
    assert len(outbox) == 1


def test_the_link_page_shows_the_progress_and_rates_without_login(
    client, resolved, outbox, answer, django_capture_on_commit_callbacks
):
    _request, case = _resolve_and_send(resolved, django_capture_on_commit_callbacks)
    url = reverse("selfservice:rate", args=[_token(outbox)])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["found"]["current"] == "done" and 'data-panel="rating"' in html
    assert f'action="{url}"' in html and "13812345678" not in html and "王伟" not in html
    assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]

    response = client.post(url, answer.unhappy)
    assert response.status_code == 302
    rating = ResidentRating.objects.get()
    assert rating.via == "sms" and rating.satisfaction == "unsatisfied"
    case.refresh_from_db()
    assert case.state == CaseState.REOPENED
    assert RatingLink.objects.get().used_at is not None

    used = client.get(url)
    assert used.status_code == 410 and used.context["dead"] == "link_used"
    assert 'action="' + url not in used.content.decode()
    again = client.post(url, answer.pleased)
    assert again.status_code == 410
    assert ResidentRating.objects.count() == 1


def test_the_api_twin_rates_through_the_link_once(
    client, resolved, outbox, django_capture_on_commit_callbacks
):
    _resolve_and_send(resolved, django_capture_on_commit_callbacks)
    url = reverse("api:public-rate", args=[_token(outbox)])
    read = client.get(url)
    assert read.status_code == 200 and read.json()["rating"]["open"] is True
    first = client.post(
        url, {"solved": True, "satisfaction": "satisfied"}, content_type="application/json"
    )
    assert first.status_code == 201 and first.json()["rating"]["via"] == "sms"
    second = client.post(
        url, {"solved": True, "satisfaction": "satisfied"}, content_type="application/json"
    )
    assert second.status_code == 409 and second.json()["code"] == "link_used"


def test_a_wrong_token_is_404(client, resolved, django_capture_on_commit_callbacks):
    _resolve_and_send(resolved, django_capture_on_commit_callbacks)
    wrong = "x" * 32
    page = client.get(reverse("selfservice:rate", args=[wrong]))
    assert page.status_code == 404 and page.context["dead"] == "invalid"
    api = client.post(
        reverse("api:public-rate", args=[wrong]),
        {"solved": True, "satisfaction": "satisfied"},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert not ResidentRating.objects.exists()


def test_an_expired_link_is_dead_but_the_tracking_page_remains(
    client, resolved, outbox, answer, django_capture_on_commit_callbacks
):
    _request, _case = _resolve_and_send(resolved, django_capture_on_commit_callbacks)
    token = _token(outbox)
    link = RatingLink.objects.get()
    with clock(link.expires_at + timedelta(minutes=1)):
        page = client.post(reverse("selfservice:rate", args=[token]), answer.pleased)
        api = client.post(
            reverse("api:public-rate", args=[token]),
            {"solved": True, "satisfaction": "satisfied"},
            content_type="application/json",
        )
    assert page.status_code == 410 and page.context["dead"] == "link_expired"
    assert api.status_code == 409 and api.json()["code"] == "link_expired"
    assert not ResidentRating.objects.exists()


def test_rating_on_the_tracking_page_kills_the_link(
    client, resolved, outbox, answer, django_capture_on_commit_callbacks
):
    request, _case = _resolve_and_send(resolved, django_capture_on_commit_callbacks)
    token = _token(outbox)
    client.post(
        reverse("selfservice:track-rating"),
        {"code": request.tracking_code_display, **answer.pleased},
    )
    page = client.get(reverse("selfservice:rate", args=[token]))
    assert page.status_code == 410 and page.context["dead"] == "link_used"
    assert page.context["found"]["code"] == request.tracking_code_display


def test_a_redo_kills_the_old_link_and_the_new_result_gets_its_own(
    client, resolved, outbox, answer, redo, visit, django_capture_on_commit_callbacks
):
    _request, case = _resolve_and_send(resolved, django_capture_on_commit_callbacks)
    old = _token(outbox)
    case = visit(case, solved=False, satisfaction="unsatisfied")  # the 回访 sends it back
    assert client.get(reverse("selfservice:rate", args=[old])).status_code == 410
    with django_capture_on_commit_callbacks(execute=True):
        redo(case)
    assert len(outbox) == 2
    new = LINK.search(outbox[1][1]).group(1)
    assert new != old
    assert list(RatingLink.objects.order_by("round").values_list("round", flat=True)) == [0, 1]
    assert client.post(reverse("selfservice:rate", args=[new]), answer.pleased).status_code == 302
    assert ResidentRating.objects.get().round == 1


def test_no_phone_no_sms(resolved, outbox, django_capture_on_commit_callbacks):
    _resolve_and_send(resolved, django_capture_on_commit_callbacks, resident=None)
    assert outbox == [] and not RatingLink.objects.exists()


def test_the_console_backend_logs_the_number_masked(
    resolved, settings, caplog, django_capture_on_commit_callbacks
):
    settings.MINQING_SMS_BACKEND = "casework.channels.ConsoleSMSBackend"
    with caplog.at_level(logging.INFO, logger="minqing.sms"):
        _resolve_and_send(resolved, django_capture_on_commit_callbacks)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "138****5678" in logged and "13812345678" not in logged


def test_a_failing_provider_never_breaks_the_resolution(
    resolved, settings, django_capture_on_commit_callbacks
):
    settings.MINQING_SMS_BACKEND = "tests.selfservice_feedback.test_sms_link.BrokenSMS"
    _request, case = _resolve_and_send(resolved, django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED
    assert RatingLink.objects.get().sent_at is None  # released, for a retry


class BrokenSMS:
    def send(self, *, phone, text, key):
        raise ConnectionError("provider down")
