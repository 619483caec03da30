"""The article's figures for a unit and a period, gathered from every app without imports.

"收集84条，现场解答72条，协助办理12条" (requests), "协商解决问题86件" (consultations), volunteer
activities and people served, party members registered under 双报到: each app that holds such
data registers a provider in its ``AppConfig.ready()``::

    casework.figures.register_figures(provider)   # provider(*, unit, start, end) -> dict

The keys are the app's own (``requests_collected``, ``volunteer_activities``, …); a dashboard or
report reads :func:`figures`. casework adds its own consultation counts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from casework.models import OrgUnit

Provider = Callable[..., dict[str, int]]
_providers: list[Provider] = []


def register_figures(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def _consultations(*, unit: OrgUnit, start: datetime, end: datetime) -> dict[str, int]:
    from casework.selectors.consultations import consultation_figures

    counts = consultation_figures(unit=unit, start=start, end=end)
    return {
        "consultations_held": counts["meetings"],
        "consultation_problems_solved": counts["solved"],
    }


register_figures(_consultations)


def figures(*, unit: OrgUnit, start: datetime, end: datetime) -> dict[str, int]:
    """Every registered figure for ``unit``'s subtree over [start, end)."""
    result: dict[str, int] = {}
    for provider in _providers:
        result.update(provider(unit=unit, start=start, end=end))
    return result
