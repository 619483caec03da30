"""Personal API tokens (个人接口令牌): a person's keys for tablets and integrations.

Only a SHA-256 digest of each key is stored; the key itself is shown once, when it is made. The
first characters (``prefix``) are kept in clear to find the row and to tell tokens apart.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Characters of the key kept in clear: looked up by, and shown to tell tokens apart.
PREFIX_LENGTH = 8


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=64)
    prefix = models.CharField(_("key prefix"), max_length=PREFIX_LENGTH, db_index=True)
    key_hash = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_live")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
