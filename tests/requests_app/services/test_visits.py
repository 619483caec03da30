"""Visits: who may record one, which requests join it, and its counts as the article gives them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.errors import NotPermitted, ValidationFailed
from casework.models import Role
from casework.services import membership_grant, person_create
from requests_app.models import Visit
from requests_app.selectors import visit_counts, visit_get
from requests_app.services import (
    request_answer_on_spot,
    request_merge,
    request_open_case,
    request_reject,
    visit_create,
)


@pytest.fixture
def secretary(tree):
    user = person_create(username="secretary", name="民情书记")
    membership_grant(user=user, unit=tree.community_a, role=Role.MINQING_SECRETARY)
    return user


def test_a_secretary_records_a_visit_to_a_compound(secretary, tree):
    at = timezone.now() - timedelta(hours=2)
    visit = visit_create(
        actor=secretary, unit=tree.compound_a1, visited_at=at, kind="feedback_day"
    )
    assert (visit.visitor, visit.created_by, visit.visited_at) == (secretary, secretary, at)


def test_a_visit_outside_the_scope_is_refused(secretary, tree):
    with pytest.raises(ValidationFailed) as caught:
        visit_create(actor=secretary, unit=tree.compound_b1)
    assert caught.value.field == "unit"
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "picnic"}, "kind"),
        ({"unit": "building_a1"}, "unit"),
        ({"unit": "town"}, "unit"),
        ({"visited_at": timezone.now() + timedelta(days=2)}, "visited_at"),
        ({"note": "记" * 2001}, "note"),
    ],
)
def test_bad_visits_name_the_field(people, tree, overrides, field):
    fields = {"actor": people.admin, "unit": tree.grid_a1}
    fields.update(overrides)
    if isinstance(fields["unit"], str):
        fields["unit"] = getattr(tree, fields["unit"])
    with pytest.raises(ValidationFailed) as caught:
        visit_create(**fields)
    assert caught.value.field == field


def test_a_supervisor_records_a_visit_for_a_collector_but_a_worker_cannot(people, tree, secretary):
    visit = visit_create(actor=people.supervisor_a, unit=tree.grid_a1, visitor=secretary)
    assert visit.visitor == secretary and visit.created_by == people.supervisor_a
    with pytest.raises(NotPermitted):
        visit_create(actor=people.grid_a1, unit=tree.grid_a1, visitor=people.volunteer_a1)
    with pytest.raises(ValidationFailed) as caught:
        visit_create(actor=people.supervisor_a, unit=tree.grid_a1, visitor=people.handler_company)
    assert caught.value.field == "visitor"


def test_requests_join_a_visit_only_on_site_and_within_its_place(secretary, collect, tree, people):
    visit = visit_create(actor=secretary, unit=tree.compound_a1)
    assert collect(actor=secretary, visit=visit).visit == visit
    with pytest.raises(ValidationFailed) as caught:
        collect(actor=secretary, visit=visit, channel="hotline")
    assert caught.value.field == "visit"
    with pytest.raises(ValidationFailed) as caught:
        collect(actor=secretary, visit=visit, unit=tree.grid_a2)
    assert caught.value.field == "visit"
    # Someone else's visit takes requests from its visitor or a supervisor only.
    with pytest.raises(ValidationFailed):
        collect(actor=people.grid_a1, visit=visit)
    assert collect(actor=people.supervisor_a, visit=visit).visit == visit
    # A visit out of scope is unknown.
    other = visit_create(actor=people.grid_b1, unit=tree.grid_b1)
    with pytest.raises(ValidationFailed) as caught:
        collect(actor=people.grid_a1, visit=other)
    assert (caught.value.field, caught.value.code) == ("visit", "does_not_exist")


def test_a_visit_counts_what_it_collected_and_what_became_of_it(secretary, collect, tree):
    visit = visit_create(actor=secretary, unit=tree.grid_a1)
    made = [collect(actor=secretary, visit=visit) for _ in range(9)]
    for request in made[:5]:
        request_answer_on_spot(request=request, actor=secretary, answer="现场解答")
    request_open_case(request=made[5], actor=secretary)
    request_open_case(request=made[6], actor=secretary)
    request_merge(request=made[7], actor=secretary, into=made[5])
    request_reject(request=made[8], actor=secretary, reason="无效")
    collect(actor=secretary)  # not on the visit
    counts = visit_counts(visit_get(viewer=secretary, pk=visit.pk))
    assert counts == {
        "collected": 9,
        "answered_on_spot": 5,
        "case_opened": 2,
        "merged": 1,
        "rejected": 1,
        "pending": 0,
    }
