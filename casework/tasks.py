"""Celery tasks: thin, load by id, call a service, safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError as DatabaseError
from django.utils import timezone

log = logging.getLogger("minqing.tasks")


@shared_task(
    bind=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=3,
)
def sweep_deadlines(self) -> dict:
    """What beat runs every minute: one deadline sweep, recording how long it waited in its
    queue (beat gives each sweep an expiry one period after it was sent)."""
    from casework.services.sweep import deadline_sweep, queue_wait

    run = deadline_sweep(waited=queue_wait(self.request.expires, now=timezone.now()))
    return run.counts


@shared_task(
    bind=True,
    acks_late=True,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def deliver(self, delivery_id: int) -> str:
    """Send one email or SMS. A delivery already claimed or sent is skipped, so a retry or a
    second copy of the message sends nothing twice."""
    from casework.services.notifications import delivery_send

    try:
        return delivery_send(delivery_id=delivery_id)
    except Exception as exc:
        log.warning("delivery %s failed: %s", delivery_id, exc)
        raise self.retry(exc=exc) from exc


@shared_task
def daily_digest() -> int:
    """Each person's morning list of what is due today and what is overdue."""
    from casework.services.digest import digest_send

    return digest_send()
