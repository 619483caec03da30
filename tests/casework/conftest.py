"""Casework fixtures beyond the shared tree: the service desks that backstop (兜底) cases."""

from types import SimpleNamespace

import pytest

from casework.models import Role, UnitKind
from casework.services import membership_grant, person_create, unit_create


@pytest.fixture
def desks(tree):
    """The town's and the county's service desks, each with one handler, built by the services.

    博白县 ── 博白县综治中心 (county desk)
    └── 博白镇 ── 博白镇网格化服务管理中心 (town desk)
    """
    town = unit_create(name="博白镇网格化服务管理中心", kind=UnitKind.DESK, parent=tree.town)
    county = unit_create(name="博白县综治中心", kind=UnitKind.DESK, parent=tree.county)
    town_handler = person_create(username="desk-town", name="镇中心值班员")
    membership_grant(user=town_handler, unit=town, role=Role.HANDLER)
    county_handler = person_create(username="desk-county", name="县中心值班员")
    membership_grant(user=county_handler, unit=county, role=Role.HANDLER)
    return SimpleNamespace(
        town=town, county=county, town_handler=town_handler, county_handler=county_handler
    )


@pytest.fixture
def snapshot():
    """Everything a refused action must leave as it was, read afresh from the database."""
    from casework.models import Case, CoHandling, Notification, Reminder

    def take(case):
        fresh = Case.objects.get(pk=case.pk)
        return {
            "state": fresh.state,
            "version": fresh.version,
            "handler": fresh.handler_id,
            "owner_unit": fresh.owner_unit_id,
            "deadlines": (fresh.sign_due_at, fresh.due_soon_at, fresh.due_at),
            "escalation_level": fresh.escalation_level,
            "next_alert_at": fresh.next_alert_at,
            "parked": (fresh.parked_from, fresh.park_plan, fresh.review_on),
            "return_count": fresh.return_count,
            "events": fresh.events.count(),
            "extensions": list(
                fresh.extensions.order_by("pk").values_list("pk", "state", "due_at")
            ),
            "co_handling": list(
                CoHandling.objects.filter(case=fresh)
                .order_by("unit_id")
                .values_list("unit_id", "due_at", "done_at")
            ),
            "notifications": Notification.objects.filter(case=fresh).count(),
            "reminders": Reminder.objects.filter(case=fresh).count(),
        }

    return take
