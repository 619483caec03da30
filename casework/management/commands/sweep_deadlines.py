"""``python manage.py sweep_deadlines``: one deadline sweep, what Celery beat runs every minute."""

import time

from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_datetime

from casework.services.sweep import deadline_sweep


class Command(BaseCommand):
    help = "Send the reminders deadlines owe and escalate overdue cases (one sweep)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            help="Keep sweeping every N seconds (for a machine without Celery beat).",
        )
        parser.add_argument(
            "--now", help="Sweep as if it were this ISO time (for drills and tests)."
        )

    def handle(self, *args, every, now, **options):
        at = parse_datetime(now) if now else None
        if now and at is None:
            self.stderr.write(f"--now: not an ISO date-time: {now!r}")
            raise SystemExit(2)
        while True:
            run = deadline_sweep(now=at)
            counts = ", ".join(f"{k} {v}" for k, v in sorted(run.counts.items())) or "nothing owed"
            self.stdout.write(f"{run.now:%Y-%m-%d %H:%M:%S} sweep: {counts}")
            if not every:
                return
            time.sleep(every)
