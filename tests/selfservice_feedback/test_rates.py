"""Both answers count in the satisfaction (and resolution) rate: the worker's 回访 and the
resident's own rating; the tallies kept live equal a rebuild from the events."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from casework.models import RateTally
from casework.rates import rates
from casework.selectors.rates import rate_counts
from casework.selectors.worker_rates import worker_rates
from selfservice.feedback import rating_record


def _counts(tree):
    now = timezone.now()
    total, _by_child = rate_counts(
        unit=tree.community_a, start=now - timedelta(days=1), end=now + timedelta(days=1)
    )
    return total


def test_a_residents_rating_moves_the_satisfaction_rate(tree, resolved, visit):
    _request, case = resolved()
    visit(case)  # the worker's 回访: satisfied, solved
    before = _counts(tree)
    assert (before.answered, before.pleased) == (1, 1)
    assert rates(before)["satisfaction"] == 1.0

    other_request, _other = resolved()
    rating_record(request=other_request, solved=False, satisfaction="unsatisfied", via="track")
    after = _counts(tree)
    assert (after.answered, after.pleased, after.solved) == (2, 1, 1)
    assert rates(after)["satisfaction"] == 0.5
    assert rates(after)["resolution"] == 0.5
    assert after.reopened == before.reopened + 1  # the resident's redo counts as a redo


def test_the_handlers_own_rates_count_the_residents_rating(tree, people, resolved):
    request, _case = resolved()
    rating_record(request=request, solved=True, satisfaction="basically_satisfied", via="sms")
    now = timezone.now()
    rows = worker_rates(
        viewer=people.supervisor_a,
        unit=tree.community_a,
        start=now - timedelta(days=1),
        end=now + timedelta(days=1),
    )
    (handler,) = [r for r in rows if r.person_id == people.handler_company.pk]
    assert (handler.counts.answered, handler.counts.pleased) == (1, 1)


def test_the_live_tallies_equal_a_rebuild(tree, resolved, visit):
    request, case = resolved()
    rating_record(request=request, solved=True, satisfaction="satisfied", via="track")
    visit(case, solved=False, satisfaction="unsatisfied")
    other_request, _other = resolved()
    rating_record(request=other_request, solved=False, satisfaction="unsatisfied", via="sms")
    fields = ["unit_id", "day", "answered", "solved", "pleased", "reopened", "resolved"]
    live = sorted(RateTally.objects.values_list(*fields))
    call_command("rebuild_rate_tallies", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(RateTally.objects.values_list(*fields)) == live
