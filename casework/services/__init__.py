"""Every write that matters, one function each. Re-exported for callers outside the app."""

from casework.services.org import (
    category_create,
    membership_grant,
    membership_revoke,
    person_create,
    unit_create,
)

__all__ = [
    "category_create",
    "membership_grant",
    "membership_revoke",
    "person_create",
    "unit_create",
]
