"""Celery tasks for intake: thin, they call a service."""

from celery import shared_task

from requests_app.services import idempotency_prune


@shared_task(name="requests_app.prune_idempotency_keys")
def prune_idempotency_keys() -> int:
    """Forget idempotency keys older than 30 days (run daily from beat)."""
    return idempotency_prune()


@shared_task(name="requests_app.anonymise_residents")
def anonymise_residents() -> dict:
    """Anonymise residents settled more than ``MINQING_RETENTION_YEARS`` ago (daily from beat).

    Safe to run twice: an anonymised resident is never picked again.
    """
    from dataclasses import asdict

    from django.conf import settings
    from django.utils import timezone

    from requests_app.services import residents_anonymise

    result = residents_anonymise(now=timezone.now(), years=settings.MINQING_RETENTION_YEARS)
    return {**asdict(result), "cutoff": result.cutoff.isoformat()}


@shared_task(name="requests_app.remind_visits")
def remind_visits() -> int:
    """Remind 民情书记 with no visit this month, from ``MINQING_VISIT_REMINDER_DAY`` on (daily
    from beat). Safe to run twice, or twice at once: each person is told once a month."""
    from django.utils import timezone

    from requests_app.services.visit_reminders import visit_reminders_send

    return visit_reminders_send(now=timezone.now())


@shared_task(name="requests_app.draw_callback_samples")
def draw_callback_samples() -> dict:
    """Draw last month's call-back samples (抽查回访), on the first of each month from beat.

    Safe to run twice: a worker's month is drawn once (``callback_sample_once``)."""
    from django.utils import timezone

    from requests_app.services.callbacks import (
        callback_samples_draw,
        month_before,
        month_start,
    )

    month = month_before(month_start(timezone.localdate()))
    result = callback_samples_draw(month=month)
    return {"month": f"{month:%Y-%m}", "drawn": len(result.drawn), "already": result.already}
