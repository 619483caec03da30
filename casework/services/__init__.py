"""Every write that matters, one function each. Re-exported for callers outside the app."""

from casework.services.cases import case_open, case_request_merged
from casework.services.org import (
    category_create,
    membership_grant,
    membership_revoke,
    person_create,
    unit_create,
)

__all__ = [
    "case_open",
    "case_request_merged",
    "category_create",
    "membership_grant",
    "membership_revoke",
    "person_create",
    "unit_create",
]
