"""The 双报到 rhythm: report-in on arrival, a monthly account, a quarterly meeting, per member and
community, with the missing ones counted by hand."""

from datetime import date

import pytest
from django.urls import reverse

from casework.errors import Conflict, NotPermitted, ValidationFailed
from casework.models import Role
from casework.services import membership_grant, person_create
from scoring import services
from scoring.models import DualCadenceRecord
from scoring.selectors.dual_cadence import dual_cadence, months_due, quarters_due


def test_what_is_due_counted_by_hand():
    # Registered 10 Feb, seen 15 Aug: accounts for Feb–Jul (6), meetings for Q1 and Q2.
    assert months_due(date(2025, 2, 10), 2025, date(2025, 8, 15)) == [2, 3, 4, 5, 6, 7]
    assert quarters_due(date(2025, 2, 10), 2025, date(2025, 8, 15)) == [1, 2]
    # A year that has ended: May–Dec (8), Q2–Q4 (3).
    assert months_due(date(2024, 5, 3), 2024, date(2025, 1, 10)) == list(range(5, 13))
    assert quarters_due(date(2024, 5, 3), 2024, date(2025, 1, 10)) == [2, 3, 4]
    # Registered this month: nothing due yet but the report-in.
    assert months_due(date(2025, 8, 1), 2025, date(2025, 8, 15)) == []
    assert quarters_due(date(2025, 8, 1), 2025, date(2025, 8, 15)) == []


@pytest.fixture
def members(people, tree):
    """Two members of the department registered with community A on 15 March last year."""
    year = date.today().year - 1
    made = []
    for n in range(2):
        person = person_create(username=f"dm{n}", name=f"在职党员{n}")
        membership_grant(user=person, unit=tree.department, role=Role.HANDLER)
        made.append(
            services.dual_registration_create(
                actor=people.supervisor_a,
                person=person,
                home_unit=tree.department,
                community=tree.community_a,
                registered_on=date(year, 3, 15),
            )
        )
    return made


def _record(people, registration, kind, day, note=""):
    return services.dual_cadence_record(
        actor=people.supervisor_a, registration=registration, kind=kind, held_on=day, note=note
    )


def test_the_missing_ones_per_member_and_community(people, members):
    first, second = members
    year = first.year
    _record(people, first, "report_in", date(year, 3, 16))
    for month in (3, 4, 5):
        _record(people, first, "monthly", date(year, month, 28), note="入户走访3户")
    _record(people, first, "quarterly", date(year, 3, 30))
    _record(people, first, "quarterly", date(year, 6, 20))
    (group,) = dual_cadence(viewer=people.supervisor_a, year=year)
    # Due per member: months 3–12 (10), quarters 1–4 (4). First: 7 months and 2 quarters
    # missing; second: all 10 and 4, and no report-in.
    assert (group.members, group.not_reported_in) == (2, 1)
    assert (group.months_due, group.months_missing) == (20, 7 + 10)
    assert (group.quarters_due, group.quarters_missing) == (8, 2 + 4)
    rows = {row.registration.pk: row for row in group.rows}
    assert rows[first.pk].months_missing == [6, 7, 8, 9, 10, 11, 12]
    assert rows[first.pk].quarters_missing == [3, 4]
    assert rows[second.pk].missing == 1 + 10 + 4
    # Another community's supervisor sees none of it.
    assert dual_cadence(viewer=people.supervisor_b, year=year) == []


def test_recording_refusals(people, members):
    first = members[0]
    year = first.year
    with pytest.raises(NotPermitted):
        services.dual_cadence_record(
            actor=people.grid_a1, registration=first, kind="report_in", held_on=date(year, 4, 1)
        )
    with pytest.raises(NotPermitted):
        services.dual_cadence_record(
            actor=people.supervisor_b,
            registration=first,
            kind="report_in",
            held_on=date(year, 4, 1),
        )
    with pytest.raises(ValidationFailed) as error:
        _record(people, first, "monthly", date(year, 4, 1))
    assert error.value.field == "note"
    with pytest.raises(ValidationFailed) as error:
        _record(people, first, "quarterly", date(year, 3, 1))  # before the registration
    assert error.value.field == "held_on"
    with pytest.raises(ValidationFailed) as error:
        _record(people, first, "weekly", date(year, 4, 1))
    assert error.value.field == "kind"
    _record(people, first, "monthly", date(year, 4, 1), note="参加志愿服务")
    with pytest.raises(Conflict):
        _record(people, first, "monthly", date(year, 4, 20), note="又一次")
    assert DualCadenceRecord.objects.count() == 1


def test_a_wrong_record_is_withdrawn_and_recorded_again(people, members):
    first = members[0]
    record = _record(people, first, "report_in", date(first.year, 3, 16))
    with pytest.raises(ValidationFailed):
        services.dual_cadence_withdraw(actor=people.supervisor_a, record=record, reason="")
    services.dual_cadence_withdraw(actor=people.supervisor_a, record=record, reason="日期记错")
    with pytest.raises(Conflict):
        services.dual_cadence_withdraw(actor=people.supervisor_a, record=record, reason="again")
    (group,) = dual_cadence(viewer=people.supervisor_a, year=first.year)
    assert group.not_reported_in == 2
    _record(people, first, "report_in", date(first.year, 3, 17))
    assert DualCadenceRecord.objects.filter(registration=first).count() == 2


def test_the_pages_and_the_api(people, members, client_as, api_as):
    first = members[0]
    year = first.year
    client = client_as(people.supervisor_a)
    response = client.post(
        reverse("scoring:dual-cadence-record", args=[first.pk]),
        {"kind": "report_in", "held_on": f"{year}-03-16"},
    )
    assert response.status_code == 302
    assert DualCadenceRecord.objects.filter(registration=first, kind="report_in").exists()
    detail = client.get(reverse("scoring:dual-detail", args=[first.pk]))
    assert detail.context["cadence"].report_in is not None
    page = client.get(reverse("scoring:dual-cadence"), {"year": year})
    (group,) = page.context["groups"]
    assert (group.members, group.not_reported_in) == (2, 1)
    # A grid worker's post is refused with a message, nothing written.
    refused = client_as(people.grid_a1).post(
        reverse("scoring:dual-cadence-record", args=[first.pk]),
        {"kind": "quarterly", "held_on": f"{year}-04-16"},
    )
    assert refused.status_code in (302, 404)
    assert DualCadenceRecord.objects.count() == 1

    api = api_as(people.supervisor_a)
    created = api.post(
        f"/api/v1/scoring/dual/{first.pk}/cadence/",
        {"kind": "monthly", "held_on": f"{year}-04-02", "note": "走访独居老人"},
        format="json",
    )
    assert created.status_code == 201, created.content
    bad = api.post(
        f"/api/v1/scoring/dual/{first.pk}/cadence/",
        {"kind": "monthly", "held_on": f"{year}-05-02"},
        format="json",
    )
    assert bad.status_code == 400 and "note" in bad.json()
    body = api.get("/api/v1/scoring/dual/cadence/", {"year": year}).json()
    assert body[0]["months_missing"] == 9 + 10
    assert (
        api_as(people.supervisor_b).get("/api/v1/scoring/dual/cadence/", {"year": year}).json()
        == []
    )
    assert (
        api_as(people.supervisor_b).get(f"/api/v1/scoring/dual/{first.pk}/cadence/").status_code
        == 404
    )
    api = api_as(people.supervisor_a)
    withdrawn = api.post(
        f"/api/v1/scoring/dual/cadence/{created.json()['id']}/withdraw/",
        {"reason": "记错月份"},
        format="json",
    )
    assert withdrawn.status_code == 200, withdrawn.content
    one = api.get(f"/api/v1/scoring/dual/{first.pk}/cadence/").json()
    assert len(one["records"]) == 2 and one["months_missing"] == list(range(3, 13))


def test_the_cadence_list_takes_a_fixed_number_of_queries(
    people, tree, client_as, api_as, django_assert_num_queries
):
    year = date.today().year - 1
    made = []
    for total in (1, 6):
        while len(made) < total:
            person = person_create(username=f"q{len(made)}", name=f"党员{len(made)}")
            registration = services.dual_registration_create(
                actor=people.supervisor_a,
                person=person,
                home_unit=tree.department,
                community=tree.community_a,
                registered_on=date(year, 2, 1),
            )
            _record(people, registration, "report_in", date(year, 2, 2))
            made.append(registration)
        client = client_as(people.supervisor_a)
        # Session, user, scope, registrations, records, units to filter by, unread count.
        with django_assert_num_queries(7):
            page = client.get(reverse("scoring:dual-cadence"), {"year": year, "all": "1"})
        assert page.context["groups"][0].members == total
        api = api_as(people.supervisor_a)
        with django_assert_num_queries(5):
            body = api.get("/api/v1/scoring/dual/cadence/", {"year": year}).json()
        assert body[0]["members"] == total
