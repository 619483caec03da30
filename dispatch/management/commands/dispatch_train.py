"""``python manage.py dispatch_train``: train a new version of the suggestion model now."""

from django.core.management.base import BaseCommand

from dispatch.services import model_train


def _pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class Command(BaseCommand):
    help = "Train the dispatch suggestion model from the history and make it active."

    def handle(self, *args, **options):
        version = model_train(actor=None)
        self.stdout.write(
            f"Version {version.pk} ({version.kind}): {version.samples} requests, "
            f"{version.classes} categories; held out {version.heldout_size}: "
            f"top-1 {_pct(version.top1)}, top-3 {_pct(version.top3)}; "
            f"{version.metrics.get('seconds', 0):.1f} s"
        )
        if version.fallback_reason:
            self.stdout.write(self.style.WARNING(str(version.fallback_reason)))
