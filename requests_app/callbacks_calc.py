"""The arithmetic of call-back sampling (抽查回访), without the ORM: how many to draw, which,
and who stands out from their peers."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from statistics import median


def sample_size(population: int, *, rate: int, minimum: int) -> int:
    """``rate`` percent of ``population`` rounded up, at least ``minimum``, at most all.

    >>> sample_size(45, rate=10, minimum=3), sample_size(12, rate=10, minimum=3)
    (5, 3)
    >>> sample_size(2, rate=10, minimum=3), sample_size(45, rate=30, minimum=3)
    (2, 14)
    """
    if population <= 0:
        return 0
    wanted = max(minimum, math.ceil(population * rate / 100))
    return min(population, wanted)


def draw(population: Iterable[int], size: int, seed: int) -> list[int]:
    """Draw ``size`` ids from ``population`` reproducibly: the same ids and seed give the same
    sample on any machine, so a stored draw can be checked by anyone later. Sorted ids."""
    ordered = sorted(set(population))
    if size <= 0 or not ordered:
        return []
    # S311: the seed comes from `secrets` (services/callbacks.py) and is stored with the
    # sample; this generator only expands it reproducibly, as scoring's 双随机 draw does.
    rng = random.Random(seed)  # noqa: S311
    return sorted(rng.sample(ordered, min(size, len(ordered))))


def share(answered: int, collected: int) -> Decimal | None:
    """Answered on the spot as a percentage of collected, one decimal; ``None`` for none."""
    if collected <= 0:
        return None
    value = Decimal(answered) * 100 / Decimal(collected)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def outliers(
    shares: dict[int, tuple[int, Decimal | None, int]], *, points: int, min_volume: int
) -> tuple[set[int], dict[int, Decimal]]:
    """Who stands out: ``shares`` maps a worker to ``(group, share, collected)`` (the group is
    their town). Among the workers of a group with at least ``min_volume`` collected, those
    whose share is more than ``points`` above the group's median are flagged. Returns the
    flagged workers and each group's median."""
    by_group: dict[int, list[Decimal]] = {}
    for group, value, collected in shares.values():
        if value is not None and collected >= min_volume:
            by_group.setdefault(group, []).append(value)
    medians = {
        group: Decimal(str(median(values))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        for group, values in by_group.items()
    }
    flagged = {
        worker
        for worker, (group, value, collected) in shares.items()
        if value is not None
        and collected >= min_volume
        and group in medians
        and value > medians[group] + points
    }
    return flagged, medians
