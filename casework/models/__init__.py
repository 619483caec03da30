"""Casework models, split by domain and re-exported here."""

from casework.models.calendar import CalendarDay, CalendarSource, CalendarYear
from casework.models.cases import (
    OPEN_STATES,
    TERMINAL_STATES,
    Case,
    CaseEvent,
    CasePhoto,
    CaseState,
    CloseReason,
    CoHandling,
    EventKind,
    Extension,
    ExtensionState,
    PhotoStage,
    Satisfaction,
    Urgency,
)
from casework.models.categories import Category, DeadlineClass, DeadlineUnit
from casework.models.consultations import (
    FOUR_PARTIES,
    AgendaItem,
    Meeting,
    MeetingParticipant,
    MeetingType,
    ParticipantRole,
)
from casework.models.exports import ExportRecord
from casework.models.notifications import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    Reminder,
    SweepRun,
)
from casework.models.org import OrgUnit, UnitKind
from casework.models.people import Membership, Role, User
from casework.models.tallies import TALLY_FIELDS, RateTally
from casework.models.tokens import ApiToken

__all__ = [
    "FOUR_PARTIES",
    "OPEN_STATES",
    "TALLY_FIELDS",
    "TERMINAL_STATES",
    "AgendaItem",
    "ApiToken",
    "CalendarDay",
    "CalendarSource",
    "CalendarYear",
    "Case",
    "CaseEvent",
    "CasePhoto",
    "CaseState",
    "Category",
    "Channel",
    "CloseReason",
    "CoHandling",
    "DeadlineClass",
    "DeadlineUnit",
    "Delivery",
    "DeliveryStatus",
    "EventKind",
    "ExportRecord",
    "Extension",
    "ExtensionState",
    "Meeting",
    "MeetingParticipant",
    "MeetingType",
    "Membership",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "OrgUnit",
    "ParticipantRole",
    "PhotoStage",
    "RateTally",
    "Reminder",
    "Role",
    "Satisfaction",
    "SweepRun",
    "UnitKind",
    "Urgency",
    "User",
]
