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
