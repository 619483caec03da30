"""Casework models, split by domain and re-exported here."""

from casework.models.cases import (
    OPEN_STATES,
    TERMINAL_STATES,
    Case,
    CaseEvent,
    CaseState,
    CloseReason,
    EventKind,
    Satisfaction,
    Urgency,
)
from casework.models.categories import Category, DeadlineClass, DeadlineUnit
from casework.models.org import OrgUnit, UnitKind
from casework.models.people import Membership, Role, User

__all__ = [
    "OPEN_STATES",
    "TERMINAL_STATES",
    "Case",
    "CaseEvent",
    "CaseState",
    "Category",
    "CloseReason",
    "DeadlineClass",
    "DeadlineUnit",
    "EventKind",
    "Membership",
    "OrgUnit",
    "Role",
    "Satisfaction",
    "UnitKind",
    "Urgency",
    "User",
]
