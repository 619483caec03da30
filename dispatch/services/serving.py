"""Suggesting a category and a handling unit for a description: ``suggest`` for one text (the
API, the intake page, other apps' doors), ``suggest_many`` for a batch (the recorder).

The active version is loaded once per process and kept; which version is active is read from
the cache (set when a version is activated, re-read from the database at most once a minute),
so a suggestion costs no query for the model. The active categories are kept for a minute, or
until one is saved (``categories_changed``); the units that led an area's cases for five
minutes, or until a case is opened (``dispatch.services.units``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext as _

from casework.models import Category, OrgUnit
from casework.text import clean_text
from dispatch.learning import (
    KIND_KEYWORDS,
    CategoryName,
    KeywordRanker,
    TamperedModel,
    top,
    unpack,
)
from dispatch.models import DispatchModel
from dispatch.services.units import (
    UnitScore,
    area_of,
    rank_units,
    tallies_forget,
    unit_tallies,
)

logger = logging.getLogger("minqing.dispatch")

ACTIVE_KEY = "minqing:dispatch:active-model"
#: How long a process trusts the cached id of the active version (another process may have
#: activated a new one with a cache of its own, e.g. in-memory caches in development).
ACTIVE_TTL = 60
#: How long the list of active categories (and the keywords fallback built from it) is kept.
CATEGORIES_TTL = 60
DESCRIPTION_MAX = 2000
CATEGORIES_SUGGESTED = 3


@dataclass(frozen=True)
class ModelInfo:
    """Which model answered: its version (``None`` before any was trained) and its figures."""

    version: int | None
    kind: str
    top1: float | None = None
    top3: float | None = None


@dataclass(frozen=True)
class CategoryScore:
    category: int
    name: str
    group: str
    score: float


@dataclass(frozen=True)
class SuggestionResult:
    """The suggested categories and handling units, best first, and the model that answered."""

    categories: list[CategoryScore]
    units: list[UnitScore]
    model: ModelInfo

    @property
    def category_ids(self) -> list[int]:
        return [c.category for c in self.categories]


@dataclass
class _Memory:
    """What this process keeps between calls (guarded by ``lock``)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    #: active version token → (info, ranker), or ``None`` when it cannot be loaded; the last
    #: two versions met.
    rankers: dict[str, tuple[ModelInfo, object] | None] = field(default_factory=dict)
    categories: dict[int, CategoryName] = field(default_factory=dict)
    categories_until: float = 0.0
    fallback: KeywordRanker | None = None


_memory = _Memory()


def forget() -> None:
    """Drop what this process keeps (tests; after categories were renamed in bulk)."""
    global _memory
    _memory = _Memory()
    tallies_forget()


def _token(version_id: int, signature: str) -> str:
    # The signature tells two versions apart even where a database reuses a rolled-back id.
    return f"{version_id}:{signature[:16]}" if version_id else ""


def active_changed(version_id: int, signature: str) -> None:
    """Tell every process (through the cache) which version is now active."""
    cache.set(ACTIVE_KEY, _token(version_id, signature), ACTIVE_TTL)


def active_version() -> str:
    """The active version as ``"<id>:<signature prefix>"``, "" when none; from the cache,
    else one query."""
    token = cache.get(ACTIVE_KEY)
    if token is None:
        row = DispatchModel.objects.filter(is_active=True).values_list("pk", "signature").first()
        token = _token(*row) if row else ""
        cache.set(ACTIVE_KEY, token, ACTIVE_TTL)
    return token


def categories_changed(**_kwargs) -> None:
    """A category was saved or deleted: read the list again on the next suggestion."""
    _memory.categories_until = 0.0
    tallies_forget()


def category_names() -> dict[int, CategoryName]:
    """The active leaf categories with their group's name, by id (kept for a minute)."""
    memory = _memory
    if time.monotonic() < memory.categories_until:
        return memory.categories
    rows = (
        Category.objects.filter(is_active=True, children__isnull=True)
        .select_related("parent")
        .order_by("parent__sort_order", "parent_id", "sort_order", "code")
    )
    names = {c.pk: CategoryName(c.pk, c.name, c.parent.name if c.parent_id else "") for c in rows}
    with memory.lock:
        memory.categories = names
        memory.fallback = None
        memory.categories_until = time.monotonic() + CATEGORIES_TTL
    return names


def _fallback() -> tuple[ModelInfo, KeywordRanker]:
    names = category_names()
    memory = _memory
    ranker = memory.fallback
    if ranker is None:
        ranker = KeywordRanker(list(names.values()))
        memory.fallback = ranker
    return ModelInfo(version=None, kind=KIND_KEYWORDS), ranker


def active_ranker() -> tuple[ModelInfo, object]:
    """The active version's ranker, loaded once per process; the keywords fallback when no
    version is active or its bytes fail their signature (logged)."""
    token = active_version()
    if not token:
        return _fallback()
    memory = _memory
    if token in memory.rankers:
        # ``None``: this version cannot be loaded (logged once), the fallback answers.
        return memory.rankers[token] or _fallback()
    version = int(token.partition(":")[0])
    row = (
        DispatchModel.objects.filter(pk=version)
        .only("pk", "kind", "top1", "top3", "blob", "signature")
        .first()
    )
    kept = None
    if row is not None and row.blob:
        try:
            ranker = unpack(row.blob, row.signature)
            kept = (ModelInfo(row.pk, row.kind, row.top1, row.top3), ranker)
        except TamperedModel:
            logger.error("Dispatch model v%s fails its signature: not loaded.", row.pk)
    with memory.lock:
        for old in list(memory.rankers)[:-1]:
            memory.rankers.pop(old, None)
        memory.rankers[token] = kept
    return kept or _fallback()


def clean_description(description) -> str:
    return clean_text(
        description,
        field="description",
        limit=DESCRIPTION_MAX,
        required=True,
        label=_("Description"),
    )


def suggest_many(items: Sequence[tuple[str, OrgUnit | None]]) -> list[SuggestionResult]:
    """Suggestions for ``(description, place)`` pairs: one pass of the model for all, and one
    aggregate query over the cases for all their places. Descriptions are taken as given."""
    if not items:
        return []
    info, ranker = active_ranker()
    names = category_names()
    scores = ranker.scores([text for text, _place in items])
    ranked = top(scores, ranker.classes, k=len(ranker.classes))
    chosen: list[list[tuple[int, float]]] = []
    for row in ranked:
        kept = [(cid, score) for cid, score in row if cid in names and score > 0]
        chosen.append(kept[:CATEGORIES_SUGGESTED])
    areas = [area_of(place) if place is not None else None for _text, place in items]
    tallies = unit_tallies(a for a in areas if a)
    results = []
    for row, area in zip(chosen, areas, strict=True):
        categories = [
            CategoryScore(cid, names[cid].name, names[cid].group, round(score, 4))
            for cid, score in row
        ]
        units = rank_units(tallies[area], row) if area else []
        results.append(SuggestionResult(categories, units, info))
    return results


def suggest(description: str, place: OrgUnit | None) -> SuggestionResult:
    """The categories (at most three, with a 0..1 score) and the handling units (those that
    led similar cases in the place's community) suggested for ``description``, best first.

    For any door (the intake page, the residents' own page, Open311, the API): ``place`` is
    not checked against anyone's scope here, the caller does that. ``ValidationFailed`` on
    ``description`` when it is empty or longer than 2,000 characters.
    """
    return suggest_many([(clean_description(description), place)])[0]
