"""The API twins of the scoring evidence pages (service card, pledges, checks of drawn
pledges): the same service, the same choices and refusals through both doors; lists scoped
and with a constant number of queries."""

from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring import services
from scoring.models import Commitment, Indicator, ServiceCardEntry

pytestmark = pytest.mark.django_db

CARD = "/api/v1/scoring/service-card/"
PLEDGES = "/api/v1/scoring/pledges/"


def _card(tree, quarters, **extra):
    return {
        "unit": tree.grid_a1.pk,
        "kind": "routine",
        "occurred_on": quarters.day(3).isoformat(),
        "title": "本周入户走访5户",
        **extra,
    }


# --- Service card ---------------------------------------------------------------------------


def test_a_worker_logs_their_own_service_card_line(api_as, people, tree, quarters):
    answer = api_as(people.grid_a1).post(CARD, _card(tree, quarters), format="json")
    assert answer.status_code == 201, answer.content
    entry = ServiceCardEntry.objects.get()
    assert entry.person == people.grid_a1 and entry.recorded_by == people.grid_a1
    body = answer.json()
    assert body["person"] == {"id": people.grid_a1.pk, "name": "grid-a1"}
    assert body["week_start"] == entry.week_start.isoformat()


def test_a_supervisor_logs_anyones_line_in_scope(api_as, people, tree, quarters):
    data = _card(tree, quarters, person=people.grid_a1.pk)
    answer = api_as(people.supervisor_a).post(CARD, data, format="json")
    assert answer.status_code == 201
    assert ServiceCardEntry.objects.get().recorded_by == people.supervisor_a


def test_a_worker_may_not_log_a_colleagues_line(api_as, people, tree, quarters):
    """Wrong role: the volunteer of the same grid names the grid worker (403 from the service)."""
    data = _card(tree, quarters, person=people.grid_a1.pk)
    answer = api_as(people.volunteer_a1).post(CARD, data, format="json")
    assert answer.status_code == 403
    assert answer.json()["code"] and not ServiceCardEntry.objects.exists()


def test_out_of_scope_people_and_places_are_404_naming_the_field(api_as, people, tree, quarters):
    client = api_as(people.supervisor_a)
    other = client.post(CARD, _card(tree, quarters, person=people.grid_b1.pk), format="json")
    assert other.status_code == 404 and "person" in other.json()
    place = client.post(CARD, _card(tree, quarters, unit=tree.grid_b1.pk), format="json")
    assert place.status_code == 404 and "unit" in place.json()
    assert not ServiceCardEntry.objects.exists()


@pytest.mark.parametrize(
    "field,value",
    [("kind", "weekly"), ("occurred_on", "yesterday"), ("title", ""), ("unit", "a")],
)
def test_bad_service_card_input_is_400_naming_the_field(
    api_as, people, tree, quarters, field, value
):
    answer = api_as(people.grid_a1).post(
        CARD, _card(tree, quarters, **{field: value}), format="json"
    )
    assert answer.status_code == 400
    assert field in answer.json() and answer.json()["code"] == "invalid"
    assert not ServiceCardEntry.objects.exists()


def test_a_second_routine_line_in_a_week_is_refused_by_both_doors(
    api_as, client_as, people, tree, quarters
):
    api = api_as(people.grid_a1)
    assert api.post(CARD, _card(tree, quarters), format="json").status_code == 201
    again = api.post(
        CARD, _card(tree, quarters, occurred_on=quarters.day(4).isoformat()), format="json"
    )
    assert again.status_code == 400 and "occurred_on" in again.json()
    page = client_as(people.grid_a1).post(
        reverse("scoring:service-card-list"),
        {
            "person": people.grid_a1.pk,
            **_card(tree, quarters),
        },
    )
    assert page.status_code == 200 and page.context["form"].errors["occurred_on"]
    assert ServiceCardEntry.objects.count() == 1


def test_the_service_card_list_is_scoped(api_as, people, tree, quarters):
    for person, unit in ((people.grid_a1, tree.grid_a1), (people.grid_b1, tree.grid_b1)):
        services.service_card_record(
            actor=person,
            person=person,
            unit=unit,
            kind="routine",
            occurred_on=quarters.day(3),
            title="走访",
        )
    mine = api_as(people.grid_a1).get(CARD).json()
    assert [r["person"]["id"] for r in mine["results"]] == [people.grid_a1.pk]
    both = api_as(people.town_supervisor).get(CARD).json()
    assert both["count"] == 2
    one = api_as(people.town_supervisor).get(CARD, {"person": people.grid_b1.pk}).json()
    assert [r["person"]["id"] for r in one["results"]] == [people.grid_b1.pk]
    assert api_as(people.town_supervisor).get(CARD, {"person": "x"}).status_code == 400


@pytest.mark.parametrize("n", [1, 6])
def test_the_service_card_list_takes_constant_queries(
    api_as, people, tree, quarters, django_assert_num_queries, n
):
    for i in range(n):
        services.service_card_record(
            actor=people.grid_a1,
            person=people.grid_a1,
            unit=tree.grid_a1,
            kind="special",
            occurred_on=quarters.day(i),
            title=f"事项{i}",
        )
    client = api_as(people.supervisor_a)
    client.get(CARD)  # warm the session
    with django_assert_num_queries(5):
        assert client.get(CARD).json()["count"] == n


# --- Pledges --------------------------------------------------------------------------------


def _pledge(tree, quarters, **extra):
    return {
        "unit": tree.grid_a1.pk,
        "year": quarters.last.year,
        "indicator": Indicator.objects.get(code="policy_publicity").pk,
        "text": "每月为辖区居民宣讲一次惠民政策",
        **extra,
    }


def test_a_worker_makes_a_pledge_and_lists_it(api_as, people, tree, quarters):
    client = api_as(people.grid_a1)
    answer = client.post(PLEDGES, _pledge(tree, quarters), format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["indicator"]["code"] == "policy_publicity"
    pledge = Commitment.objects.get()
    assert pledge.person == people.grid_a1 and pledge.created_by == people.grid_a1
    listed = client.get(PLEDGES, {"year": quarters.last.year}).json()
    assert [r["id"] for r in listed["results"]] == [pledge.pk]
    assert client.get(PLEDGES, {"year": 1999}).status_code == 400
    assert api_as(people.grid_b1).get(PLEDGES).json()["count"] == 0


def test_pledge_refusals(api_as, people, tree, quarters):
    vol = api_as(people.volunteer_a1)
    assert (
        vol.post(
            PLEDGES, _pledge(tree, quarters, person=people.grid_a1.pk), format="json"
        ).status_code
        == 403
    )
    sup = api_as(people.supervisor_a)
    away = sup.post(PLEDGES, _pledge(tree, quarters, unit=tree.grid_b1.pk), format="json")
    assert away.status_code == 404 and "unit" in away.json()
    special = Indicator.objects.filter(is_common=False).first()
    wrong = sup.post(PLEDGES, _pledge(tree, quarters, indicator=special.pk), format="json")
    assert wrong.status_code == 400 and "indicator" in wrong.json()
    missing = sup.post(PLEDGES, _pledge(tree, quarters, indicator=2**31 - 1), format="json")
    assert missing.status_code == 404 and "indicator" in missing.json()
    long = sup.post(PLEDGES, _pledge(tree, quarters, text="长" * 301), format="json")
    assert long.status_code == 400 and "text" in long.json()
    assert not Commitment.objects.exists()


def test_a_pledge_through_the_page_is_the_same_record(client_as, people, tree, quarters):
    response = client_as(people.grid_a1).post(
        reverse("scoring:commitments"), {"person": people.grid_a1.pk, **_pledge(tree, quarters)}
    )
    assert response.status_code == 302
    assert Commitment.objects.get().created_by == people.grid_a1


# --- Checks of drawn pledges ------------------------------------------------------------------


@pytest.fixture
def drawn(people, tree, quarters):
    for person, unit in ((people.grid_a1, tree.grid_a1), (people.grid_b1, tree.grid_b1)):
        services.commitment_create(
            actor=person,
            person=person,
            unit=unit,
            year=quarters.last.year,
            indicator=Indicator.objects.get(code="policy_publicity"),
            text="每月宣讲一次",
        )
    draw = services.verification_draw(
        actor=people.town_supervisor,
        unit=tree.town,
        year=quarters.last.year,
        sample_size=2,
        # No inspectors named: each pledge's inspector is drawn from the supervisors of the town's
        # other communities, so 城东's pledge is always checked by 城西's supervisor. (A named
        # list only keeps the owner off their own pledge: the draw would vary with its seed.)
        now=timezone.make_aware(datetime.combine(quarters.day(2), time(9))),
    )
    return draw.verifications.select_related("commitment").get(commitment__person=people.grid_a1)


def _check_url(check):
    return f"/api/v1/scoring/checks/{check.pk}/"


def test_the_drawn_inspector_records_a_check(api_as, people, quarters, drawn):
    inspector = drawn.inspector
    assert inspector == people.supervisor_b  # never someone of the pledge's own community
    data = {"outcome": "kept", "visited_on": quarters.day(10).isoformat(), "note": "走访3户"}
    answer = api_as(inspector).post(_check_url(drawn), data, format="json")
    assert answer.status_code == 200, answer.content
    drawn.refresh_from_db()
    assert drawn.outcome == "kept" and drawn.recorded_by == inspector
    assert answer.json()["outcome"] == "kept"


def test_check_refusals(api_as, client_as, people, quarters, drawn):
    data = {"outcome": "kept", "visited_on": quarters.day(10).isoformat()}
    owner = api_as(people.grid_a1).post(_check_url(drawn), data, format="json")
    assert owner.status_code == 404  # not their draw: the pledge's owner never checks it
    outsider = api_as(people.outsider).post(_check_url(drawn), data, format="json")
    assert outsider.status_code == 404
    inspector = api_as(drawn.inspector)
    bad = inspector.post(_check_url(drawn), {**data, "outcome": "pending"}, format="json")
    assert bad.status_code == 400 and "outcome" in bad.json()
    no_day = inspector.post(_check_url(drawn), {"outcome": "kept"}, format="json")
    assert no_day.status_code == 400 and "visited_on" in no_day.json()
    drawn.refresh_from_db()
    assert drawn.outcome == "pending"
    page = client_as(drawn.inspector).post(
        reverse("scoring:check-record", args=[drawn.pk]), {**data, "outcome": "broken"}
    )
    assert page.status_code == 302
    drawn.refresh_from_db()
    assert drawn.outcome == "broken"
