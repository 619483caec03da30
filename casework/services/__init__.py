"""Every write that matters, one function each. Re-exported for callers outside the app."""

from casework.services.cases import (
    case_accept,
    case_assign,
    case_cancel,
    case_chase,
    case_close,
    case_note,
    case_open,
    case_reopen,
    case_request_merged,
    case_resolve,
    case_return,
    case_settle,
    feedback_record,
)
from casework.services.consultations import meeting_add_case, meeting_create, meeting_decide
from casework.services.org import (
    category_create,
    membership_grant,
    membership_revoke,
    person_create,
    unit_create,
)

__all__ = [
    "case_accept",
    "case_assign",
    "case_cancel",
    "case_chase",
    "case_close",
    "case_note",
    "case_open",
    "case_reopen",
    "case_request_merged",
    "case_resolve",
    "case_return",
    "case_settle",
    "category_create",
    "feedback_record",
    "meeting_add_case",
    "meeting_create",
    "meeting_decide",
    "membership_grant",
    "membership_revoke",
    "person_create",
    "unit_create",
]
