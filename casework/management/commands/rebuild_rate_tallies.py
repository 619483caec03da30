"""``python manage.py rebuild_rate_tallies``: recompute the daily rate tallies from the events.

The tallies are kept as events are written; rebuild them after loading events by other means
(a restore, a bulk import) or to check them.
"""

import time

from django.core.management.base import BaseCommand

from casework.tallies import tallies_rebuild


class Command(BaseCommand):
    help = "Recompute the daily rate tallies (what dashboards sum) from the case events."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = tallies_rebuild()
        self.stdout.write(f"{rows} tallies rebuilt in {time.perf_counter() - started:.1f} s")
