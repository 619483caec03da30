"""Every intake write, one function each. Re-exported for the API, the pages and the demo."""

from requests_app.services.idempotency import idempotency_prune, idempotent_call
from requests_app.services.personal import request_id_number_reveal, resident_phone_reveal
from requests_app.services.photos import request_photo_add
from requests_app.services.requests import (
    Outcome,
    ResidentInput,
    request_answer_on_spot,
    request_collect,
    request_intake,
    request_merge,
    request_open_case,
    request_reject,
    tracking_code_normalise,
)
from requests_app.services.retention import residents_anonymise
from requests_app.services.visits import visit_create

__all__ = [
    "Outcome",
    "ResidentInput",
    "idempotency_prune",
    "idempotent_call",
    "request_answer_on_spot",
    "request_collect",
    "request_id_number_reveal",
    "request_intake",
    "request_merge",
    "request_open_case",
    "request_photo_add",
    "request_reject",
    "resident_phone_reveal",
    "residents_anonymise",
    "tracking_code_normalise",
    "visit_create",
]
