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
import time
from datetime import timedelta

from bench._setup import county, django_on_fresh_database, median, timed

TOTAL = int(os.environ.get("BENCH_CASES", 1_000_000))
OPEN = int(os.environ.get("BENCH_OPEN", 200_000))
DB_NAME = "minqing_bench_sweep"


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


def main() -> None:
    django_on_fresh_database(DB_NAME)
    from django.db import connection
    from django.utils import timezone

    from casework import alerts
    from casework.models import Case, Reminder
    from casework.services.cases import escalation_period
    from casework.services.sweep import deadline_sweep

    _county, places, ids = county()
    fill = _fill(places, ids["company"], ids["handler"], ids["category"])
    print(f"cases: {Case.objects.count():,} ({OPEN:,} open), filled in {fill:.1f} s")
    now = timezone.now()

    idle = timed(lambda: deadline_sweep(now=now), 7)

    steady = []
    for _ in range(7):
        _make_due(300, now)
        steady += timed(lambda: deadline_sweep(now=now), 1)
    owed_steady = Reminder.objects.count()

    _make_due(20_000, now)
    catch_up = timed(lambda: deadline_sweep(now=now), 1)

    period = escalation_period()

    def naive():
        for case in Case.objects.filter(state__in=["assigned", "in_progress"]).iterator(
            chunk_size=5000
        ):
            alerts.owed(alerts.clock_of(case), now, period)

    naive_times = timed(naive, 3)
    with connection.cursor() as cur:
        cur.execute(
            "EXPLAIN SELECT id FROM casework_case WHERE next_alert_at <= %s LIMIT 500", [now]
        )
        plan = cur.fetchone()[0]

    med = median
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
