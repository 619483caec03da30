"""Residents: the people who ask, as records of their own."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``: the first three and the last four digits stay."""
    if not phone:
        return ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


class Resident(models.Model):
    """A resident who asked for something (居民).

    Recognised by phone within the collector's scope: ``phone_hash``, a keyed hash of the
    normalised number, finds a repeat caller among the residents the collector may see, so a
    repeat caller is one record with one history there; the same number collected outside that
    scope makes a record of its own, and reveals nothing of this one. The phone is kept in
    clear because staff call residents back every day (回访); it is masked in every list,
    export and log, and shown in full only through
    ``requests_app.services.resident_phone_reveal``, which writes an access record.
    """

    name = models.CharField(_("name"), max_length=64, blank=True)
    phone = models.CharField(
        _("phone"),
        max_length=16,
        blank=True,
        help_text=_("Normalised: mobile numbers as 11 digits, landlines with their area code."),
    )
    phone_hash = models.CharField(
        _("phone look-up hash"),
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("A keyed hash of the normalised phone, for look-ups."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("lives in"),
        help_text=_("The compound or building, where known."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    anonymised_at = models.DateTimeField(
        _("anonymised at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the retention job removed this resident's personal data."),
    )

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name or self.phone_masked or f"#{self.pk}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
