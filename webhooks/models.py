"""Webhook endpoints and their deliveries; units' group robots and theirs.

Both kinds of delivery are written in the transaction that recorded the case event (so a rolled
back change leaves none), sent after commit by Celery, and claimed by one conditional ``UPDATE``
before anything goes out, as casework's email/SMS deliveries are.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    """What a webhook endpoint can subscribe to: the case events integrations care about."""

    OPENED = "case.opened", _("Case opened")
    ASSIGNED = "case.assigned", _("Case assigned")
    RESOLVED = "case.resolved", _("Case resolved")
    CLOSED = "case.closed", _("Case closed")
    OVERDUE = "case.overdue", _("Case overdue")


class SendStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Endpoint(models.Model):
    """A URL an integration gave us (a hotline platform, a city app), told of chosen events.

    ``secret`` signs every delivery (HMAC-SHA256); it is generated, never typed, and shown in
    full only to superusers.
    """

    name = models.CharField(_("name"), max_length=80)
    url = models.URLField(_("URL"), max_length=500)
    event_types = models.JSONField(
        _("event types"), default=list, help_text=_("The events this endpoint is told of.")
    )
    secret = models.CharField(_("signing secret"), max_length=64)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"))
    secret_rotated_at = models.DateTimeField(_("secret made at"))

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class WebhookDelivery(models.Model):
    """One case event for one endpoint: its body, fixed when the event happened, and its fate."""

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event_type = models.CharField(_("event type"), max_length=24, choices=EventType.choices)
    event_key = models.CharField(
        _("event key"), max_length=64, help_text=_("The event's id, the same for every endpoint.")
    )
    body = models.TextField(_("body"), help_text=_("The JSON sent, unchanged by retries."))
    status = models.CharField(
        _("status"), max_length=8, choices=SendStatus.choices, default=SendStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("Attempts since it was queued or replayed.")
    )
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("last response code"), null=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    replays = models.PositiveSmallIntegerField(_("replays"), default=0)
    replayed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last replayed by"),
    )
    replayed_at = models.DateTimeField(_("last replayed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_key"], name="webhook_once_per_endpoint"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_due",
                condition=Q(status__in=["pending", "sending"]),
            )
        ]

    def __str__(self):
        return f"{self.event_type} {self.event_key} → {self.endpoint_id}"


class DeliveryAttempt(models.Model):
    """One POST of a webhook delivery, kept for the admin: when, what came back."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.CASCADE,
        related_name="attempt_log",
        verbose_name=_("delivery"),
    )
    at = models.DateTimeField(_("at"))
    replay = models.BooleanField(_("replay"), default=False)
    timestamp = models.PositiveBigIntegerField(_("signed timestamp"))
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True)
    response_body = models.CharField(_("response (start)"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.delivery_id} {self.response_code or self.error[:20]}"

    @property
    def ok(self) -> bool:
        return self.response_code is not None and 200 <= self.response_code < 300


class RobotKind(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot (企业微信)")
    DINGTALK = "dingtalk", _("DingTalk group robot (钉钉)")


class UnitRobot(models.Model):
    """A unit's group chat robot (群机器人): the unit's reminders and escalations are posted there.

    It receives them for cases in the unit's subtree and cases the unit handles. ``url`` is the
    robot's webhook address (it holds the robot's key); ``secret`` is DingTalk's signing secret
    (加签, ``SEC…``), unused by WeCom.
    """

    unit = models.ForeignKey(
        "casework.OrgUnit", on_delete=models.CASCADE, related_name="robots", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=RobotKind.choices)
    name = models.CharField(_("name"), max_length=80)
    url = models.URLField(_("robot webhook URL"), max_length=500)
    secret = models.CharField(_("signing secret (DingTalk)"), max_length=128, blank=True)
    reminders = models.BooleanField(_("reminders"), default=True)
    escalations = models.BooleanField(_("escalations"), default=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name


class RobotDelivery(models.Model):
    """One reminder or escalation for one robot, claimed by exactly one worker at a time."""

    robot = models.ForeignKey(
        UnitRobot, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("robot")
    )
    event_key = models.CharField(_("event key"), max_length=64)
    text = models.CharField(_("text"), max_length=500)
    status = models.CharField(
        _("status"), max_length=8, choices=SendStatus.choices, default=SendStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("last response code"), null=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("robot message")
        verbose_name_plural = _("robot messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["robot", "event_key"], name="robot_once_per_event")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="robot_due",
                condition=Q(status__in=["pending", "sending"]),
            )
        ]

    def __str__(self):
        return f"{self.robot_id} {self.event_key} {self.status}"
