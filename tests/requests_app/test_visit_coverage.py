"""Monthly coverage (遍访) and the reminder to secretaries with no visit this month.

Hand-counted fixture: 城东社区 (community A) has three compounds: 阳光小区 (A1 grid), 和平小区
(A1 grid, with 2栋) and 幸福小区 (A2 grid); 城西社区 (B) has 锦绣小区.
- 甲 (secretary of A): this month a visit to 阳光小区, and a visit to the A2 grid that logged a
  request at 幸福小区 → 2 visits, 2 of 3 compounds visited, 和平小区 missed. Last month a visit
  to 和平小区 (not this month's).
- 丙 (secretary of A): no visit → first, all 3 compounds missed.
- 乙 (secretary of B): a visit to the B1 grid that logged nothing → 1 visit, 锦绣小区 missed
  (a grid visit alone does not visit every compound below it).
"""

import threading
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from casework.models import (
    Channel,
    Delivery,
    Notification,
    NotificationKind,
    NotificationPreference,
    UnitKind,
)
from casework.services import unit_create
from requests_app.models import VisitReminder
from requests_app.selectors.coverage import month_of, month_parse, visit_coverage
from requests_app.services import request_collect, visit_create
from requests_app.services.visit_reminders import visit_reminders_send
from tests.requests_app import visit_fixtures as fx


@pytest.fixture
def place(tree, people, categories):
    f = tree
    f.compound_a2 = unit_create(name="和平小区", kind=UnitKind.COMPOUND, parent=tree.grid_a1)
    f.building_a2 = unit_create(name="2栋", kind=UnitKind.BUILDING, parent=f.compound_a2)
    f.compound_a3 = unit_create(name="幸福小区", kind=UnitKind.COMPOUND, parent=tree.grid_a2)
    f.jia = fx.secretary_of(tree.community_a, "sec-jia", "甲书记")
    f.bing = fx.secretary_of(tree.community_a, "sec-bing", "丙书记")
    f.yi = fx.secretary_of(tree.community_b, "sec-yi", "乙书记")
    visit_create(actor=f.jia, unit=tree.compound_a1)
    to_grid = visit_create(actor=f.jia, unit=tree.grid_a2)
    request_collect(
        actor=f.jia, channel="onsite", category=categories.elevator, unit=f.compound_a3,
        description="幸福小区的诉求", visit=to_grid,
    )  # fmt: skip
    f.last_month = visit_create(
        actor=f.jia,
        unit=f.compound_a2,
        visited_at=timezone.make_aware(
            datetime.combine(month_of(timezone.localdate()).first - timedelta(days=3), time(10))
        ),
    )
    visit_create(actor=f.yi, unit=tree.grid_b1)
    return f


def _row(coverage, username):
    return next(r for r in coverage["secretaries"] if r["person"]["username"] == username)


def test_each_secretary_with_visits_and_compounds_not_visited(place):
    coverage = visit_coverage(unit=place.county, month=month_parse(""))
    assert [r["person"]["username"] for r in coverage["secretaries"]] == [
        "sec-bing",  # no visit: first
        "sec-jia",  # 1 missed, by name (甲 before 乙)
        "sec-yi",
    ]
    bing, jia, yi = coverage["secretaries"]
    assert (bing["visits"], bing["compounds"], bing["visited"]) == (0, 3, 0)
    assert [c["name"] for c in bing["not_visited"]] == ["阳光小区", "和平小区", "幸福小区"]
    assert (jia["visits"], jia["compounds"], jia["visited"]) == (2, 3, 2)
    assert [c["name"] for c in jia["not_visited"]] == ["和平小区"]
    assert jia["not_visited"][0]["community"] == "城东社区"
    assert [c["name"] for c in jia["communities"]] == ["城东社区"]
    assert (yi["visits"], yi["compounds"], yi["visited"]) == (1, 1, 0)
    assert [c["name"] for c in yi["not_visited"]] == ["锦绣小区"]
    assert coverage["totals"] == {
        "secretaries": 3,
        "without_visit": 1,
        "visits": 3,
        "compounds": 7,
        "not_visited": 5,
    }


def test_last_month_is_its_own_month(place):
    last = timezone.localtime(place.last_month.visited_at).strftime("%Y-%m")
    coverage = visit_coverage(unit=place.county, month=month_parse(last))
    jia = _row(coverage, "sec-jia")
    assert jia["visits"] == 1
    assert [c["name"] for c in jia["not_visited"]] == ["阳光小区", "幸福小区"]
    assert coverage["month"] == last


def test_a_building_visited_counts_for_its_compound(place, categories):
    visit = visit_create(actor=place.bing, unit=place.compound_a2)
    request_collect(
        actor=place.bing, channel="onsite", category=categories.elevator,
        unit=place.building_a2, description="2栋的诉求", visit=visit,
    )  # fmt: skip
    bing = _row(visit_coverage(unit=place.community_a, month=month_parse("")), "sec-bing")
    assert bing["visits"] == 1
    assert [c["name"] for c in bing["not_visited"]] == ["阳光小区", "幸福小区"]


def test_coverage_takes_five_queries_however_many_secretaries(place, django_assert_num_queries):
    month = month_parse("")
    with django_assert_num_queries(5):
        one = visit_coverage(unit=place.community_b, month=month)
    assert len(one["secretaries"]) == 1
    for n in range(4):
        someone = fx.secretary_of(place.community_a, f"sec-{n}", f"书记{n}")
        visit_create(actor=someone, unit=place.compound_a1)
    with django_assert_num_queries(5):
        many = visit_coverage(unit=place.county, month=month)
    assert len(many["secretaries"]) == 7


# --- Page and API, as each role ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", ["sec-bing", "sec-jia", "sec-yi"]),
        ("town_supervisor", ["sec-bing", "sec-jia", "sec-yi"]),
        ("supervisor_a", ["sec-bing", "sec-jia"]),
        ("supervisor_b", ["sec-yi"]),
        ("jia", ["sec-bing", "sec-jia"]),
        ("grid_a1", []),
        ("handler_company", []),
    ],
)
def test_page_and_api_list_the_secretaries_in_scope(
    place, people, client_as, api_as, who, expected
):
    viewer = place.jia if who == "jia" else getattr(people, who)
    page = client_as(viewer).get(reverse("requests_app:visit-coverage"))
    assert page.status_code == 200
    names = [r["person"]["username"] for r in page.context["coverage"]["secretaries"]]
    assert names == expected
    html = page.content.decode()
    if "sec-bing" in expected:
        assert 'data-no-visit="1"' in html
    body = api_as(viewer).get("/api/v1/visits/coverage/")
    assert body.status_code == 200
    assert [r["person"]["username"] for r in body.json()["secretaries"]] == expected


def test_page_and_api_refuse_a_unit_out_of_scope_and_a_bad_month(place, people, client_as, api_as):
    page = client_as(people.supervisor_a).get(
        reverse("requests_app:visit-coverage"), {"unit": place.community_b.pk}
    )
    assert page.status_code == 404
    api = api_as(people.supervisor_a).get(
        "/api/v1/visits/coverage/", {"unit": place.community_b.pk}
    )
    assert api.status_code == 404
    bad = api_as(people.admin).get("/api/v1/visits/coverage/", {"month": "2026-13"})
    assert bad.status_code == 400 and "month" in str(bad.json())
    page = client_as(people.admin).get(reverse("requests_app:visit-coverage"), {"month": "May"})
    assert page.status_code == 400
    assert api_as(people.outsider).get("/api/v1/visits/coverage/").status_code == 404


def test_coverage_page_and_api_take_constant_queries(
    place, people, client_as, api_as, django_assert_num_queries
):
    client, api = client_as(people.admin), api_as(people.admin)
    url = reverse("requests_app:visit-coverage")
    for extra in (0, 3):
        for n in range(extra):
            fx.secretary_of(place.community_b, f"sec-x{n}", f"书记{n}")
        # The session, the user, the scope, the unit, the coverage's five.
        with django_assert_num_queries(9):
            body = api.get("/api/v1/visits/coverage/").json()
        assert len(body["secretaries"]) == 3 + extra
        # and the picker and the unread count (a city has no ancestors to read)
        with django_assert_num_queries(11):
            page = client.get(url)
        assert len(page.context["coverage"]["secretaries"]) == 3 + extra


# --- The reminder ------------------------------------------------------------------------------


def _reminded():
    return sorted(
        Notification.objects.filter(kind=NotificationKind.VISIT_REMINDER).values_list(
            "user__username", flat=True
        )
    )


def test_from_the_day_secretaries_without_a_visit_are_told_once(place, settings):
    settings.MINQING_VISIT_REMINDER_DAY = 1  # every day of the month is on or after it
    assert visit_reminders_send(now=timezone.now()) == 1
    assert _reminded() == ["sec-bing"]  # 甲 and 乙 visited this month
    assert visit_reminders_send(now=timezone.now()) == 0  # run again: nobody twice
    assert _reminded() == ["sec-bing"]
    assert VisitReminder.objects.count() == 1
    note = Notification.objects.get(kind=NotificationKind.VISIT_REMINDER)
    assert note.case_id is None and note.text


def test_before_the_day_nobody_is_told(place, settings):
    settings.MINQING_VISIT_REMINDER_DAY = 20
    first = month_of(timezone.localdate()).first
    before = timezone.make_aware(datetime.combine(first + timedelta(days=18), time(9)))
    assert visit_reminders_send(now=before) == 0
    assert _reminded() == [] and not VisitReminder.objects.exists()
    on_the_day = timezone.make_aware(datetime.combine(first + timedelta(days=19), time(9)))
    # On the 20th of this month, 甲's and 乙's visits (made today) may lie ahead of that moment.
    told = visit_reminders_send(now=on_the_day)
    assert "sec-bing" in _reminded() and told == len(_reminded())


def test_a_day_past_the_months_end_means_its_last_day(place, settings):
    settings.MINQING_VISIT_REMINDER_DAY = 31
    february_28 = timezone.make_aware(datetime(2027, 2, 28, 9))
    assert visit_reminders_send(now=february_28) == 3  # nobody visited in February 2027


def test_the_reminder_follows_email_preferences(place, settings):
    settings.MINQING_VISIT_REMINDER_DAY = 1
    place.bing.email = "bing@example.cn"
    place.bing.save(update_fields=["email"])
    NotificationPreference.objects.create(user=place.bing, email=True)
    visit_reminders_send(now=timezone.now())
    assert (
        Delivery.objects.filter(notification__user=place.bing, channel=Channel.EMAIL).count() == 1
    )


def test_inactive_secretaries_are_not_told(place, settings):
    settings.MINQING_VISIT_REMINDER_DAY = 1
    place.bing.is_active = False
    place.bing.save(update_fields=["is_active"])
    assert visit_reminders_send(now=timezone.now()) == 0


def test_the_task_is_on_the_beat_schedule_and_runs(place, settings):
    from requests_app.tasks import remind_visits

    entry = settings.CELERY_BEAT_SCHEDULE["remind-visits"]
    assert entry["task"] == remind_visits.name == "requests_app.remind_visits"
    settings.MINQING_VISIT_REMINDER_DAY = 1
    assert remind_visits.delay().get() == 1
    assert remind_visits.delay().get() == 0
    assert _reminded() == ["sec-bing"]


def test_the_inbox_shows_the_reminder(place, settings, client_as):
    settings.MINQING_VISIT_REMINDER_DAY = 1
    visit_reminders_send(now=timezone.now())
    page = client_as(place.bing).get(reverse("inbox"))
    assert page.status_code == 200
    assert str(NotificationKind.VISIT_REMINDER.label) in page.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_tell_each_secretary_once(tree, people, categories, settings):
    settings.MINQING_VISIT_REMINDER_DAY = 1
    for n in range(5):
        fx.secretary_of(tree.community_a, f"sec-{n}", f"书记{n}")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(visit_reminders_send(now=timezone.now()))
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results)[1] + sorted(results)[0] == 5
    assert Notification.objects.filter(kind=NotificationKind.VISIT_REMINDER).count() == 5
    assert VisitReminder.objects.count() == 5
