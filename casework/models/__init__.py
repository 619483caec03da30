"""Casework models, split by domain and re-exported here."""

from casework.models.categories import Category, DeadlineClass, DeadlineUnit
from casework.models.org import OrgUnit, UnitKind
from casework.models.people import Membership, Role, User

__all__ = [
    "Category",
    "DeadlineClass",
    "DeadlineUnit",
    "Membership",
    "OrgUnit",
    "Role",
    "UnitKind",
    "User",
]
