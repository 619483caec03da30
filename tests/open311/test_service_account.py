"""An Open311 key's account is an integration, not a person: flagged ``is_service_account``,
never listed in the per-worker rates nor ranked nor offered for evaluation, and a demo key's
account is a demo account, refused whenever demo sign-ins are (DEBUG off)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework.errors import NotPermitted
from casework.models import Role
from casework.selectors.worker_rates import worker_rates
from casework.services import notifications
from open311.services import open311_key_check, open311_key_create

pytestmark = pytest.mark.django_db


def test_a_keys_account_is_a_service_account_and_no_demo(world):
    account = world.key.account
    assert account.is_service_account is True
    assert account.is_demo is False
    assert not account.has_usable_password()
    assert account.memberships.get().role == Role.VOLUNTEER


def test_a_demo_key_is_a_demo_account_refused_with_debug_off(tree, settings):
    issued = open311_key_create(
        name="演示键", unit=tree.community_a, fallback_place=tree.grid_a1, is_demo=True
    )
    assert issued.key.account.is_demo and issued.key.account.is_service_account
    settings.DEBUG = True
    assert open311_key_check(issued.raw).pk == issued.key.pk
    settings.DEBUG = False
    with pytest.raises(NotPermitted) as refused:
        open311_key_check(issued.raw)
    assert refused.value.field == "api_key"


def test_a_demo_key_posting_with_debug_off_is_403(tree, post311, settings, category):
    issued = open311_key_create(
        name="演示键", unit=tree.community_a, fallback_place=tree.grid_a1, is_demo=True
    )
    settings.DEBUG = False
    answer = post311(
        api_key=issued.raw,
        service_code=category.code,
        address_id=tree.grid_a1.pk,
        description="路灯坏了",
    )
    assert answer.status_code == 403
    assert answer.json()[0]["code"] == 403


def test_the_service_account_is_never_in_the_worker_rates(world, people, tree):
    now = timezone.now()
    names = {
        r.person_id
        for r in worker_rates(
            viewer=people.supervisor_a,
            unit=tree.community_a,
            start=now - timedelta(days=1),
            end=now + timedelta(days=1),
        )
    }
    # The volunteer of the same grid is listed (with no cases yet), the key's account is not.
    assert people.volunteer_a1.pk in names and people.grid_a1.pk in names
    assert world.key.account.pk not in names


def test_the_service_account_is_no_recipient_even_with_a_workers_role(world, people, open_case):
    """Defensive: were the account given a grid worker's role, reminders still skip it."""
    from casework.services import membership_grant

    membership_grant(user=world.key.account, unit=world.tree.grid_a1, role=Role.GRID_WORKER)
    case = open_case(title="回访提醒")
    recipients = notifications.Recipients([case])
    assert people.grid_a1.pk in recipients.collectors(case)
    assert world.key.account.pk not in recipients.collectors(case)
