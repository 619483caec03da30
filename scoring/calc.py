"""Pure calculations of scoring: quarters, points, caps, ranks with ties, stars, 约谈, the draw.

No ORM and no I/O here: these functions take numbers and return numbers, so the rules that
decide a worker's rating can be read and tested on their own. The services feed them rows that
SQL has already aggregated.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
G = TypeVar("G", bound=Hashable)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
_QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")


def money(value) -> Decimal:
    """Round to two decimals, halves away from zero (the way points are written on paper)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- Quarters --------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class QuarterKey:
    """A calendar quarter, written ``2026Q3``."""

    year: int
    number: int

    def __post_init__(self):
        if not 2000 <= self.year <= 2999 or self.number not in (1, 2, 3, 4):
            raise ValueError(f"not a quarter: {self.year}Q{self.number}")

    @classmethod
    def parse(cls, code: str) -> QuarterKey:
        """``"2026Q3"`` (case and surrounding spaces ignored) → ``QuarterKey(2026, 3)``."""
        match = _QUARTER_RE.match((code or "").strip().upper())
        if not match:
            raise ValueError(f"not a quarter: {code!r}")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: date) -> QuarterKey:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    def __str__(self) -> str:
        return self.code

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * (self.number - 1) + 1, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> QuarterKey:
        return (
            QuarterKey(self.year + 1, 1)
            if self.number == 4
            else QuarterKey(self.year, self.number + 1)
        )

    def previous(self) -> QuarterKey:
        if self.number == 1:
            return QuarterKey(self.year - 1, 4)
        return QuarterKey(self.year, self.number - 1)

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """``[start, end)`` as aware datetimes: local midnight of the first day of this quarter
        and of the next one (a case resolved at 23:30 on 30 September belongs to Q3)."""
        start = datetime.combine(self.first_day, time.min).replace(tzinfo=tz)
        end = datetime.combine(self.next().first_day, time.min).replace(tzinfo=tz)
        return start, end


# --- Points, caps and totals -----------------------------------------------------------------


def entry_points(quantity, per) -> Decimal:
    """Points of a ledger entry: how many times × points each (or hours × points an hour)."""
    return money(Decimal(quantity) * Decimal(per))


@dataclass(frozen=True)
class Terms:
    """How an indicator category's raw points count toward a total in one quarter.

    The raw sum is multiplied by ``weight``, then held between ``floor`` and ``cap`` (each
    optional): a cap stops a worker from filling the whole rating with one kind of work, a floor
    stops one bad quarter in one category from sinking everything else.
    """

    weight: Decimal = Decimal(1)
    cap: Decimal | None = None
    floor: Decimal | None = None


def terms_from(snapshot: Mapping[str, Mapping]) -> dict[int, Terms]:
    """Read the terms a quarter was computed with (``Quarter.terms``, JSON) back as ``Terms``."""

    def number(value):
        return None if value is None else Decimal(value)

    return {
        int(pk): Terms(weight=Decimal(t["weight"]), cap=number(t["cap"]), floor=number(t["floor"]))
        for pk, t in snapshot.items()
    }


def category_subtotal(raw, terms: Terms) -> Decimal:
    """The points a category contributes: ``raw × weight``, then capped and floored."""
    value = money(Decimal(raw) * Decimal(terms.weight))
    if terms.cap is not None and value > terms.cap:
        value = money(terms.cap)
    if terms.floor is not None and value < terms.floor:
        value = money(terms.floor)
    return value


def subject_total(
    raw_by_category: Mapping[K, Decimal], terms: Mapping[K, Terms]
) -> tuple[Decimal, dict[K, Decimal]]:
    """A person's or a unit's total and its per-category subtotals, from raw category sums.

    A category missing from ``terms`` counts at weight 1 without a cap.
    """
    subtotals = {
        category: category_subtotal(raw, terms.get(category, Terms()))
        for category, raw in raw_by_category.items()
    }
    return money(sum(subtotals.values(), ZERO)), subtotals


def community_total(
    own: Decimal, worker_totals: Sequence[Decimal], worker_weight: Decimal
) -> tuple[Decimal, Decimal | None]:
    """A community's total: its own points plus ``worker_weight`` × the mean of its workers'.

    The mean, not the sum, so a community is not ranked by how many staff it has. Returns the
    total and the mean (``None`` when the community has no ranked worker).
    """
    if not worker_totals:
        return money(own), None
    mean = money(sum(worker_totals, ZERO) / len(worker_totals))
    return money(own + mean * Decimal(worker_weight)), mean


def rate_percent(numerator: int, denominator: int) -> Decimal | None:
    """``numerator / denominator`` as a percentage with two decimals; ``None`` for 0/0."""
    if not denominator:
        return None
    return money(Decimal(numerator) * 100 / Decimal(denominator))


# --- Ranks with ties -------------------------------------------------------------------------


def competition_ranks(totals: Mapping[K, Decimal]) -> dict[K, int]:
    """Standard competition ranking ("1224"): equal totals share a rank, the next one skips.

    Two workers on 80 points are both 2nd after a worker on 90; the next is 4th.
    """
    ordered = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    ranks: dict[K, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (key, total) in enumerate(ordered, start=1):
        if total != previous:
            rank, previous = position, total
        ranks[key] = rank
    return ranks


def ranks_in_groups(rows: Iterable[tuple[K, G | None, Decimal]]) -> dict[K, tuple[int, int]]:
    """``(rank, group size)`` of each key within its group; keys without a group get none."""
    groups: dict[G, dict[K, Decimal]] = defaultdict(dict)
    for key, group, total in rows:
        if group is not None:
            groups[group][key] = total
    found: dict[K, tuple[int, int]] = {}
    for members in groups.values():
        size = len(members)
        for key, rank in competition_ranks(members).items():
            found[key] = (rank, size)
    return found


# --- Star levels -----------------------------------------------------------------------------

BASIS_POINTS = "points"
BASIS_PERCENTILE = "percentile"


def star_level(
    *,
    total: Decimal,
    rank: int | None,
    size: int | None,
    basis: str,
    thresholds: Iterable[tuple[int, Decimal]],
) -> int:
    """The highest star level whose threshold is met (0 when none is).

    ``thresholds`` are ``(stars, value)`` pairs. On the ``points`` basis a level is met when
    ``total >= value``. On the ``percentile`` basis ``value`` is a top share in percent of the
    group: a level is met when the ones ranked strictly above make up less than that share,
    ``(rank - 1) / size < value / 100``, so people tied on a rank always get the same stars and
    the first of any group reaches every level.
    """
    best = 0
    for stars, value in thresholds:
        if basis == BASIS_POINTS:
            met = total >= Decimal(value)
        elif basis == BASIS_PERCENTILE:
            met = bool(rank and size) and Decimal(rank - 1) * 100 < Decimal(value) * size
        else:
            raise ValueError(f"unknown star basis: {basis!r}")
        if met and stars > best:
            best = stars
    return best


def quota_limit(*, size: int, max_count: int | None, max_share: Decimal | None) -> int | None:
    """How many of ``size`` ranked may hold one star level: the smaller of ``max_count`` and
    ``max_share`` percent of ``size`` rounded down ("at most"); ``None`` when neither is set.

    136 workers, at most 3 %: 4 (4.08 rounded down); at most 1 %: 1; 40 workers at 1 %: 0.
    """
    limits = []
    if max_count is not None:
        limits.append(int(max_count))
    if max_share is not None:
        limits.append(int(Decimal(max_share) * size // 100))
    return min(limits) if limits else None


def stars_within_quotas(
    rows: Iterable[tuple[K, Decimal, int]], limits: Mapping[int, int | None]
) -> dict[K, int]:
    """Cut one group's star levels (a county's, in a quarter) to the quotas per level.

    ``rows`` are ``(key, total, level earned by the thresholds)``; ``limits`` the most subjects
    that may hold each level (``None`` or missing: no limit). The rows are taken from the
    highest total down, equal totals together, each tied group at the level it earned, lowered
    one level at a time while that level has no room for the whole group: tied people always
    share a level, so when a tie would exceed a quota the whole group gets the lower level. No
    one gets a higher level than anyone ranked above them, so a place left free by a tied group
    stays free. The result is the same whatever the order of ``rows``.
    """
    groups: dict[Decimal, list[tuple[K, int]]] = defaultdict(list)
    for key, total, level in rows:
        groups[Decimal(total)].append((key, level))
    used: dict[int, int] = defaultdict(int)
    found: dict[K, int] = {}
    ceiling = max((level for members in groups.values() for _, level in members), default=0)
    for total in sorted(groups, reverse=True):
        members = groups[total]
        level = min(ceiling, min(earned for _, earned in members))
        while level > 0:
            limit = limits.get(level)
            if limit is None or used[level] + len(members) <= limit:
                break
            level -= 1
        if level > 0:
            used[level] += len(members)
        for key, _earned in members:
            found[key] = level
        ceiling = level
    return found


# --- The 约谈 list and the last place --------------------------------------------------------


def lowest_in_groups(rows: Iterable[tuple[K, G | None, Decimal]], count: int) -> set[K]:
    """The ``count`` lowest totals of each group, with everyone tied with the last of them.

    A group where everyone has the same total has no lowest: nobody did worse than anyone else.
    """
    if count <= 0:
        return set()
    groups: dict[G, list[tuple[K, Decimal]]] = defaultdict(list)
    for key, group, total in rows:
        if group is not None:
            groups[group].append((key, total))
    chosen: set[K] = set()
    for members in groups.values():
        totals = sorted(total for _, total in members)
        if totals[0] == totals[-1]:
            continue
        cut = totals[min(count, len(totals)) - 1]
        chosen.update(key for key, total in members if total <= cut)
    return chosen


def last_places(rows: Iterable[tuple[K, G | None, Decimal]]) -> set[K]:
    """The last place of each group (末位), ties included; none in a group of equals."""
    return lowest_in_groups(rows, 1)


def below(rows: Iterable[tuple[K, Decimal]], threshold: Decimal | None) -> set[K]:
    """Keys whose total is strictly below ``threshold`` (none when there is no threshold)."""
    if threshold is None:
        return set()
    return {key for key, total in rows if total < threshold}


# --- The random verification draw (双随机) ----------------------------------------------------


def draw_sample(population: Iterable[int], size: int, seed: int) -> list[int]:
    """Draw ``size`` ids from ``population`` reproducibly: the same ids and seed give the same
    sample on any machine, so a logged draw can be checked by anyone later. Sorted ids."""
    ordered = sorted(set(population))
    if size <= 0 or not ordered:
        return []
    # S311: the seed is drawn with `secrets` (scoring/services/pledges.py) and logged; this
    # generator only expands it reproducibly, so anyone can check a draw later.
    rng = random.Random(seed)  # noqa: S311
    return sorted(rng.sample(ordered, min(size, len(ordered))))


def assign_inspectors(
    targets: Sequence[tuple[int, int]], inspectors: Iterable[int], seed: int
) -> dict[int, int | None]:
    """Give each drawn ``(target id, owner id)`` a randomly drawn inspector (the second random
    of 双随机), never its own owner; ``None`` when nobody else is available. Reproducible."""
    pool = sorted(set(inspectors))
    rng = random.Random(f"{seed}:inspectors")  # noqa: S311  (reproducible, as draw_sample)
    assigned: dict[int, int | None] = {}
    for target, owner in sorted(targets):
        candidates = [person for person in pool if person != owner]
        assigned[target] = rng.choice(candidates) if candidates else None
    return assigned


def assign_inspectors_by_pool(
    targets: Sequence[tuple[int, int]], pools: Mapping[int, Iterable[int]], seed: int
) -> dict[int, int | None]:
    """As :func:`assign_inspectors`, but each drawn ``(target id, owner id)`` draws from its own
    pool (``pools[target id]``, e.g. the supervisors of the other communities of its town);
    ``None`` when its pool holds nobody but the owner. Reproducible from the seed."""
    rng = random.Random(f"{seed}:inspectors")  # noqa: S311  (reproducible, as draw_sample)
    assigned: dict[int, int | None] = {}
    for target, owner in sorted(targets):
        candidates = sorted({person for person in pools.get(target, ()) if person != owner})
        assigned[target] = rng.choice(candidates) if candidates else None
    return assigned
