"""``python manage.py draw_callbacks [--month 2026-03] [--seed N]``: draw a month's call-back
samples (抽查回访), as beat does on the first of each month for the month before."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework.errors import DomainError
from requests_app.services.callbacks import (
    callback_samples_draw,
    month_before,
    month_parse,
    month_start,
)


class Command(BaseCommand):
    help = (
        "Draw every worker's call-back sample of a month that has ended (default: last month). "
        "A worker's month already drawn is not drawn again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="The month, e.g. 2026-03 (default: last month).")
        parser.add_argument(
            "--seed", type=int, default=None, help="Use this seed for every sample (to reproduce)."
        )

    def handle(self, *args, month, seed, **options):
        try:
            last = month_before(month_start(timezone.localdate()))
            which = month_parse(month) if month else last
            result = callback_samples_draw(month=which, seed=seed)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from None
        for sample in result.drawn:
            self.stdout.write(
                f"{sample.month:%Y-%m} worker {sample.worker_id}: {sample.size} of "
                f"{sample.population_size} at {sample.rate}%"
                f"{' (raised)' if sample.raised else ''}{' FLAGGED' if sample.flagged else ''}"
                f", seed {sample.seed}"
            )
        self.stdout.write(
            f"{which:%Y-%m}: drew {len(result.drawn)} samples; {result.already} drawn already"
        )
