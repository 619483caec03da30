"""The one table of allowed case transitions, and the helper that applies it.

Services call :func:`check` before they write; nothing else decides whether an action is allowed
in a state. The table is also what the pages and the API read to offer only the actions a person
may take.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from casework.errors import Conflict
from casework.models import CaseState, Role

S = CaseState


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    #: Where the case goes; ``None`` where the service decides from the input (feedback).
    target: str | None
    #: Roles that may take it (each checked against the case by the service).
    roles: frozenset[str]


def _t(action, sources, target, roles) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles))


SUPERVISORS = (Role.SUPERVISOR, Role.ADMIN)
COLLECTORS = (Role.GRID_WORKER, Role.MINQING_SECRETARY, Role.VOLUNTEER)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t("assign", {S.NEW, S.REOPENED}, S.ASSIGNED, SUPERVISORS),
        _t("accept", {S.ASSIGNED}, S.IN_PROGRESS, {Role.HANDLER}),
        _t("return", {S.ASSIGNED, S.IN_PROGRESS}, S.NEW, {Role.HANDLER}),
        _t("resolve", {S.IN_PROGRESS}, S.RESOLVED, {Role.HANDLER}),
        # Satisfied → closed (or stays resolved for the supervisor's check); unsatisfied or
        # unsolved → reopened. The service picks the target from the resident's answer.
        _t("feedback", {S.RESOLVED}, None, {*COLLECTORS, *SUPERVISORS}),
        # A supervisor's check failed (核查不通过): the work is redone.
        _t("reopen", {S.RESOLVED}, S.REOPENED, SUPERVISORS),
        # Close after verification (核查结案) or with the resident unreachable after N days.
        _t("close", {S.RESOLVED}, S.CLOSED, SUPERVISORS),
        _t("cancel", {S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}, S.CANCELLED, SUPERVISORS),
        # A four-party consultation (四方协商) settles the case: resolved, feedback follows.
        _t("settle", {S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED}, S.RESOLVED, SUPERVISORS),
    ]
}


def check(case, action: str) -> Transition:
    """Return the transition for ``action`` from the case's state, or raise ``Conflict``."""
    transition = TRANSITIONS[action]
    if case.state not in transition.sources:
        raise Conflict(
            _("This action is not allowed while the case is %(state)s.")
            % {"state": CaseState(case.state).label},
            code="invalid_state",
            extra={"state": case.state, "version": case.version},
        )
    return transition


def actions_from(state: str) -> list[str]:
    """The actions the table allows from ``state`` (before any role check)."""
    return [action for action, t in TRANSITIONS.items() if state in t.sources]
