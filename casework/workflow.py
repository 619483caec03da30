"""The one table of what may be done to a case: from which states, to which state, by whom.

Services call :func:`check` before they write; ``casework.policies`` answers whether a person is
one of the parties a rule names; ``casework.actions`` (the registry the pages and the API read)
takes its states and parties from here. Nothing else decides whether an action is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from casework.errors import Conflict
from casework.models import CaseState, Role

S = CaseState


class Party(StrEnum):
    """Who someone is to a case. One person may be several at once."""

    #: A supervisor or administrator over the case's place.
    SUPERVISOR = "supervisor"
    #: The lead handler (首接负责): the named handler or, while nobody is named, a handler of the
    #: leading unit (a desk's handlers sign for what is sent up to it).
    HANDLER = "handler"
    #: A handler of a co-handling unit (协办单位).
    CO_HANDLER = "co_handler"
    #: A grid worker, 民情书记 or volunteer over the case's place, or whoever opened the case.
    COLLECTOR = "collector"


#: The state does not change (notes, photos, chasing, extensions, co-handlers' reports).
KEEP = "="
#: The service decides the target from the input or the case (feedback, unpark).
DECIDED = None

SUPERVISORS = (Role.SUPERVISOR, Role.ADMIN)
COLLECTORS = (Role.GRID_WORKER, Role.MINQING_SECRETARY, Role.VOLUNTEER)

WORKING = frozenset({S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED})
ALL_STATES = frozenset(S.values)
EVERY_PARTY = frozenset(Party)


@dataclass(frozen=True)
class Rule:
    action: str
    sources: frozenset[str]
    #: Where the case goes: a state, ``KEEP``, or ``DECIDED`` by the service.
    target: str | None
    parties: frozenset[Party]


def _r(action, sources, target, parties) -> Rule:
    return Rule(action, frozenset(sources), target, frozenset(parties))


P = Party
RULES: dict[str, Rule] = {
    r.action: r
    for r in [
        _r("assign", {S.NEW, S.REOPENED}, S.ASSIGNED, {P.SUPERVISOR}),
        _r("accept", {S.ASSIGNED}, S.IN_PROGRESS, {P.HANDLER}),
        _r("return", {S.ASSIGNED, S.IN_PROGRESS}, S.NEW, {P.HANDLER}),
        _r("resolve", {S.IN_PROGRESS}, S.RESOLVED, {P.HANDLER}),
        # Satisfied → closed (or stays resolved for the supervisor's check); unsatisfied or
        # unsolved → reopened. The service picks the target from the resident's answer.
        _r("feedback", {S.RESOLVED}, DECIDED, {P.COLLECTOR, P.SUPERVISOR}),
        # A supervisor's check failed (核查不通过): the work is redone.
        _r("reopen", {S.RESOLVED}, S.REOPENED, {P.SUPERVISOR}),
        # Close after verification (核查结案) or with the resident unreachable after N days.
        _r("close", {S.RESOLVED}, S.CLOSED, {P.SUPERVISOR}),
        _r("cancel", WORKING, S.CANCELLED, {P.SUPERVISOR}),
        # Transfer (转办) to another unit, or send up to the desk of a level above (兜底).
        _r("transfer", WORKING, S.ASSIGNED, {P.SUPERVISOR}),
        _r("send_up", WORKING, S.ASSIGNED, {P.SUPERVISOR}),
        # A four-party consultation (四方协商) settles the case: resolved, feedback follows.
        _r("settle", WORKING, S.RESOLVED, {P.SUPERVISOR}),
        # Parking (挂账): off the overdue lists until its review date; back where it was.
        _r("park", WORKING, S.PARKED, {P.SUPERVISOR}),
        _r("unpark", {S.PARKED}, DECIDED, {P.SUPERVISOR}),
        # Extension (延期): the handler applies, a supervisor decides; the state stays.
        _r("extension", {S.IN_PROGRESS}, KEEP, {P.HANDLER}),
        _r("extension_decide", {S.IN_PROGRESS}, KEEP, {P.SUPERVISOR}),
        # A co-handling unit reports its part (协办意见 / 协办完成).
        _r("co_report", {S.ASSIGNED, S.IN_PROGRESS}, KEEP, {P.CO_HANDLER}),
        # Chase the handler (催办).
        _r("chase", {S.ASSIGNED, S.IN_PROGRESS}, KEEP, {P.SUPERVISOR}),
        # Notes and photos are history, not transitions: any party, in any state.
        _r("note", ALL_STATES, KEEP, EVERY_PARTY),
        _r("photo", ALL_STATES, KEEP, EVERY_PARTY),
    ]
}


def check(case, action: str) -> Rule:
    """Return the rule for ``action`` if the case's state allows it, or raise ``Conflict``."""
    rule = RULES[action]
    if case.state not in rule.sources:
        raise Conflict(
            _("This action is not allowed while the case is %(state)s.")
            % {"state": CaseState(case.state).label},
            code="invalid_state",
            extra={"state": case.state, "version": case.version},
        )
    return rule


def actions_from(state: str) -> list[str]:
    """The actions the table allows from ``state`` (before anyone's parties are checked)."""
    return [action for action, rule in RULES.items() if state in rule.sources]
