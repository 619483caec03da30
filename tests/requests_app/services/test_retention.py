"""The retention job anonymises residents settled long ago and leaves every statistic alone."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from casework.models import Case, CaseEvent, RateTally
from casework.selectors.dashboard import dashboard, period_bounds
from casework.text import SCRUBBED, scrub_personal
from requests_app.models import Request, Resident, RetentionRun
from requests_app.services import request_answer_on_spot, request_open_case, residents_anonymise
from tests.requests_app.conftest import valid_id_number

PHONE = "13812345678"
YEAR = timedelta(days=366)


@pytest.fixture
def closed_request(collect, people, drive):
    """A request whose case was closed just now, its texts quoting the resident's phone."""

    def make(state="closed", **overrides):
        request = collect(description=f"电梯坏了，回电{PHONE}", **overrides)
        case = request_open_case(request=request, actor=people.grid_a1)
        drive(case, state)
        request.refresh_from_db()
        return request

    return make


def test_a_resident_settled_four_years_ago_is_anonymised(closed_request, categories):
    number = valid_id_number()
    request = closed_request(category=categories.subsistence, id_number=number)
    now = timezone.now() + 4 * YEAR

    result = residents_anonymise(now=now, years=3)

    assert (result.residents, result.requests, result.batches) == (1, 1, 1)
    resident = Resident.objects.get(pk=request.resident_id)
    assert (resident.name, resident.phone, resident.phone_hash, resident.address) == (
        "已匿名",
        "",
        "",
        "",
    )
    assert resident.anonymised_at == now
    request.refresh_from_db()
    assert request.id_number_encrypted == "" and request.id_number_masked == ""
    assert PHONE not in request.description and SCRUBBED in request.description
    case = Case.objects.get(pk=request.case_id)
    assert PHONE not in case.description and SCRUBBED in case.description
    run = RetentionRun.objects.get()
    assert (run.residents, run.resident_ids) == (1, [resident.pk])


def test_a_resident_settled_two_years_ago_is_kept(closed_request):
    request = closed_request()

    result = residents_anonymise(now=timezone.now() + 2 * YEAR, years=3)

    assert result.residents == 0
    resident = Resident.objects.get(pk=request.resident_id)
    assert (resident.name, resident.phone) == ("王伟", PHONE)
    assert PHONE in Request.objects.get(pk=request.pk).description
    assert not RetentionRun.objects.exists()


@pytest.mark.parametrize("state", ["resolved", "parked", "in_progress"])
def test_a_resident_with_a_case_still_open_is_kept(closed_request, state):
    request = closed_request(state=state)

    assert residents_anonymise(now=timezone.now() + 10 * YEAR, years=3).residents == 0
    assert Resident.objects.get(pk=request.resident_id).phone == PHONE


def test_one_pending_request_keeps_the_resident_however_old_the_others(closed_request, collect):
    closed_request()
    collect()  # The same phone: the same resident, with a request not yet decided.

    assert residents_anonymise(now=timezone.now() + 10 * YEAR, years=3).residents == 0
    assert Resident.objects.get().phone == PHONE


def test_a_request_answered_on_the_spot_counts_from_its_answer(collect, people):
    request = collect()
    request_answer_on_spot(request=request, actor=people.grid_a1, answer=f"已告知，电话{PHONE}")

    assert residents_anonymise(now=timezone.now() + 2 * YEAR, years=3).residents == 0
    assert residents_anonymise(now=timezone.now() + 4 * YEAR, years=3).residents == 1
    request.refresh_from_db()
    assert PHONE not in request.answer


def test_anonymising_changes_no_count_rate_tally_or_event(closed_request, collect, tree, people):
    closed_request()
    closed_request(state="cancelled", resident={"name": "李娜", "phone": "13912345678"})
    answered = collect(resident={"name": "张三", "phone": "13712345678"})
    request_answer_on_spot(request=answered, actor=people.grid_a1, answer="已解答")
    start, end = period_bounds(None, None)

    def statistics():
        return {
            "dashboard": dashboard(unit=tree.county, start=start, end=end, use_cache=False),
            "tallies": list(RateTally.objects.order_by("pk").values()),
            "requests": list(
                Request.objects.values("status", "channel", "unit", "category", "case")
                .annotate(n=Count("pk"))
                .order_by("status", "channel", "unit", "category", "case")
            ),
            "cases": list(
                Case.objects.order_by("pk").values(
                    "state", "version", "unit", "closed_at", "satisfaction", "reopen_count"
                )
            ),
            "events": list(CaseEvent.objects.order_by("pk").values()),
        }

    before = statistics()
    result = residents_anonymise(now=timezone.now() + 4 * YEAR, years=3)

    assert result.residents == 3
    assert statistics() == before


def test_running_again_changes_nothing(closed_request, collect):
    closed_request()
    closed_request(resident={"name": "李娜", "phone": "13912345678"})
    now = timezone.now() + 4 * YEAR

    first = residents_anonymise(now=now, years=3, batch_size=1)
    second = residents_anonymise(now=now + YEAR, years=3, batch_size=1)

    assert (first.residents, first.batches) == (2, 2)
    assert (second.residents, second.batches) == (0, 0)
    assert RetentionRun.objects.count() == 2


def test_the_command_dry_run_writes_nothing(closed_request, capsys):
    request = closed_request()
    at = (timezone.now() + 4 * YEAR).isoformat()

    call_command("anonymise_residents", "--dry-run", "--now", at)

    assert "would anonymise 1 residents" in capsys.readouterr().out
    assert Resident.objects.get(pk=request.resident_id).phone == PHONE
    assert not RetentionRun.objects.exists()

    call_command("anonymise_residents", "--now", at)

    assert "anonymised 1 residents" in capsys.readouterr().out
    assert Resident.objects.get(pk=request.resident_id).phone == ""


def test_the_task_uses_the_configured_period(closed_request, settings):
    from requests_app.tasks import anonymise_residents

    closed_request()
    settings.MINQING_RETENTION_YEARS = 3

    assert anonymise_residents.delay().get()["residents"] == 0  # closed just now


def test_the_daily_job_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "requests_app.anonymise_residents" in tasks


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("回电13812345678", "回电" + SCRUBBED),
        ("电话 138-1234-5678。", "电话 " + SCRUBBED + "。"),
        ("身份证45092319900101123X", "身份证" + SCRUBBED),
        ("座机0775-8234567", "座机" + SCRUBBED),
        ("3栋502室，2026年12月1日", "3栋502室，2026年12月1日"),
        ("订单号123456789012345678901", "订单号123456789012345678901"),
    ],
)
def test_scrubbing_removes_phone_and_id_numbers_only(text, kept):
    assert scrub_personal(text) == kept
