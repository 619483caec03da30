"""Turning a quarter's aggregates into ledger entries and ranked results.

Called by ``quarter_compute`` inside its transaction; not an entry point of its own. Every step
is a fixed number of queries (one per aggregate pass, bulk writes) and the arithmetic is done by
the pure functions of ``scoring.calc`` over rows SQL has already grouped.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import JSONField, Sum

from casework.models import Membership, OrgUnit, Role, UnitKind
from casework.models.org import PLACE_KINDS
from scoring import calc
from scoring.models import (
    InterviewReason,
    PointRule,
    Quarter,
    ScoreEntry,
    ScoreResult,
    ScoringPolicy,
    StarThreshold,
    Subject,
)
from scoring.selectors.rules import policy_get
from scoring.services.aggregates import Row, Window, collect

BATCH = 5000

#: When a person holds several ranked roles, the one they are ranked under.
ROLE_PRIORITY = [
    Role.SUPERVISOR,
    Role.MINQING_SECRETARY,
    Role.GRID_WORKER,
    Role.HANDLER,
    Role.VOLUNTEER,
    Role.ADMIN,
]


# --- The ledger ------------------------------------------------------------------------------


#: The columns of a derived ledger entry, in the order ``_entry`` gives them.
ENTRY_FIELDS = [
    "quarter_id",
    "person_id",
    "unit_id",
    "indicator_id",
    "source",
    "quantity",
    "per",
    "points",
    "manual",
    "reason",
    "refs",
    "detail",
    "created_by_id",
    "created_at",
]


def insert_rows(model, fields: list[str], rows: Iterable[tuple]) -> None:
    """Insert many rows at once: ``COPY`` on PostgreSQL (tens of thousands of rows a second
    with none of the ORM's per-value work), ``bulk_create`` elsewhere."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(**dict(zip(fields, row, strict=True))) for row in rows), batch_size=BATCH
        )
        return
    meta = model._meta
    columns = ", ".join(connection.ops.quote_name(meta.get_field(f).column) for f in fields)
    as_json = [i for i, f in enumerate(fields) if isinstance(meta.get_field(f), JSONField)]
    table = connection.ops.quote_name(meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            if as_json:
                row = list(row)
                for i in as_json:
                    row[i] = json.dumps(row[i])
            copy.write_row(row)


def write_entries(quarter: Quarter, window: Window, now: datetime) -> int:
    """Replace the quarter's derived entries with fresh ones; manual entries are kept."""
    rules = {
        rule.source: rule
        for rule in PointRule.objects.filter(is_active=True, indicator__is_active=True)
    }
    ScoreEntry.objects.filter(quarter=quarter, manual=False).delete()
    entries = [
        _entry(quarter, row, rules[row.source], now)
        for row in collect(window, rules)
        if row.quantity
    ]
    insert_rows(ScoreEntry, ENTRY_FIELDS, entries)
    return len(entries)


def _entry(quarter: Quarter, row: Row, rule: PointRule, now: datetime) -> tuple:
    return (
        quarter.pk,
        row.person_id,
        row.unit_id,
        row.indicator_id or rule.indicator_id,
        row.source,
        row.quantity,
        rule.points,
        calc.entry_points(row.quantity, rule.points),
        False,
        "",
        row.refs,
        row.detail,
        None,
        now,
    )


# --- Who is ranked, and where ----------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a subject is ranked: its unit and the county, town and community above it."""

    unit_id: int
    county_id: int | None
    town_id: int | None
    community_id: int | None


class PlaceIndex:
    """Counties, towns and communities by path, to place any unit from its path alone."""

    KINDS = (UnitKind.COUNTY, UnitKind.TOWN, UnitKind.COMMUNITY)

    def __init__(self):
        self.by_path = {
            path: (pk, kind)
            for pk, path, kind in OrgUnit.objects.filter(kind__in=self.KINDS).values_list(
                "pk", "path", "kind"
            )
        }

    def place(self, unit_id: int, path: str) -> Place:
        found: dict[str, int] = {}
        step = OrgUnit.steplen
        for end in range(step, len(path) + 1, step):
            hit = self.by_path.get(path[:end])
            if hit:
                found[hit[1]] = hit[0]
        return Place(
            unit_id,
            found.get(UnitKind.COUNTY),
            found.get(UnitKind.TOWN),
            found.get(UnitKind.COMMUNITY),
        )


def ranked_workers(policy: ScoringPolicy, places: PlaceIndex) -> dict[int, Place]:
    """Everyone holding a ranked role in a community or below, placed at one home unit."""
    rows = Membership.objects.filter(
        role__in=policy.ranked_roles or [],
        user__is_active=True,
        user__is_service_account=False,  # an integration (Open311 key) is ranked never
        unit__is_active=True,
        unit__kind__in=PLACE_KINDS,
    ).values_list("user_id", "unit_id", "unit__path", "role")
    priority = {role: index for index, role in enumerate(ROLE_PRIORITY)}
    best: dict[int, tuple] = {}
    for user_id, unit_id, path, role in rows:
        place = places.place(unit_id, path)
        if place.community_id is None:
            continue
        key = (priority.get(role, len(priority)), len(path), path)
        if user_id not in best or key < best[user_id][0]:
            best[user_id] = (key, place)
    return {user_id: place for user_id, (_key, place) in best.items()}


# --- Results ---------------------------------------------------------------------------------


def _raw_sums(quarter: Quarter, *, person: bool) -> dict[int, dict[int, Decimal]]:
    key = "person_id" if person else "unit_id"
    rows = (
        ScoreEntry.objects.filter(quarter=quarter, person__isnull=not person)
        .order_by()
        .values(key, "indicator_id")
        .annotate(raw=Sum("points"))
    )
    sums: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in rows:
        sums[row[key]][row["indicator_id"]] = row["raw"]
    return sums


def _thresholds(subject: str) -> list[tuple[int, Decimal, int | None, Decimal | None]]:
    """``(stars, threshold, max_count, max_share)`` of each level, in one query."""
    return list(
        StarThreshold.objects.filter(subject=subject).values_list(
            "stars", "value", "max_count", "max_share"
        )
    )


def write_results(quarter: Quarter, terms: dict[int, calc.Terms]) -> int:
    """Total, rank, stars and 约谈 flags of every ranked worker and community."""
    policy = policy_get()
    places = PlaceIndex()
    workers = ranked_workers(policy, places)
    person_raw = _raw_sums(quarter, person=True)
    unit_raw = _raw_sums(quarter, person=False)

    results: dict[tuple[str, int], ScoreResult] = {}
    for person_id, place in workers.items():
        total, subtotals = calc.subject_total(person_raw.get(person_id, {}), terms)
        results[(Subject.PERSON, person_id)] = _result(
            quarter, Subject.PERSON, place, total, total, subtotals, person_id=person_id
        )

    worker_totals: dict[int, list[Decimal]] = defaultdict(list)
    for person_id, place in workers.items():
        worker_totals[place.community_id].append(results[(Subject.PERSON, person_id)].total)
    communities = OrgUnit.objects.filter(kind=UnitKind.COMMUNITY, is_active=True).values_list(
        "pk", "path"
    )
    for unit_id, path in communities:
        own, subtotals = calc.subject_total(unit_raw.get(unit_id, {}), terms)
        mine = worker_totals.get(unit_id, [])
        total, mean = calc.community_total(own, mine, policy.community_worker_weight)
        result = _result(
            quarter, Subject.COMMUNITY, places.place(unit_id, path), total, own, subtotals
        )
        result.workers_mean, result.workers_count = mean, len(mine)
        results[(Subject.COMMUNITY, unit_id)] = result

    for subject, basis in (
        (Subject.PERSON, policy.person_star_basis),
        (Subject.COMMUNITY, policy.community_star_basis),
    ):
        mine = {key: r for key, r in results.items() if key[0] == subject}
        _rank(mine, basis, _thresholds(subject))
    _flag_interviews(results, policy)

    ScoreResult.objects.filter(quarter=quarter).delete()
    fields = [f.attname for f in ScoreResult._meta.concrete_fields if not f.primary_key]
    insert_rows(
        ScoreResult,
        fields,
        (tuple(getattr(result, f) for f in fields) for result in results.values()),
    )
    return len(results)


def _result(quarter, subject, place: Place, total, own, subtotals, person_id=None) -> ScoreResult:
    return ScoreResult(
        quarter=quarter,
        subject=subject,
        person_id=person_id,
        unit_id=place.unit_id,
        county_id=place.county_id,
        town_id=place.town_id,
        community_id=place.community_id,
        total=total,
        own_total=own,
        subtotals={str(k): str(v) for k, v in subtotals.items()},
    )


def _rank(results: dict, basis: str, levels) -> None:
    thresholds = [(stars, value) for stars, value, _count, _share in levels]
    in_county = calc.ranks_in_groups((k, r.county_id, r.total) for k, r in results.items())
    in_town = calc.ranks_in_groups((k, r.town_id, r.total) for k, r in results.items())
    last_county = calc.last_places((k, r.county_id, r.total) for k, r in results.items())
    last_town = calc.last_places((k, r.town_id, r.total) for k, r in results.items())
    for key, result in results.items():
        result.rank_in_county, result.county_size = in_county.get(key, (None, None))
        result.rank_in_town, result.town_size = in_town.get(key, (None, None))
        result.last_in_county = key in last_county
        result.last_in_town = key in last_town
        result.stars = calc.star_level(
            total=result.total,
            rank=result.rank_in_county,
            size=result.county_size,
            basis=basis,
            thresholds=thresholds,
        )
    _apply_quotas(results, levels)


def _apply_quotas(results: dict, levels) -> None:
    """Hold each star level to its quota (名额) in each county: ``calc.stars_within_quotas``."""
    if all(count is None and share is None for _stars, _value, count, share in levels):
        return
    by_county: dict[int | None, dict] = defaultdict(dict)
    for key, result in results.items():
        by_county[result.county_id][key] = result
    for members in by_county.values():
        size = len(members)
        limits = {
            stars: calc.quota_limit(size=size, max_count=count, max_share=share)
            for stars, _value, count, share in levels
        }
        capped = calc.stars_within_quotas(
            ((key, r.total, r.stars) for key, r in members.items()), limits
        )
        for key, result in members.items():
            result.stars = capped[key]


def _flag_interviews(results: dict, policy: ScoringPolicy) -> None:
    """The 约谈 list: the lowest workers of each town (or county, for those with no town),
    workers below the person threshold, communities below the community threshold."""
    people = {k: r for k, r in results.items() if k[0] == Subject.PERSON}
    communities = {k: r for k, r in results.items() if k[0] == Subject.COMMUNITY}
    lowest = calc.lowest_in_groups(
        ((k, r.town_id or r.county_id, r.total) for k, r in people.items()),
        policy.interview_lowest_count,
    )
    people_below = calc.below(
        ((k, r.total) for k, r in people.items()), policy.interview_person_below
    )
    communities_below = calc.below(
        ((k, r.total) for k, r in communities.items()), policy.interview_community_below
    )
    for key, result in results.items():
        if key in lowest:
            result.interview_reason = InterviewReason.LOWEST
        elif key in people_below or key in communities_below:
            result.interview_reason = InterviewReason.BELOW_THRESHOLD
