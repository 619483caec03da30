"""Who someone is to a case, and so which of ``casework.workflow``'s rules they may use.

A role counts against the case: a supervisor's or a collector's membership must cover the case's
place; the lead handler is the named handler or, while nobody is named, a handler over the
leading unit; a co-handler is a handler over one of the co-handling units.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework import workflow
from casework.errors import NotPermitted
from casework.models import Case, Role
from casework.selectors.scope import Scope, scope_for
from casework.workflow import COLLECTORS, RULES, SUPERVISORS, Party


def is_handler_of(scope: Scope, case: Case) -> bool:
    if case.handler_id:
        return case.handler_id == scope.user_id
    if case.owner_unit_id:
        return scope.has_role(Role.HANDLER, path=case.owner_unit.path)
    return False


def co_handling_units(scope: Scope, case: Case) -> list:
    """The co-handling units of ``case`` the viewer handles for (prefetched ``co_handlers``)."""
    return [
        unit for unit in case.co_handlers.all() if scope.has_role(Role.HANDLER, path=unit.path)
    ]


def parties(user, case: Case) -> frozenset[Party]:
    """Every party ``user`` is to ``case``; a superuser is all of them."""
    scope = scope_for(user)
    if scope.everything:
        return frozenset(Party)
    found = set()
    if scope.has_role(*SUPERVISORS, path=case.unit.path):
        found.add(Party.SUPERVISOR)
    if is_handler_of(scope, case):
        found.add(Party.HANDLER)
    if co_handling_units(scope, case):
        found.add(Party.CO_HANDLER)
    if scope.has_role(*COLLECTORS, path=case.unit.path) or (
        scope.user_id is not None and case.created_by_id == scope.user_id
    ):
        found.add(Party.COLLECTOR)
    return frozenset(found)


def may(user, case: Case, action: str) -> bool:
    """Whether ``user`` is a party the rule for ``action`` names (the state is checked apart)."""
    return bool(parties(user, case) & RULES[action].parties)


def authorise(case: Case, actor, action: str) -> workflow.Rule:
    """Check that the case's state allows ``action`` (else 409) and that ``actor`` is a party
    the rule names (else 403). Services call it under the row lock; the page and the API call it
    first too, so a refusal is a refusal whatever the body says."""
    rule = workflow.check(case, action)
    if not may(actor, case, action):
        raise NotPermitted(
            _("Your role does not allow this action on this case."),
            extra={"state": case.state, "version": case.version},
        )
    return rule
