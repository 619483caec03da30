"""Celery tasks for intake: thin, they call a service."""

from celery import shared_task

from requests_app.services import idempotency_prune


@shared_task(name="requests_app.prune_idempotency_keys")
def prune_idempotency_keys() -> int:
    """Forget idempotency keys older than 30 days (run daily from beat)."""
    return idempotency_prune()
