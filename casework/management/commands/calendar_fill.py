"""``python manage.py calendar_fill [--years 2004-2026]``: the calendar from chinese-calendar."""

from django.core.management.base import BaseCommand, CommandError

from casework.calendar import package_years, parse_years
from casework.errors import DomainError
from casework.services.calendar import calendar_fill


class Command(BaseCommand):
    help = (
        "Fill the working-day calendar with the official holidays and make-up workdays (调休) "
        "that the installed chinese-calendar package knows, and mark those years known. "
        "Idempotent: entries from the package are added, corrected or removed; entries an "
        "administrator made or a file imported are kept. Run it after upgrading the package."
    )

    def add_arguments(self, parser):
        years = package_years()
        parser.add_argument(
            "--years",
            default=None,
            help=(
                "Years to fill: 2025, 2004-2026 or 2024,2025 "
                f"(default: all the package knows, {years[0]}-{years[-1]})."
            ),
        )

    def handle(self, *args, years, **options):
        try:
            wanted = parse_years(years) if years else None
        except ValueError as exc:
            raise CommandError(f"--years: {exc}") from None
        try:
            result = calendar_fill(years=wanted)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        span = f"{result.years[0]}-{result.years[-1]}" if result.years else "-"
        self.stdout.write(
            self.style.SUCCESS(
                f"Calendar filled for {span}: {result.created} added, {result.updated} "
                f"corrected, {result.deleted} removed, {result.kept} entered by hand kept."
            )
        )
