"""Benchmark: computing one scoring quarter over 2,000,000 case events for 10,000 workers.

``python -m bench.scoring_compute`` (or ``make bench``). Needs PostgreSQL: it reads
``DATABASE_URL`` for the server and creates and drops its own database
(``minqing_bench_scoring``). Prints figures and ratios (medians); asserts nothing.

What it measures:

* ``quarter_compute`` — the product's service: one SQL aggregate pass per source kind, bulk
  writes of the ledger and the ranking, pure-Python ranks/stars/约谈 over the aggregated rows.
  Run ``RUNS`` times (computing is idempotent; each run replaces the last) and the median shown.
* a naive per-worker loop over the same data, the way it is often first written: for each
  worker, query their events source by source, count in Python, save each entry. It is timed on
  a sample of workers (``BENCH_SAMPLE``, default 20) and extrapolated to all of them, and its
  writes are rolled back.

The data is written with ``INSERT … SELECT generate_series`` (building 10,000 users and 400,000
cases through the services would take hours): a city of 10 counties × 10 towns × 10 communities
× 5 grids, two grid workers per grid, 400,000 cases of the quarter with five events each
(opened, assigned, signed for, resolved, then feedback, an escalation or a consultation) and
100,000 service-card entries. Event data follows the ``casework.events`` contract.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH_DB = "minqing_bench_scoring"
WORKERS_PER_GRID = 2
COUNTIES, TOWNS, COMMUNITIES, GRIDS = 10, 10, 10, 5
CASES = 400_000
EVENTS_PER_CASE = 5
CARDS = 100_000
RUNS = int(os.environ.get("BENCH_RUNS", 3))
#: BENCH_KEEP=1 leaves the database behind for inspection (dropped on the next run).
KEEP = os.environ.get("BENCH_KEEP") == "1"
SAMPLE = int(os.environ.get("BENCH_SAMPLE", 20))
QUARTER = "2026Q2"


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench.scoring_compute needs PostgreSQL: set DATABASE_URL=postgres://…")
    return url


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_with_db(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


def setup_django(url: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = _with_db(url, BENCH_DB)
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()


# --- Data ----------------------------------------------------------------------------------


def _seg(expr: str) -> str:
    """SQL for a 4-character treebeard path step (base 36) of the number ``expr``."""
    digits = "'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'"
    return (
        f"substr({digits}, (({expr}) / 46656) % 36 + 1, 1) || "
        f"substr({digits}, (({expr}) / 1296) % 36 + 1, 1) || "
        f"substr({digits}, (({expr}) / 36) % 36 + 1, 1) || "
        f"substr({digits}, ({expr}) % 36 + 1, 1)"
    )


def _columns(model, given: dict[str, str]) -> tuple[str, str]:
    """Column list and SELECT expressions for every concrete field of ``model``: ``given``
    ones as written, the rest from their default (NULL, '', false, 0, '{}', now())."""
    from django.db.models import NOT_PROVIDED, BooleanField, JSONField

    cols, exprs = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key and f.column not in given:
            continue
        cols.append(f'"{f.column}"')
        if f.column in given:
            exprs.append(given[f.column])
        elif f.null:
            exprs.append("NULL")
        elif isinstance(f, JSONField):
            exprs.append("'{}'::jsonb" if f.default is dict else "'[]'::jsonb")
        elif f.default is not NOT_PROVIDED and not callable(f.default):
            value = f.default
            if isinstance(f, BooleanField) or isinstance(value, bool):
                exprs.append("true" if value else "false")
            elif isinstance(value, int | float):
                exprs.append(str(value))
            else:
                exprs.append("'" + str(value).replace("'", "''") + "'")
        elif getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
            exprs.append("now()")
        else:
            exprs.append("''")
    return ", ".join(cols), ", ".join(exprs)


def _insert(cursor, model, count: int, given: dict[str, str], where: str = "") -> None:
    cols, exprs = _columns(model, given)
    # S608: bulk-fills the benchmark's own throwaway database; the SQL is built from model
    # metadata and integers in this file, never from outside input.
    cursor.execute(
        f'INSERT INTO "{model._meta.db_table}" ({cols}) '  # noqa: S608
        f"SELECT {exprs} FROM generate_series(1, {count}) AS g(i) {where}"
    )


def build_data() -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from casework.models import Case, CaseEvent, Category, Membership, OrgUnit, User
    from scoring.calc import QuarterKey
    from scoring.models import ServiceCardEntry

    key = QuarterKey.parse(QUARTER)
    start, _end = key.bounds(timezone.get_default_timezone())
    seconds = int((key.next().first_day - key.first_day).total_seconds())
    grids = COUNTIES * TOWNS * COMMUNITIES * GRIDS
    workers = grids * WORKERS_PER_GRID
    with transaction.atomic(), connection.cursor() as c:
        # The tree, level by level: ids are assigned in order so a child finds its parent.
        levels = [
            ("city", 1, 1, COUNTIES),
            ("county", 2, COUNTIES, TOWNS),
            ("town", 3, COUNTIES * TOWNS, COMMUNITIES),
            ("community", 4, COUNTIES * TOWNS * COMMUNITIES, GRIDS),
            ("grid", 5, grids, 0),
        ]
        first_id = {}
        parent_count = 1
        for kind, depth, count, children in levels:
            c.execute("SELECT COALESCE(MAX(id), 0) FROM casework_orgunit")
            first_id[kind] = c.fetchone()[0] + 1
            per_parent = count // parent_count
            if depth == 1:
                path = _seg("1")
            else:
                parent = levels[depth - 2][0]
                parent_id = f"{first_id[parent]} + (i - 1) / {per_parent}"
                path = (
                    # Integers computed above, in the benchmark's own database.
                    f"(SELECT p.path FROM casework_orgunit p WHERE p.id = {parent_id}) || "  # noqa: S608
                    + _seg(f"(i - 1) % {per_parent} + 1")
                )
            _insert(
                c,
                OrgUnit,
                count,
                {
                    "path": path,
                    "depth": str(depth),
                    "numchild": str(children),
                    "name": f"'{kind} ' || i",
                    "kind": f"'{kind}'",
                },
            )
            parent_count = count
        grid0 = first_id["grid"]
        category = Category.objects.create(code="bench", name="基准")
        c.execute("SELECT COALESCE(MAX(id), 0) FROM casework_user")
        user0 = c.fetchone()[0] + 1
        _insert(
            c,
            User,
            workers,
            {
                "username": "'worker' || i",
                "name": "'网格员' || i",
                "password": "'!'",
                "is_active": "true",
                "date_joined": "now()",
            },
        )
        _insert(
            c,
            Membership,
            workers,
            {
                "user_id": f"{user0} - 1 + i",
                "unit_id": f"{grid0} + (i - 1) / {WORKERS_PER_GRID}",
                "role": "'grid_worker'",
                "created_at": "now()",
            },
        )
        # Cases: one per (worker, n) spread over the quarter; the opener is a grid worker of
        # the grid, the handler another worker (any), so every worker both opens and handles.
        c.execute("SELECT COALESCE(MAX(id), 0) FROM casework_case")
        case0 = c.fetchone()[0] + 1

        def opened_at(number: str) -> str:
            spread = f"(({number})::bigint * 7919) % {seconds - 86400}"
            return f"(TIMESTAMPTZ '{start.isoformat()}' + ({spread}) * INTERVAL '1 second')"

        at = opened_at("i")
        _insert(
            c,
            Case,
            CASES,
            {
                "category_id": str(category.pk),
                "unit_id": f"{grid0} + (i - 1) % {grids}",
                "title": "'case ' || i",
                "created_by_id": f"{user0} + (i - 1) % {workers}",
                "created_at": at,
                "state": "'closed'",
            },
        )
        # Five events per case. n = 0..4 is the event's place in the case's history.
        case = f"({case0} + (i - 1) / {EVENTS_PER_CASE})"
        n = f"((i - 1) % {EVENTS_PER_CASE})"
        k = f"(((i - 1) / {EVENTS_PER_CASE}) % 100)"  # the case's variant, 0..99
        opener = f"({user0} + (({case} - {case0}) % {workers}))"
        handler = f"({user0} + ((({case} - {case0}) * 37 + 11) % {workers}))"
        case_at = opened_at(f"{case} - {case0} + 1")
        kind = (
            f"CASE {n} WHEN 0 THEN 'opened' WHEN 1 THEN 'assigned' WHEN 2 THEN 'accepted' "
            f"WHEN 3 THEN 'resolved' ELSE CASE WHEN {k} < 6 THEN 'escalated' "
            f"WHEN {k} < 9 THEN 'consulted' ELSE 'feedback' END END"
        )
        satisfaction = (
            f"CASE WHEN {k} < 20 THEN 'unsatisfied' WHEN {k} < 40 THEN 'basically_satisfied' "
            "ELSE 'satisfied' END"
        )
        data = (
            f"CASE {n} WHEN 1 THEN jsonb_build_object('handler', {handler}, 'unit', NULL) "
            f"WHEN 2 THEN jsonb_build_object('on_time', {k} % 7 <> 0) "
            f"WHEN 3 THEN jsonb_build_object('on_time', {k} % 5 <> 0, 'handler', {handler}) "
            f"WHEN 4 THEN CASE WHEN {k} < 6 THEN jsonb_build_object('level', 1) "
            f"WHEN {k} < 9 THEN jsonb_build_object('meeting', 1) "
            f"ELSE jsonb_build_object('solved', {k} >= 20, 'satisfaction', {satisfaction}, "
            f"'handler', {handler}) END ELSE '{{}}'::jsonb END"
        )
        actor = (
            f"CASE {n} WHEN 0 THEN {opener} WHEN 1 THEN NULL WHEN 2 THEN {handler} "
            f"WHEN 3 THEN {handler} ELSE CASE WHEN {k} < 6 THEN NULL ELSE {opener} END END"
        )
        to_state = f"CASE WHEN {n} = 4 AND {k} >= 9 AND {k} < 20 THEN 'reopened' ELSE '' END"
        _insert(
            c,
            CaseEvent,
            CASES * EVENTS_PER_CASE,
            {
                "case_id": case,
                "kind": kind,
                "actor_id": actor,
                "created_at": f"{case_at} + {n} * INTERVAL '3 hours'",
                "data": data,
                "to_state": to_state,
            },
        )
        _insert(
            c,
            ServiceCardEntry,
            CARDS,
            {
                "person_id": f"{user0} + (i - 1) % {workers}",
                "unit_id": f"{grid0} + ((i - 1) % {workers}) / {WORKERS_PER_GRID}",
                "kind": "CASE WHEN i % 3 = 0 THEN 'special' ELSE 'key' END",
                "occurred_on": f"DATE '{key.first_day}' + (i % 80)",
                "week_start": f"DATE '{key.first_day}'",
                "title": "'走访'",
                "recorded_by_id": f"{user0} + (i - 1) % {workers}",
                "created_at": "now()",
            },
        )
    with connection.cursor() as c:
        c.execute("ANALYZE")
    return {
        "workers": workers,
        "communities": COUNTIES * TOWNS * COMMUNITIES,
        "events": CaseEvent.objects.count(),
        "cards": ServiceCardEntry.objects.count(),
        "user0": user0,
    }


# --- The two ways of computing ---------------------------------------------------------------


def fast(runs: int) -> tuple[list[float], object]:
    from scoring.services import quarter_compute

    times, quarter = [], None
    for _ in range(runs):
        began = time.perf_counter()
        quarter = quarter_compute(quarter=QUARTER, actor=None)
        times.append(time.perf_counter() - began)
    return times, quarter


def breakdown() -> list[tuple[str, float, int]]:
    """Each aggregate pass on its own: (name, seconds, rows)."""
    from scoring.calc import QuarterKey
    from scoring.services.aggregates import PASSES, Window
    from scoring.services.quarters import quarter_get_or_create

    key = QuarterKey.parse(QUARTER)
    quarter = quarter_get_or_create(key)
    window = Window(quarter.starts_at, quarter.ends_at, key.first_day, key.last_day, quarter.pk)
    found = []
    for gather, _kinds in PASSES:
        began = time.perf_counter()
        rows = gather(window)
        found.append((gather.__name__, time.perf_counter() - began, len(rows)))
    return found


def naive(sample: list[int]) -> float:
    """Score ``sample`` workers one by one with per-worker queries; rolled back."""
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from casework.models import CaseEvent
    from scoring.calc import QuarterKey, Terms, entry_points, subject_total
    from scoring.models import PointRule, ScoreEntry, ServiceCardEntry
    from scoring.services.quarters import quarter_get_or_create

    key = QuarterKey.parse(QUARTER)
    quarter = quarter_get_or_create(key)
    start, end = quarter.starts_at, quarter.ends_at
    rules = {r.source: r for r in PointRule.objects.filter(is_active=True)}
    began = time.perf_counter()
    with transaction.atomic():
        for worker in sample:
            events = CaseEvent.objects.filter(created_at__gte=start, created_at__lt=end)
            counts: dict[str, list[int]] = {}

            def add(source, case_id, counts=counts):
                counts.setdefault(source, []).append(case_id)

            for e in events.filter(kind="opened", actor_id=worker):
                add("case_opened", e.case_id)
            for e in events.filter(kind="accepted", actor_id=worker):
                on_time = e.data.get("on_time")
                add("case_accepted_on_time" if on_time else "case_accepted_late", e.case_id)
            for e in events.filter(kind="resolved", actor_id=worker):
                on_time = e.data.get("on_time")
                add("case_resolved_on_time" if on_time else "case_resolved_late", e.case_id)
            for e in events.filter(kind="feedback", data__handler=worker):
                add(f"feedback_{e.data['satisfaction']}", e.case_id)
                if e.to_state == "reopened":
                    add("case_reopened", e.case_id)
            for e in events.filter(kind="feedback", actor_id=worker):
                add("feedback_visit", e.case_id)
            for e in events.filter(kind="consulted", actor_id=worker):
                add("consultation_decision", e.case_id)
            for e in events.filter(
                kind="escalated", case__events__kind="assigned", case__events__data__handler=worker
            ):
                add("case_overdue", e.case_id)
            for card in ServiceCardEntry.objects.filter(
                person_id=worker, occurred_on__gte=key.first_day, occurred_on__lte=key.last_day
            ):
                add(f"service_card_{card.kind}", card.pk)
            raw: dict[int, Decimal] = {}
            for source, ids in counts.items():
                rule = rules.get(source)
                if rule is None:
                    continue
                points = entry_points(len(ids), rule.points)
                ScoreEntry.objects.create(
                    quarter=quarter,
                    person_id=worker,
                    indicator_id=rule.indicator_id,
                    source=source,
                    quantity=len(ids),
                    per=rule.points,
                    points=points,
                    refs=",".join(map(str, ids)),
                    created_at=timezone.now(),
                )
                raw[rule.indicator_id] = raw.get(rule.indicator_id, Decimal(0)) + points
            subject_total(raw, {pk: Terms() for pk in raw})
        transaction.set_rollback(True)
    return time.perf_counter() - began


def main() -> None:
    url = _server_url()
    _admin(url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    _admin(url, f"CREATE DATABASE {BENCH_DB}")
    try:
        setup_django(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        began = time.perf_counter()
        figures = build_data()
        print(
            f"data: {figures['events']:,} case events, {figures['cards']:,} service-card "
            f"entries, {figures['workers']:,} workers, {figures['communities']:,} communities "
            f"(built in {time.perf_counter() - began:.0f} s)"
        )
        times, quarter = fast(RUNS)
        best = statistics.median(times)
        print(
            f"quarter_compute {QUARTER}: median {best:.1f} s over {RUNS} runs "
            f"({', '.join(f'{t:.1f}' for t in times)} s); {quarter.entry_count:,} ledger "
            f"entries, {quarter.result_count:,} ranked workers and communities"
        )
        parts = breakdown()
        print(
            "  of which the aggregate passes: "
            + ", ".join(f"{name} {seconds:.1f} s" for name, seconds, _rows in parts)
            + f" (sum {sum(p[1] for p in parts):.1f} s; the rest is bulk writes and ranking)"
        )
        step = max(1, figures["workers"] // SAMPLE)
        sample = [figures["user0"] + i * step for i in range(SAMPLE)]
        naive_time = naive(sample)
        per_worker = naive_time / len(sample)
        extrapolated = per_worker * figures["workers"]
        print(
            f"naive per-worker loop: {naive_time:.1f} s for a sample of {len(sample)} workers "
            f"({per_worker:.2f} s each), extrapolated to {figures['workers']:,} workers: "
            f"{extrapolated / 60:.0f} min (not run in full)"
        )
        print(f"speed-up: {extrapolated / best:.0f}× (target ≥ 20×); target time < 30 s")
    finally:
        from django.db import connections

        connections.close_all()
        if not KEEP:
            _admin(url, f"DROP DATABASE IF EXISTS {BENCH_DB}")


if __name__ == "__main__":
    main()
