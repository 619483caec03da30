"""Access records: who saw a resident's phone or ID number in full, and when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalField(models.TextChoices):
    PHONE = "phone", _("phone")
    ID_NUMBER = "id_number", _("ID number")


class PersonalDataAccess(models.Model):
    """One showing of a personal field in full (查看记录); append-only."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    field = models.CharField(_("what"), max_length=16, choices=PersonalField.choices)
    resident = models.ForeignKey(
        "requests_app.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accesses",
        verbose_name=_("resident"),
    )
    request = models.ForeignKey(
        "requests_app.Request",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accesses",
        verbose_name=_("request"),
    )
    reason = models.CharField(
        _("reason"), max_length=200, blank=True, help_text=_("Why it was shown, as given.")
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The throttle counts one person's recent reveals.
            models.Index(fields=["actor", "created_at"], name="access_by_actor"),
        ]

    def __str__(self):
        return f"{self.actor_id} {self.field} {self.created_at:%Y-%m-%d %H:%M}"
