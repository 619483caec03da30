"""Which category a resident's request gets: theirs, the model's suggestion, or the default.

The resident may pick a category or leave it to us. Suggestions come from the dispatch model
(``dispatch.services.suggest``, learned from the county's history, or its keyword ranker over
the categories' names before a model is trained); only categories a resident
may file online are offered or used: active leaves that need no ID number (the door never
collects one: collect the minimum). With no category picked, the request takes the model's best
such suggestion; with no model (not trained, not installed, failing) the default category
``MINQING_DOOR_FALLBACK_CATEGORY`` (a code, default ``consult-policy``, 政策咨询), or when that is
not usable the first pickable category in the taxonomy's order. The grid worker who takes the
request up sees which it was (``DoorReport.category_source``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from casework.errors import ValidationFailed
from casework.models import Category, OrgUnit
from casework.selectors.categories import category_list
from selfservice.models import CategorySource

log = logging.getLogger("minqing.selfservice")

SUGGESTION_LIMIT = 3


def pickable_categories() -> list[Category]:
    """Active leaf categories that need no ID number, in the taxonomy's order. One query."""
    return [c for c in category_list(leaves_only=True) if not c.requires_id_number]


def suggest_categories(
    description: str, place: OrgUnit | None, *, pickable: list[Category] | None = None
) -> list[tuple[Category, float]]:
    """The model's suggestions among the pickable categories, best first (at most three); empty
    when there is no model or it fails (the door never fails because of it)."""
    if not (description or "").strip():
        return []
    try:
        from dispatch.services import suggest
    except ImportError:
        return []
    try:
        result = suggest(description=description, place=place)
        ranked = list(getattr(result, "categories", None) or [])
    except Exception:  # a broken or untrained model: the resident can still file
        log.warning("category suggestion failed", exc_info=True)
        return []
    allowed = {c.pk: c for c in (pickable if pickable is not None else pickable_categories())}
    found: list[tuple[Category, float]] = []
    for item in ranked:
        # dispatch answers ``CategoryScore(category=<id>, score=…)`` rows.
        category, score = item if isinstance(item, tuple) else (item.category, item.score)
        ours = allowed.get(getattr(category, "pk", category))
        if ours is not None and ours not in [c for c, _s in found]:
            found.append((ours, float(score)))
        if len(found) == SUGGESTION_LIMIT:
            break
    return found


def fallback_category(pickable: list[Category]) -> Category:
    code = getattr(settings, "MINQING_DOOR_FALLBACK_CATEGORY", "consult-policy")
    for category in pickable:
        if category.code == code:
            return category
    if not pickable:
        raise ValidationFailed(
            _("Reporting online is not set up yet: no category is in use."),
            field="category",
            code="no_category",
        )
    return pickable[0]


@dataclass(frozen=True)
class CategoryChoice:
    category: Category
    source: str


def category_choose(*, category_id, description: str, place: OrgUnit | None) -> CategoryChoice:
    """The resident's category if they picked one (a pickable one, else 400 naming
    ``category``), otherwise the best suggestion, otherwise the default."""
    pickable = pickable_categories()
    if category_id not in (None, ""):
        by_id = {str(c.pk): c for c in pickable}
        chosen = by_id.get(str(category_id))
        if chosen is None:
            raise ValidationFailed(
                _("Choose a category from the list, or leave it empty."),
                field="category",
                code="invalid_choice",
            )
        return CategoryChoice(chosen, CategorySource.CHOSEN)
    suggested = suggest_categories(description, place, pickable=pickable)
    if suggested:
        return CategoryChoice(suggested[0][0], CategorySource.SUGGESTED)
    return CategoryChoice(fallback_category(pickable), CategorySource.FALLBACK)
