"""Who may take which action on a case. Services enforce these; pages and the API read them.

Roles are checked against the case: a supervisor's membership must cover the case's place, a
handler must be the named handler or, when a unit was assigned without a person, hold the handler
role over that unit.
"""

from __future__ import annotations

from casework.models import Case, Role
from casework.selectors.scope import Scope, scope_for
from casework.workflow import COLLECTORS, SUPERVISORS, TRANSITIONS

HANDLER_ACTIONS = frozenset({"accept", "return", "resolve"})


def is_handler_of(scope: Scope, case: Case) -> bool:
    if case.handler_id:
        return case.handler_id == scope.user_id
    if case.owner_unit_id:
        return scope.has_role(Role.HANDLER, path=case.owner_unit.path)
    return False


def may(user, case: Case, action: str) -> bool:
    """Whether ``user``'s roles allow ``action`` on ``case`` (the state is checked separately)."""
    scope = scope_for(user)
    if scope.everything:
        return True
    if action in HANDLER_ACTIONS:
        return is_handler_of(scope, case)
    if action == "feedback":
        return scope.has_role(*COLLECTORS, *SUPERVISORS, path=case.unit.path)
    if action == "chase":
        return scope.has_role(*SUPERVISORS, path=case.unit.path)
    return scope.has_role(*TRANSITIONS[action].roles, path=case.unit.path)


CHASEABLE_STATES = frozenset({"assigned", "in_progress"})


def available_actions(user, case: Case) -> list[str]:
    """The actions this user may take on this case now: allowed by state and by role."""
    actions = [
        action
        for action, transition in TRANSITIONS.items()
        if case.state in transition.sources and action != "settle" and may(user, case, action)
    ]
    if case.state in CHASEABLE_STATES and may(user, case, "chase"):
        actions.append("chase")
    return actions
