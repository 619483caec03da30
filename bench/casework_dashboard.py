"""The county dashboard over 1,000,000 cases on PostgreSQL, uncached (issue 7: under 300 ms).

Builds its own database (``minqing_bench_dashboard``): a county of 5 towns, 50 communities and
200 grids, 1,000,000 cases opened over the past year, each with its history (opened, assigned,
signed for, resolved, return visit: about 5,000,000 events) filled with ``generate_series``.
The daily rate tallies are rebuilt from those events (as ``manage.py rebuild_rate_tallies``
does). Then times, as medians: the county's dashboard for the last full month without the cache,
the same with the cache warm, and its parts.
"""

from __future__ import annotations

import os
import time

from bench._setup import county, django_on_fresh_database, median, timed

TOTAL = int(os.environ.get("BENCH_CASES", 1_000_000))
DB_NAME = "minqing_bench_dashboard"


def _fill(places, ids) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO casework_case (
                state, version, category_id, unit_id, urgency, title, description,
                owner_unit_id, handler_id, created_by_id, created_at, assigned_at, signed_at,
                sign_due_at, due_soon_at, due_at, next_alert_at, resolved_at, closed_at, result,
                close_reason, satisfaction, escalation_level, reopen_count, return_count
            )
            SELECT 'closed', 5, %(category)s, (%(places)s::bigint[])[1 + g %% %(n)s], 'normal',
                'bench ' || g, '', %(company)s, %(handler)s, %(handler)s,
                t, t + interval '1 hour', t + interval '2 hours', t + interval '3 hours',
                t + interval '5 days', t + interval '7 days', NULL, t + interval '6 days',
                t + interval '7 days', 'done', 'feedback',
                CASE WHEN g %% 10 = 0 THEN 'unsatisfied' ELSE 'satisfied' END, 0, 0, 0
            FROM (
                SELECT g, now() - (g %% 365) * interval '1 day' - (g %% 1440) * interval '1 minute'
                    AS t
                FROM generate_series(1, %(total)s) AS g
            ) AS s
            """,
            {"total": TOTAL, "places": places, "n": len(places), **ids},
        )
        cur.execute(
            """
            INSERT INTO casework_caseevent (case_id, kind, actor_id, created_at, from_state,
                                            to_state, note, data)
            SELECT c.id, e.kind, %(handler)s, c.created_at + e.offset_, e.from_, e.to_, '',
                   CASE e.kind
                     WHEN 'accepted' THEN jsonb_build_object('on_time', c.id %% 7 <> 0)
                     WHEN 'resolved' THEN jsonb_build_object('on_time', c.id %% 9 <> 0)
                     WHEN 'feedback' THEN jsonb_build_object(
                        'solved', c.id %% 10 <> 0, 'satisfaction', c.satisfaction)
                     ELSE '{}'::jsonb END
            FROM casework_case c
            CROSS JOIN (VALUES
                ('opened', interval '0', '', 'new'),
                ('assigned', interval '1 hour', 'new', 'assigned'),
                ('accepted', interval '2 hours', 'assigned', 'in_progress'),
                ('resolved', interval '6 days', 'in_progress', 'resolved'),
                ('feedback', interval '7 days', 'resolved', 'closed')
            ) AS e(kind, offset_, from_, to_)
            """,
            ids,
        )
        cur.execute("ANALYZE")
    return time.perf_counter() - started


def main() -> None:
    django_on_fresh_database(DB_NAME)
    from django.utils import timezone

    from casework.models import Case, CaseEvent
    from casework.selectors import dashboard as d
    from casework.selectors.rates import rate_counts
    from casework.tallies import tallies_rebuild

    the_county, places, ids = county()
    fill = _fill(places, ids)
    print(
        f"cases: {Case.objects.count():,}, events: {CaseEvent.objects.count():,}, "
        f"filled in {fill:.0f} s"
    )
    started = time.perf_counter()
    rows = tallies_rebuild()
    print(
        f"daily rate tallies rebuilt from the events: {rows:,} rows in "
        f"{time.perf_counter() - started:.1f} s"
    )
    today = timezone.localdate()
    last_month = d.month_start(d.month_start(today) - timezone.timedelta(days=1))
    start, end = d.period_bounds(last_month, d.month_start(today) - timezone.timedelta(days=1))

    uncached = timed(
        lambda: d.dashboard(unit=the_county, start=start, end=end, use_cache=False), 5
    )
    d.dashboard(unit=the_county, start=start, end=end)
    cached = timed(lambda: d.dashboard(unit=the_county, start=start, end=end), 5)
    rates_only = timed(lambda: rate_counts(unit=the_county, start=start, end=end), 5)
    trend = timed(lambda: d.rate_trend(unit=the_county, months=d.trend_months(end)), 3)
    print(f"county dashboard, last month, uncached: median {median(uncached) * 1000:8.1f} ms")
    print(f"county dashboard, cached:               median {median(cached) * 1000:8.1f} ms")
    print(f"  of which the month's rates by town:    median {median(rates_only) * 1000:8.1f} ms")
    print(f"  of which the 6-month trend:            median {median(trend) * 1000:8.1f} ms")
    print(f"ratio uncached / cached: {median(uncached) / median(cached):.0f}x")
    print("target: county dashboard under 300 ms uncached over 1,000,000 cases")


if __name__ == "__main__":
    main()
