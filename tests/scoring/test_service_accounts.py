"""An Open311 key's service account holds a volunteer's role; even when the policy ranks
volunteers, it is never ranked nor offered for a supervisor's evaluation."""

import pytest

from casework.models import Role
from open311.services import open311_key_create
from scoring.models import ScoreResult
from scoring.selectors.evidence import supervised_workers

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteers_ranked(policy):
    policy.ranked_roles = [
        Role.GRID_WORKER,
        Role.MINQING_SECRETARY,
        Role.SUPERVISOR,
        Role.VOLUNTEER,
    ]
    policy.save()
    return policy


def test_a_service_account_is_not_ranked_even_when_volunteers_are(
    volunteers_ranked, card, compute, quarters, people, tree
):
    account = open311_key_create(name="12345热线", unit=tree.community_a).key.account
    card(people.grid_a1, kind="special", n=2)
    quarter = compute(quarters.last)
    ranked = set(
        ScoreResult.objects.filter(quarter=quarter, subject="person").values_list(
            "person_id", flat=True
        )
    )
    assert people.volunteer_a1.pk in ranked
    assert account.pk not in ranked
    assert ranked == {
        people.grid_a1.pk,
        people.grid_b1.pk,
        people.volunteer_a1.pk,
        people.supervisor_a.pk,
        people.supervisor_b.pk,
    }


def test_a_service_account_is_not_offered_for_evaluation(volunteers_ranked, people, tree):
    account = open311_key_create(name="12345热线", unit=tree.community_a).key.account
    offered = set(supervised_workers(viewer=people.supervisor_a).values_list("pk", flat=True))
    assert people.volunteer_a1.pk in offered
    assert account.pk not in offered
