"""The inbox as its owner sees it: nobody reads another person's notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from casework.models import Notification


def notification_list(*, viewer, unread: bool = False) -> QuerySet[Notification]:
    """``viewer``'s notifications, newest first, with their cases; only the unread ones when
    ``unread``."""
    if viewer is None or not viewer.is_authenticated:
        return Notification.objects.none()
    notifications = Notification.objects.filter(user=viewer)
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.select_related("case").order_by("-created_at", "-id")
