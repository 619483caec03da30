"""The rules in force: the scoring policy and the indicator terms a computation uses."""

from __future__ import annotations

from casework.models import Role
from scoring.models import Indicator, ScoringPolicy


def policy_get() -> ScoringPolicy:
    """The one policy row (made with the defaults if a database somehow lacks it)."""
    policy, _created = ScoringPolicy.objects.get_or_create(
        pk=1,
        defaults={"ranked_roles": [Role.GRID_WORKER, Role.MINQING_SECRETARY, Role.SUPERVISOR]},
    )
    return policy


def terms_snapshot() -> dict[str, dict]:
    """The current weights, caps and floors of every indicator, as JSON."""
    return {
        str(pk): {
            "code": code,
            "weight": str(weight),
            "cap": None if cap is None else str(cap),
            "floor": None if floor is None else str(floor),
        }
        for pk, code, weight, cap, floor in Indicator.objects.values_list(
            "pk", "code", "weight", "cap", "floor"
        )
    }
