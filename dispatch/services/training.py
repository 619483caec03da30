"""Training a new version of the suggestion model from the county's own history.

``model_train`` is the one way a version is made (the schedule, ``manage.py dispatch_train``,
the page's button and the API call it); ``model_activate`` makes an earlier version active
again. The row of each version is its own history: when, by whom, from how many requests, and
how well it did on the most recent requests, held out by time.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict, NotFound, NotPermitted
from casework.models import Role
from casework.selectors.scope import scope_for
from dispatch.learning import (
    KIND_KEYWORDS,
    KIND_LEARNED,
    CategoryName,
    KeywordRanker,
    accuracy,
    fit_learned,
    pack,
    time_split,
)
from dispatch.models import DispatchModel
from dispatch.services.serving import active_changed
from requests_app.models import Request

logger = logging.getLogger("minqing.dispatch")

#: Below this many labelled requests the model falls back to keywords of the category names.
MIN_SAMPLES = 200
#: ... and below this many categories with at least ``MIN_PER_CATEGORY`` requests each.
MIN_CATEGORIES = 2
MIN_PER_CATEGORY = 5
#: The most recent share of the history, held out to measure a new version.
HELDOUT_SHARE = 0.2
#: Versions whose fitted bytes are kept (the newest ones, and always the active one).
KEEP_BLOBS = 5


def min_samples() -> int:
    return getattr(settings, "MINQING_DISPATCH_MIN_SAMPLES", MIN_SAMPLES)


@dataclass(frozen=True)
class History:
    """Labelled requests, oldest first."""

    texts: list[str]
    labels: list[int]
    times: list[datetime]

    def __len__(self) -> int:
        return len(self.texts)


def history_load(categories: dict[int, CategoryName]) -> History:
    """Every request filed under an active leaf category, oldest first (one query)."""
    rows = (
        Request.objects.filter(category_id__in=list(categories))
        .order_by("collected_at", "id")
        .values_list("description", "category_id", "collected_at")
    )
    texts, labels, times = [], [], []
    for text, label, at in rows.iterator(chunk_size=2000):
        texts.append(text)
        labels.append(label)
        times.append(at)
    return History(texts, labels, times)


def _leaf_categories() -> dict[int, CategoryName]:
    from casework.models import Category

    rows = Category.objects.filter(is_active=True, children__isnull=True).select_related("parent")
    return {c.pk: CategoryName(c.pk, c.name, c.parent.name if c.parent_id else "") for c in rows}


def too_little(history: History) -> str:
    """Why the history is too short to learn from: ``"samples"``, ``"categories"``, or ``""``
    when it is enough."""
    if len(history) < min_samples():
        return "samples"
    counts: dict[int, int] = {}
    for label in history.labels:
        counts[label] = counts.get(label, 0) + 1
    if sum(1 for n in counts.values() if n >= MIN_PER_CATEGORY) < MIN_CATEGORIES:
        return "categories"
    return ""


def _unseen(history: History, split: int) -> tuple[list[str], list[int]]:
    """The held-out requests whose text was not already in the older slice word for word:
    how the model does on wording it has not met."""
    seen = set(history.texts[:split])
    pairs = [
        (text, label)
        for text, label in zip(history.texts[split:], history.labels[split:], strict=True)
        if text not in seen
    ]
    return [t for t, _ in pairs], [label for _, label in pairs]


def _measure(history: History, split: int, fit) -> dict:
    """Fit on the older slice, score on the held-out one (all of it, and unseen texts)."""
    ranker = fit(history.texts[:split], history.labels[:split])
    heldout = accuracy(ranker, history.texts[split:], history.labels[split:])
    unseen = accuracy(ranker, *_unseen(history, split))
    return {
        "size": heldout.size,
        "top1": heldout.top1,
        "top3": heldout.top3,
        "unseen_size": unseen.size,
        "unseen_top1": unseen.top1,
        "unseen_top3": unseen.top3,
    }


def model_train(*, actor=None, now: datetime | None = None) -> DispatchModel:
    """Train a new version from the history and make it active; return it.

    ``actor`` is the admin who asked (``None`` for the schedule and the command line); an
    actor without an admin role is refused. With enough history (``MIN_SAMPLES`` requests,
    ``MIN_CATEGORIES`` categories with ``MIN_PER_CATEGORY`` each) the version is learned,
    otherwise it is the keywords fallback, with the reason in ``metrics``. Accuracy is measured on
    the most recent ``HELDOUT_SHARE`` of the requests by a model fitted on the older ones; the
    served model is then fitted on all of them. The new row is written and made the only
    active one in one transaction; the cache learns of it on commit.
    """
    if actor is not None and not scope_for(actor).has_role(Role.ADMIN):
        raise NotPermitted(_("Only administrators retrain the dispatch model."))
    now = now or timezone.now()
    started = time.perf_counter()
    categories = _leaf_categories()
    history = history_load(categories)
    reason = too_little(history)
    kind = KIND_KEYWORDS if reason else KIND_LEARNED
    names = list(categories.values())
    split = time_split(len(history), HELDOUT_SHARE)

    def fit(texts, labels):
        if kind == KIND_LEARNED:
            return fit_learned(texts, labels, names)
        return KeywordRanker(names)

    measured = _measure(history, split, fit) if len(history) >= 2 else {"size": 0}
    ranker = fit(history.texts, history.labels)
    blob, signed = pack(ranker)
    seconds = round(time.perf_counter() - started, 3)
    learned_classes = len(set(history.labels)) if kind == KIND_LEARNED else len(names)
    heldout_times = history.times[split:]
    metrics = {
        "reason": reason,
        "needed": min_samples(),
        "seconds": seconds,
        "bytes": len(blob),
        "unseen_size": measured.get("unseen_size", 0),
        "unseen_top1": measured.get("unseen_top1"),
        "unseen_top3": measured.get("unseen_top3"),
    }
    try:
        with transaction.atomic():
            DispatchModel.objects.select_for_update().filter(is_active=True).update(
                is_active=False
            )
            version = DispatchModel.objects.create(
                created_at=now,
                trained_by=actor,
                kind=kind,
                is_active=True,
                activated_at=now,
                samples=len(history),
                classes=learned_classes,
                heldout_size=measured.get("size", 0),
                heldout_from=heldout_times[0] if heldout_times else None,
                heldout_to=heldout_times[-1] if heldout_times else None,
                top1=measured.get("top1"),
                top3=measured.get("top3"),
                metrics=metrics,
                blob=blob,
                signature=signed,
            )
            _drop_old_blobs()
            transaction.on_commit(lambda: active_changed(version.pk, version.signature))
    except IntegrityError:
        # Another training made its version active at the same moment.
        raise Conflict(
            _("Another training finished at the same time; try again."), code="busy"
        ) from None
    logger.info(
        "Dispatch model v%s (%s): %d requests, top-1 %s, top-3 %s, %.1f s",
        version.pk,
        kind,
        len(history),
        version.top1,
        version.top3,
        seconds,
    )
    return version


def _drop_old_blobs() -> None:
    keep = list(
        DispatchModel.objects.exclude(blob=b"")
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)[:KEEP_BLOBS]
    )
    DispatchModel.objects.exclude(pk__in=keep).exclude(is_active=True).exclude(blob=b"").update(
        blob=b"", signature=""
    )


@transaction.atomic
def model_activate(*, actor, version_id: int, now: datetime | None = None) -> DispatchModel:
    """Make an earlier version the active one again (admins only); its bytes must be kept."""
    if not scope_for(actor).has_role(Role.ADMIN):
        raise NotPermitted(_("Only administrators choose the dispatch model."))
    try:
        version = DispatchModel.objects.select_for_update().get(pk=version_id)
    except (DispatchModel.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such model version."), field="version") from None
    if version.is_active:
        return version
    if not version.blob:
        raise Conflict(
            _("This version's fitted model is no longer kept; train a new one."), code="gone"
        )
    DispatchModel.objects.select_for_update().filter(is_active=True).update(is_active=False)
    version.is_active = True
    version.activated_at = now or timezone.now()
    version.save(update_fields=["is_active", "activated_at"])
    transaction.on_commit(lambda: active_changed(version.pk, version.signature))
    logger.info("Dispatch model v%s made active by %s", version.pk, actor.pk)
    return version
