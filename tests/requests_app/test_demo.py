"""The demo's year of requests: every channel, realistic outcomes, the article's visit figures."""

from datetime import timedelta

import pytest
from django.db.models import Count

from casework.models import Case, CaseEvent
from requests_app import demo
from requests_app.models import Channel, Request, RequestStatus, Resident, Visit
from requests_app.selectors import visit_counts, visit_list


@pytest.fixture
def data(demo_data):
    """The session's demo (see ``tests/conftest.py``); ``data.now`` is the moment it reaches."""
    return demo_data


def test_the_step_is_declared_between_the_core_and_the_cases():
    assert demo.STEPS[0] == (20, "a year of requests", demo.build)
    # The call-back samples come after the cases (30) and before scoring (40); this month's
    # visits (遍访) after every other step (requests_app/demo_visits.py).
    assert [order for order, _name, _step in demo.STEPS] == [20, 35, 90]


def test_a_year_of_requests_across_every_channel(data):
    total = Request.objects.count()
    assert 1500 < total < 6000
    channels = set(Request.objects.values_list("channel", flat=True))
    assert channels == set(Channel.values) - {Channel.OPEN311}
    oldest = Request.objects.order_by("collected_at").first().collected_at
    newest = Request.objects.order_by("collected_at").last().collected_at
    assert oldest < data.now - timedelta(days=330)
    assert data.now - timedelta(days=7) < newest <= data.now
    # Every county of the article has requests.
    for county in ("博白县", "兴业县", "福绵区"):
        assert Request.objects.filter(unit__path__startswith=_path(county)).count() > 300


def _path(name):
    from casework.models import OrgUnit

    return OrgUnit.objects.get(name=name).path


def test_most_are_answered_on_the_spot_and_about_fifteen_percent_become_cases(data):
    counts = dict(Request.objects.values_list("status").annotate(n=Count("id")))
    total = sum(counts.values())
    assert counts[RequestStatus.ANSWERED_ON_SPOT] / total > 0.7
    assert 0.10 < counts[RequestStatus.CASE_OPENED] / total < 0.22
    assert counts[RequestStatus.MERGED] > 20
    assert counts[RequestStatus.REJECTED] > 20
    # Every opened request has its case, opened at the time of the request.
    opened = Request.objects.filter(status="case_opened").select_related("case")
    assert Case.objects.count() == opened.count()
    for request in opened[:50]:
        assert abs(request.case.created_at - request.collected_at) < timedelta(hours=2)
    merged = Request.objects.filter(status="merged").count()
    assert CaseEvent.objects.filter(kind="request_merged").count() == merged


def test_repeat_callers_and_personal_data_look_real(data):
    with_many = Resident.objects.annotate(n=Count("requests")).filter(n__gt=1).count()
    assert with_many > 100
    needs_id = Request.objects.filter(category__requires_id_number=True)
    assert needs_id.exists()
    assert not needs_id.filter(id_number_encrypted="").exists()
    assert (
        not Request.objects.filter(category__requires_id_number=False)
        .exclude(id_number_encrypted="")
        .exists()
    )


def test_secretaries_visit_monthly_and_xingye_has_the_articles_round(data):
    from casework.models import User

    admin = User.objects.get(username="demo-admin")
    assert Visit.objects.count() > 300
    round_ = [
        visit_counts(v)
        for v in visit_list(viewer=admin).filter(
            kind="feedback_day", unit__path__startswith=_path("兴业县")
        )
    ]
    assert len(round_) == 11
    assert sum(c["collected"] for c in round_) == 84
    assert sum(c["answered_on_spot"] for c in round_) == 72
    assert sum(c["case_opened"] for c in round_) == 12


def test_the_demo_grid_worker_has_requests_to_look_at(data):
    from casework.models import User

    worker = User.objects.get(username="demo-grid")
    mine = Request.objects.filter(collected_by=worker)
    assert mine.count() > 10
    assert Request.objects.filter(status="collected").exists()
