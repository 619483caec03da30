"""What other apps contribute to dashboards and reports, gathered without importing them.

Three kinds of contribution, each a function ``provider(*, unit, start, end)`` registered in the
contributing app's ``AppConfig.ready()``:

- ``figures``: the article's counts, a flat ``dict`` ("收集84条，现场解答72条，协助办理12条",
  volunteer activities and people served, party members registered under 双报到, …);
- ``volumes``: breakdowns, ``{"by_channel": {...}, ...}`` merged into the dashboard's volumes;
- ``hotspots``: ``{"name": [rows]}`` lists of the places and kinds of problem that recur.

casework itself contributes the consultation figures (四方协商: meetings held, problems solved).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from casework.models import OrgUnit

Provider = Callable[..., dict]
KINDS = ("figures", "volumes", "hotspots")
_providers: dict[str, list[Provider]] = {kind: [] for kind in KINDS}


def register(kind: str, provider: Provider) -> None:
    if provider not in _providers[kind]:
        _providers[kind].append(provider)


def register_figures(provider: Provider) -> None:
    register("figures", provider)


def collect(kind: str, *, unit: OrgUnit, start: datetime, end: datetime) -> dict:
    """Merge what every provider of ``kind`` says about ``unit``'s subtree over [start, end)."""
    result: dict = {}
    for provider in _providers[kind]:
        result.update(provider(unit=unit, start=start, end=end))
    return result


def figures(*, unit: OrgUnit, start: datetime, end: datetime) -> dict[str, int]:
    return collect("figures", unit=unit, start=start, end=end)


def _meetings(*, unit: OrgUnit, start: datetime, end: datetime) -> dict[str, int]:
    """Meetings of every type, their topics and the problems solved, as the report counts
    them ("召开会议 N 次，解决问题 M 个，其中通过四方协商解决 K 个")."""
    from casework.selectors.consultations import unit_meeting_figures

    counts = unit_meeting_figures(unit=unit, start=start, end=end)
    return {
        "meetings_held": counts["meetings"],
        "meeting_topics": counts["topics"],
        "meeting_problems_solved": counts["solved"],
        "problems_solved_four_party": counts["solved_four_party"],
    }


register_figures(_meetings)
