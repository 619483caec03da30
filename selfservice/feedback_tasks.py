"""The rating SMS as a Celery task: thin, loads the link by id, calls the service."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="selfservice.send_rating_sms",
    bind=True,
    acks_late=True,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_rating_sms(self, link_id: int, token: str) -> bool:
    """Send the SMS of one rating link; the token travels only here and in the SMS (the
    database keeps its digest). A provider failure is retried; a link sent, used or expired is
    skipped."""
    from selfservice.feedback import rating_sms_send

    try:
        return rating_sms_send(link_id=link_id, token=token)
    except Exception as exc:
        raise self.retry(exc=exc) from exc
