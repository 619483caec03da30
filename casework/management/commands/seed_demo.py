"""``python manage.py seed_demo``: the one place that makes demo data.

Each app may have a ``demo`` module with ``STEPS = [(order, name, function), ...]``; the steps of
all apps run in order with one shared, seeded context, so the data is the same on every run.
"""

import random
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from casework.demo import DEMO_LOGINS, DemoContext, already_seeded


def demo_steps():
    steps = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if find_spec(module_name) is None:
            continue
        steps.extend(import_module(module_name).STEPS)
    return sorted(steps, key=lambda step: step[0])


class Command(BaseCommand):
    help = "Build the demo data (the Yulin places of the seed article), once."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--now",
            help="Build the year up to this ISO time instead of the present (the same seed and "
            "the same --now give the same data).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the demo data is already there.",
        )

    def handle(self, *args, seed, if_empty, now=None, **options):
        if already_seeded():
            if if_empty:
                self.stdout.write("Demo data is already loaded.")
                self._print_logins()
                return
            raise CommandError("Demo data is already loaded; use a fresh database to rebuild it.")
        at = timezone.now()
        if now:
            at = parse_datetime(now)
            if at is None or timezone.is_naive(at):
                raise CommandError(f"--now: not an ISO date-time with a time zone: {now!r}")
        # Seeded on purpose: the same seed builds the same demo (no secret comes from it).
        ctx = DemoContext(rng=random.Random(seed), now=at, out=self.stdout)  # noqa: S311
        for _order, name, function in demo_steps():
            self.stdout.write(f"Building {name}…")
            function(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data built."))
        self._print_logins()

    def _print_logins(self):
        self.stdout.write(f"Demo logins (password {settings.MINQING_DEMO_PASSWORD}):")
        for username, what in DEMO_LOGINS.items():
            self.stdout.write(f"  {username:16} {what}")
        if not settings.DEBUG:
            self.stdout.write(self.style.WARNING("DEBUG is off: demo logins are refused."))
