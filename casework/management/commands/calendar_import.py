"""``python manage.py calendar_import FILE.csv [--year 2027]``: a calendar year from a file."""

from argparse import RawDescriptionHelpFormatter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from casework.calendar import CSV_FORMAT_HELP, parse_calendar_csv
from casework.errors import DomainError
from casework.services.calendar import calendar_import


class _HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Django's order of options, with the line breaks of the format description kept."""


class Command(BaseCommand):
    help = (
        "Import the official holidays and make-up workdays (调休) of a year from a CSV\n"
        "file, replacing what the calendar held for that year, and mark the year known.\n"
        "All or nothing: a bad line is reported by its number and nothing is written.\n\n"
        + CSV_FORMAT_HELP
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8): date,is_workday,name.")
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="Refuse the file unless every date falls in this year.",
        )

    def handle(self, *args, file, year, **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"No such file: {path}") from None
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV."
            ) from None
        try:
            entries = parse_calendar_csv(text, year=year)
            result = calendar_import(entries=entries, note=path.name)
        except DomainError as exc:
            raise CommandError(f"{path}: nothing imported.\n{exc.message}") from None
        years = ", ".join(str(y) for y in result.years)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.days} calendar days for {years} "
                f"(replacing {result.replaced}); marked known."
            )
        )
