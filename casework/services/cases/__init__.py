"""The case workflow, one function per action, split by concern and re-exported here.

Every service follows ``_core``'s skeleton: lock → authorise (``casework.workflow`` and
``casework.policies``) → move → one event (``casework.events``) → tell.
"""

from casework.services.cases._core import escalation_period
from casework.services.cases.closing import (
    case_cancel,
    case_close,
    case_reopen,
    case_settle,
    feedback_record,
    feedback_wait,
)
from casework.services.cases.dispatch import (
    case_accept,
    case_assign,
    case_return,
    case_send_up,
    case_transfer,
)
from casework.services.cases.handling import (
    case_resolve,
    co_handling_report,
    extension_apply,
    extension_decide,
    extensions_used,
    max_extensions,
    open_parts,
    pending_extension,
)
from casework.services.cases.notes import case_chase, case_note, case_photo_add
from casework.services.cases.opening import (
    CASE_PLACE_KINDS,
    case_open,
    case_request_merged,
)
from casework.services.cases.parking import case_park, case_unpark
from casework.services.cases.resident import (
    ResidentAnswer,
    rating_open,
    resident_feedback_record,
    result_visit,
)

__all__ = [
    "CASE_PLACE_KINDS",
    "ResidentAnswer",
    "case_accept",
    "case_assign",
    "case_cancel",
    "case_chase",
    "case_close",
    "case_note",
    "case_open",
    "case_park",
    "case_photo_add",
    "case_reopen",
    "case_request_merged",
    "case_resolve",
    "case_return",
    "case_send_up",
    "case_settle",
    "case_transfer",
    "case_unpark",
    "co_handling_report",
    "escalation_period",
    "extension_apply",
    "extension_decide",
    "extensions_used",
    "feedback_record",
    "feedback_wait",
    "max_extensions",
    "open_parts",
    "pending_extension",
    "rating_open",
    "resident_feedback_record",
    "result_visit",
]
