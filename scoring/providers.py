"""Points sources kept by other apps, discovered by module name (as Django's admin finds
``admin.py``), so that scoring and those apps never import each other.

An installed app may provide a module ``<app>.scoring_sources`` with:

``SOURCES``
    ``{source kind: function(start, end) -> QuerySet}``. The kind is a value of
    ``scoring.models.SourceKind`` (e.g. ``"answered_on_spot"``). The function returns the app's
    records of the window ``[start, end)`` (aware datetimes), one row per record, annotated with
    ``score_person`` (a user id, or NULL) and ``score_unit`` (an org unit id, or NULL), and
    optionally ``score_quantity`` (default 1). Scoring aggregates that queryset itself, in SQL:
    one query per kind, however many workers there are.

``describe(kind, ids) -> {id: (label, url or None)}`` (optional)
    Labels and links of records, for the "why these points" page: one query for all the ids.

Example, for ``requests_app/scoring_sources.py``::

    from django.db.models import F
    from requests_app.models import Request

    def answered_on_spot(start, end):
        return Request.objects.filter(
            state="answered_on_spot", answered_at__gte=start, answered_at__lt=end
        ).annotate(score_person=F("answered_by_id"), score_unit=F("unit_id"))

    SOURCES = {"answered_on_spot": answered_on_spot}

A kind that has a provider is not also read from the evidence intake
(``score_evidence_record``), so an app uses one way or the other, never both.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

from scoring.models import SourceKind

log = logging.getLogger(__name__)

MODULE = "scoring_sources"


@dataclass(frozen=True)
class Provider:
    app: str
    kind: str
    records: Callable
    describe: Callable | None = None


@cache
def providers() -> dict[str, Provider]:
    """The providers of every installed app, by source kind (found once per process)."""
    found: dict[str, Provider] = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.{MODULE}"
        if config.name == "scoring" or find_spec(name) is None:
            continue
        module = import_module(name)
        for kind, records in getattr(module, "SOURCES", {}).items():
            if kind not in SourceKind.values or kind == SourceKind.MANUAL:
                log.warning("scoring: %s offers unknown source kind %r; ignored", name, kind)
                continue
            if kind in found:
                log.warning("scoring: %s and %s both offer %r", found[kind].app, name, kind)
                continue
            found[kind] = Provider(config.label, kind, records, getattr(module, "describe", None))
    return found
