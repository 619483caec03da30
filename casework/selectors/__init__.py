"""Reads shared by pages, API, reports and tasks, scoped to what the viewer may see."""

from casework.selectors.categories import category_list
from casework.selectors.org import person_list, unit_get, unit_list
from casework.selectors.scope import Scope, scope_for

__all__ = ["Scope", "category_list", "person_list", "scope_for", "unit_get", "unit_list"]
