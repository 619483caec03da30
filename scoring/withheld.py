"""Records another app keeps back from a quarter's points (pending a check, or voided), for
the "why these points" page, found as ``scoring.providers`` finds sources.

A ``<app>.scoring_sources`` module may offer ``withheld(*, person_id, start, end)`` returning a
list of ``{source, state ("pending" | "voided"), label, count, months, items: [(label, url)],
url}``: what of the person's work in ``[start, end)`` does not (yet) score and why. requests_app
reports on-the-spot answers waiting for their call-back sample and those a failed call-back
voided.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

from scoring.providers import MODULE


@cache
def _reporters() -> tuple:
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.{MODULE}"
        if config.name == "scoring" or find_spec(name) is None:
            continue
        reporter = getattr(import_module(name), "withheld", None)
        if reporter is not None:
            found.append(reporter)
    return tuple(found)


def withheld_for(*, person_id: int, start, end) -> list[dict]:
    """Everything the installed apps keep back from the person's points in ``[start, end)``."""
    rows: list[dict] = []
    for reporter in _reporters():
        rows.extend(reporter(person_id=person_id, start=start, end=end))
    return rows
