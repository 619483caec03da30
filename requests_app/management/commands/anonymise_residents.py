"""``python manage.py anonymise_residents``: the retention job, what Celery beat runs daily."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from requests_app.services import residents_anonymise


class Command(BaseCommand):
    help = (
        "Anonymise residents whose requests and cases were all settled more than "
        "MINQING_RETENTION_YEARS years ago."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count who would be anonymised; change nothing."
        )
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help="Retention period in years (default: MINQING_RETENTION_YEARS).",
        )
        parser.add_argument(
            "--now", help="Run as if it were this ISO time (for drills and tests)."
        )

    def handle(self, *args, dry_run, years, now, **options):
        at = parse_datetime(now) if now else timezone.now()
        if at is None:
            raise CommandError(f"--now: not an ISO date-time: {now!r}")
        if years is None:
            years = settings.MINQING_RETENTION_YEARS
        if years < 1:
            raise CommandError("--years: at least 1.")
        result = residents_anonymise(now=at, years=years, dry_run=dry_run)
        if dry_run:
            self.stdout.write(
                f"dry run, settled before {result.cutoff:%Y-%m-%d %H:%M}: would anonymise "
                f"{result.residents} residents ({result.requests} requests, "
                f"{result.cases} cases linked)"
            )
        else:
            self.stdout.write(
                f"settled before {result.cutoff:%Y-%m-%d %H:%M}: anonymised {result.residents} "
                f"residents, scrubbed {result.requests} requests and {result.cases} cases "
                f"in {result.batches} batches"
            )
