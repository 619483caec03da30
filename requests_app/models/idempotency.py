"""Idempotency keys: a resent create answers with the first response and creates nothing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A client-made key (a UUID) used once per person, with the answer it got.

    The unique constraint on ``(user, key)`` is what makes two concurrent posts with one key
    create one request: the second insert waits for the first transaction and then fails.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    key = models.UUIDField(_("key"))
    endpoint = models.CharField(_("endpoint"), max_length=64)
    fingerprint = models.CharField(
        _("body fingerprint"), max_length=64, help_text=_("SHA-256 of the request body.")
    )
    status_code = models.PositiveSmallIntegerField(_("status code"))
    response = models.JSONField(_("response"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_user_key"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.key}"
