"""Reminders owed by deadlines, the in-app inbox, outbound deliveries and the sweep's log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("Case assigned to you")
    RETURNED = "returned", _("Case returned")
    RESOLVED = "resolved", _("Case resolved: visit the resident")
    REOPENED = "reopened", _("Case reopened for redo")
    SIGN_OVERDUE = "sign_overdue", _("Not signed for in time")
    DUE_SOON = "due_soon", _("Due soon")
    DUE_NOW = "due_now", _("Due now")
    ESCALATED = "escalated", _("Overdue case escalated to you")
    CHASED = "chased", _("Chased by a supervisor")
    DIGEST = "digest", _("Daily digest")
    TRANSFERRED = "transferred", _("Case transferred to you")
    CO_HANDLING = "co_handling", _("Your unit is asked to co-handle a case")
    CO_DUE_SOON = "co_due_soon", _("Your part of a case is due soon")
    CO_OVERDUE = "co_overdue", _("Your part of a case is overdue")
    CO_REPORTED = "co_reported", _("A co-handler reported its part")
    EXTENSION = "extension", _("Extension applied for")
    EXTENSION_DECIDED = "ext_decided", _("Extension decided")
    PARK_REVIEW = "park_review", _("Parked case due for review")
    REVEAL_BURST = "reveal_burst", _("Many personal numbers shown in full")
    APPEAL_FILED = "appeal_filed", _("An appeal of points awaits your decision")
    APPEAL_DECIDED = "appeal_decided", _("Your appeal of points is decided")
    CALLBACKS_DRAWN = "callbacks_drawn", _("Call-backs drawn for you to check")
    VISIT_REMINDER = "visit_remind", _("No visit to your community yet this month")
    RATING_DISPUTED = "rating_disputed", _("A resident's rating disagrees with the return visit")


class Reminder(models.Model):
    """A reminder a deadline owes (提醒). Recorded before anything is sent, once per key.

    The key is the case, the kind, the escalation level and the deadline it is about: re-running
    the sweep, two beat processes or a retried task all hit the unique constraint instead of
    sending again; a new deadline after reassignment owes its own reminders.
    """

    case = models.ForeignKey(
        "casework.Case", on_delete=models.CASCADE, related_name="reminders", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), default=0)
    deadline = models.DateTimeField(_("deadline"))
    created_at = models.DateTimeField(_("recorded at"))
    sweep = models.UUIDField(_("sweep"), db_index=True, help_text=_("The sweep that recorded it."))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "level", "deadline"], name="reminder_once_per_key"
            )
        ]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.level}"


class Notification(models.Model):
    """A message in a person's in-app inbox (站内消息), written with its cause."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("case"),
    )
    text = models.CharField(_("text"), max_length=300)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["user"], name="notification_unread", condition=Q(read_at__isnull=True)
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def read(self) -> bool:
        return self.read_at is not None


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class NotificationPreference(models.Model):
    """Which channels besides the inbox a person wants, and whether they want the daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("person"),
    )
    email = models.BooleanField(_("email"), default=False)
    sms = models.BooleanField(_("SMS"), default=False)
    digest = models.BooleanField(_("daily digest"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One notification on one outbound channel, claimed by exactly one worker at a time."""

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("notification"),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="delivery_unsent",
                condition=Q(status__in=["pending", "sending"]),
            )
        ]

    def __str__(self):
        return f"{self.notification_id} {self.channel} {self.status}"


class SweepRun(models.Model):
    """When the deadline sweep last ran and what it did, for /healthz and for operators."""

    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    now = models.DateTimeField(_("sweep time"), help_text=_("The time the sweep swept for."))
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        verbose_name = _("sweep run")
        verbose_name_plural = _("sweep runs")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M:%S}"
