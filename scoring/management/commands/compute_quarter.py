"""``python manage.py compute_quarter 2026Q3 [--publish]``: compute (and publish) a quarter."""

from django.core.management.base import BaseCommand, CommandError

from casework.errors import DomainError
from scoring.services import quarter_compute, quarter_publish


class Command(BaseCommand):
    help = (
        "Compute a quarter's ledger and ranking (written 2026Q3). A quarter in progress gives a "
        "provisional ranking; --publish also publishes an ended quarter, freezing it."
    )

    def add_arguments(self, parser):
        parser.add_argument("quarter", help="The quarter, e.g. 2026Q3.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish it once computed (ended quarters)."
        )

    def handle(self, *args, quarter, publish, **options):
        try:
            computed = quarter_compute(quarter=quarter, actor=None)
            if publish:
                computed = quarter_publish(quarter=computed, actor=None)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        state = computed.get_status_display()
        if computed.is_provisional:
            state = f"{state} (provisional)"
        self.stdout.write(
            self.style.SUCCESS(
                f"{computed.code}: {state}; {computed.entry_count} ledger entries, "
                f"{computed.result_count} ranked workers and communities."
            )
        )
