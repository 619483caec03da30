"""Intake models, split by domain and re-exported here."""

from requests_app.models.access import PersonalDataAccess, PersonalField
from requests_app.models.callbacks import Callback, CallbackOutcome, CallbackSample
from requests_app.models.idempotency import IdempotencyKey
from requests_app.models.requests import (
    Channel,
    Request,
    RequestEvent,
    RequestEventKind,
    RequestPhoto,
    RequestStatus,
)
from requests_app.models.residents import Resident
from requests_app.models.retention import RetentionRun
from requests_app.models.visits import Visit, VisitKind, VisitReminder

__all__ = [
    "Callback",
    "CallbackOutcome",
    "CallbackSample",
    "Channel",
    "IdempotencyKey",
    "PersonalDataAccess",
    "PersonalField",
    "Request",
    "RequestEvent",
    "RequestEventKind",
    "RequestPhoto",
    "RequestStatus",
    "Resident",
    "RetentionRun",
    "Visit",
    "VisitKind",
    "VisitReminder",
]
