"""How long one deadline sweep takes over 1,000,000 cases of which 200,000 are open (PostgreSQL).

Builds its own database (``minqing_bench_sweep`` on the server of ``DATABASE_URL``), fills it
with SQL (``generate_series``), then times, as medians over repeated runs:

- an idle sweep (nothing owed: the common minute),
- a steady sweep (300 cases cross a threshold: a busy minute in a city),
- a catch-up sweep (20,000 cases owed at once: after an outage),

and, beside them, the naive way: reading every open case and asking each what it owes. The
target (issue 5): one sweep under 1 second, thanks to the partial index on ``next_alert_at``.
Figures, not assertions: the machine is shared and noisy.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOTAL = int(os.environ.get("BENCH_CASES", 1_000_000))
OPEN = int(os.environ.get("BENCH_OPEN", 200_000))
DB_NAME = "minqing_bench_sweep"


def _setup_django():
    import environ

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    url = environ.Env.db_url_config(base)
    if "postgresql" not in url["ENGINE"]:
        print("This benchmark needs PostgreSQL: set DATABASE_URL.")
        sys.exit(2)
    import psycopg

    admin = psycopg.connect(
        host=url["HOST"] or "127.0.0.1",
        port=url["PORT"] or 5432,
        user=url["USER"],
        password=url["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin.execute(f"CREATE DATABASE {DB_NAME}")
    admin.close()
    os.environ["DATABASE_URL"] = (
        f"postgres://{url['USER']}:{url['PASSWORD'] or ''}@{url['HOST'] or '127.0.0.1'}:"
        f"{url['PORT'] or 5432}/{DB_NAME}"
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DEBUG"] = "off"
    os.environ.pop("REDIS_URL", None)
    os.environ["MINQING_SWEEP_IN_PROCESS"] = "off"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _build_org():
    from casework.models import Role, UnitKind
    from casework.services import category_create, membership_grant, person_create, unit_create

    city = unit_create(name="市", kind=UnitKind.CITY)
    county = unit_create(name="县", kind=UnitKind.COUNTY, parent=city)
    company = unit_create(name="物业", kind=UnitKind.COMPANY, parent=county)
    places, people = [], []
    for t in range(5):
        town = unit_create(name=f"镇{t}", kind=UnitKind.TOWN, parent=county)
        sup = person_create(username=f"town{t}", name=f"镇{t}")
        membership_grant(user=sup, unit=town, role=Role.SUPERVISOR)
        for c in range(10):
            community = unit_create(name=f"社区{t}-{c}", kind=UnitKind.COMMUNITY, parent=town)
            sup = person_create(username=f"sup{t}-{c}", name="督办")
            membership_grant(user=sup, unit=community, role=Role.SUPERVISOR)
            for g in range(4):
                grid = unit_create(name=f"网格{g}", kind=UnitKind.GRID, parent=community)
                places.append(grid.pk)
    handler = person_create(username="handler", name="承办")
    membership_grant(user=handler, unit=company, role=Role.HANDLER)
    people.append(handler.pk)
    category = category_create(code="general", name="一般")
    return places, company.pk, handler.pk, category.pk


def _fill(places, company_id, handler_id, category_id):
    """1,000,000 cases: the first OPEN are in progress with deadlines over the next 30 days."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO casework_case (
                state, version, category_id, unit_id, urgency, title, description,
                owner_unit_id, handler_id, created_by_id, created_at, assigned_at, signed_at,
                sign_due_at, due_soon_at, due_at, next_alert_at, result, close_reason,
                satisfaction, escalation_level, reopen_count, return_count, closed_at
            )
            SELECT
                CASE WHEN g <= %(open)s THEN 'in_progress' ELSE 'closed' END,
                3, %(category)s, (%(places)s::bigint[])[1 + g %% %(nplaces)s], 'normal',
                'bench ' || g, '', %(company)s, %(handler)s, %(handler)s,
                now() - interval '40 days', now() - interval '2 days', now() - interval '2 days',
                now() - interval '1 day',
                CASE WHEN g <= %(open)s THEN now() + (g %% 30) * interval '1 day'
                     + interval '1 hour' END,
                CASE WHEN g <= %(open)s THEN now() + (g %% 30) * interval '1 day'
                     + interval '8 hours' END,
                CASE WHEN g <= %(open)s THEN now() + (g %% 30) * interval '1 day'
                     + interval '1 hour' END,
                '', CASE WHEN g <= %(open)s THEN '' ELSE 'feedback' END, '', 0, 0, 0,
                CASE WHEN g <= %(open)s THEN NULL ELSE now() - interval '30 days' END
            FROM generate_series(1, %(total)s) AS g
            """,
            {
                "open": OPEN,
                "total": TOTAL,
                "places": places,
                "nplaces": len(places),
                "company": company_id,
                "handler": handler_id,
                "category": category_id,
            },
        )
        cur.execute("ANALYZE casework_case")
    return time.perf_counter() - started


def _make_due(count: int, now) -> None:
    """Bring ``count`` open cases' next moment to just before ``now`` (due soon)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            """
            UPDATE casework_case SET due_soon_at = %(past)s, next_alert_at = %(past)s
            WHERE id IN (
                SELECT id FROM casework_case
                WHERE state = 'in_progress' AND next_alert_at > %(now)s
                ORDER BY random() LIMIT %(count)s
            )
            """,
            {"past": now - timedelta(seconds=1), "now": now, "count": count},
        )


def _time(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    _setup_django()
    from django.db import connection
    from django.utils import timezone

    from casework import alerts
    from casework.models import Case, Reminder
    from casework.services.cases import escalation_period
    from casework.services.sweep import deadline_sweep

    places, company, handler, category = _build_org()
    fill = _fill(places, company, handler, category)
    print(f"cases: {Case.objects.count():,} ({OPEN:,} open), filled in {fill:.1f} s")
    now = timezone.now()

    idle = _time(lambda: deadline_sweep(now=now), 7)

    steady = []
    for _ in range(7):
        _make_due(300, now)
        steady += _time(lambda: deadline_sweep(now=now), 1)
    owed_steady = Reminder.objects.count()

    _make_due(20_000, now)
    catch_up = _time(lambda: deadline_sweep(now=now), 1)

    period = escalation_period()

    def naive():
        for case in Case.objects.filter(state__in=["assigned", "in_progress"]).iterator(
            chunk_size=5000
        ):
            alerts.owed(alerts.clock_of(case), now, period)

    naive_times = _time(naive, 3)
    with connection.cursor() as cur:
        cur.execute(
            "EXPLAIN SELECT id FROM casework_case WHERE next_alert_at <= %s LIMIT 500", [now]
        )
        plan = cur.fetchone()[0]

    med = statistics.median
    print(f"idle sweep (nothing owed):           median {med(idle) * 1000:8.1f} ms over 7")
    print(
        f"steady sweep (300 cases owed):       median {med(steady) * 1000:8.1f} ms over 7"
        f"  ({owed_steady:,} reminders recorded in all)"
    )
    print(f"catch-up sweep (20,000 cases owed):         {catch_up[0] * 1000:8.1f} ms")
    print(f"naive scan of every open case:       median {med(naive_times) * 1000:8.1f} ms over 3")
    print(f"ratio naive / idle sweep:   {med(naive_times) / med(idle):8.0f}x")
    print(f"ratio naive / steady sweep: {med(naive_times) / med(steady):8.1f}x")
    print(f"plan: {plan}")
    print("target: one sweep under 1 s over 1,000,000 cases with 200,000 open")


if __name__ == "__main__":
    main()
