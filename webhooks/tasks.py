"""Celery tasks: thin, load by id, call a service, safe to run twice (the claim skips)."""

from celery import shared_task


@shared_task(name="webhooks.send_webhook", acks_late=True)
def send_webhook(delivery_id: int) -> str:
    """POST one webhook delivery; failures are rescheduled by the service, not by Celery."""
    from webhooks.services import webhook_send

    return webhook_send(delivery_id=delivery_id)


@shared_task(name="webhooks.send_robot", acks_late=True)
def send_robot(delivery_id: int) -> str:
    from webhooks.services import robot_send

    return robot_send(delivery_id=delivery_id)


@shared_task(name="webhooks.retry_due")
def retry_due() -> int:
    """What beat runs every minute: queue the retries whose time has come."""
    from webhooks.services import outbound_retry_due

    return outbound_retry_due()
