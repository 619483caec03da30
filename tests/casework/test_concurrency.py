"""Two people acting on one case at once, on PostgreSQL with real concurrent transactions."""

import threading

import pytest
from django.db import connection

from casework import services
from casework.errors import Conflict
from casework.models import Case, CaseEvent, EventKind


def _race(*calls):
    """Run the calls in threads released together; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Conflict as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_supervisors_assigning_at_once_exactly_one_wins(open_case, people, tree):
    case = open_case()
    results = _race(
        lambda: services.case_assign(case=case.pk, actor=people.supervisor_a, unit=tree.company),
        lambda: services.case_assign(
            case=case.pk, actor=people.town_supervisor, unit=tree.department
        ),
    )
    wins = [r for r in results if isinstance(r, Case)]
    losses = [r for r in results if isinstance(r, Conflict)]
    assert len(wins) == 1 and len(losses) == 1
    assert losses[0].status == 409
    assert losses[0].extra["state"] == "assigned"
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.version == 2
    assert fresh.owner_unit_id == wins[0].owner_unit_id
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ASSIGNED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clients_with_the_same_version_exactly_one_wins(open_case, people, drive):
    case = drive(open_case(), "in_progress")
    version = case.version
    results = _race(
        lambda: services.case_resolve(
            case=case.pk, actor=people.handler_company, result="修好了", version=version
        ),
        lambda: services.case_return(
            case=case.pk, actor=people.handler_company, reason="不归我们", version=version
        ),
    )
    assert sum(isinstance(r, Case) for r in results) == 1
    loss = next(r for r in results if isinstance(r, Conflict))
    assert loss.code in ("stale_version", "invalid_state")
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.version == version + 1
    assert fresh.events.count() == 4  # opened, assigned, accepted, and exactly one more
