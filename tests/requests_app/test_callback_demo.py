"""The demo's call-backs: every ended month drawn, most checked, a few failed, and the
published quarters still computed from verified answers only."""

from requests_app.models import Callback, CallbackSample
from scoring.models import Quarter, ScoreEntry


def test_the_demo_draws_and_checks_its_months(demo_data):
    assert CallbackSample.objects.exists()
    assert Callback.objects.filter(outcome="confirmed").count() > 10
    assert Callback.objects.filter(outcome="failed").exists()
    months = set(CallbackSample.objects.values_list("month", flat=True))
    complete = set(
        CallbackSample.objects.filter(completed_at__isnull=False).values_list("month", flat=True)
    )
    # At most one month (the last ended, when in the current quarter) waits for its call-backs.
    assert len(months - complete) <= 1
    for sample in CallbackSample.objects.filter(completed_at__isnull=False)[:20]:
        assert sample.callbacks.filter(outcome="pending").count() == 0


def test_the_published_quarters_count_verified_answers(demo_data):
    published = Quarter.objects.filter(status="published")
    assert published.exists()
    answered = ScoreEntry.objects.filter(quarter__in=published, source="answered_on_spot")
    assert answered.exists()
    failed_calls = Callback.objects.filter(outcome="failed").values_list("pk", flat=True)
    assert ScoreEntry.objects.filter(source="callback_failed").exists() or not failed_calls
