"""The public door: what a resident files, the voices added to a request, spent challenges.

A request filed at the door is an ordinary ``requests_app.Request`` (channel ``online``,
collected by the county's service account); ``DoorReport`` records that it came through the
door and how its category was chosen. ``Voice`` is another resident saying "this is my problem
too" (附议): the request's record of who else raised it, and its history. Both carry a keyed hash
of the resident's phone and of the client's address, never the number or the address in clear:
they count the per-phone and per-address budgets, nothing else reads them.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["CategorySource", "DoorReport", "SpentChallenge", "Voice"]


class CategorySource(models.TextChoices):
    CHOSEN = "chosen", _("Chosen by the resident")
    SUGGESTED = "suggested", _("Suggested from the text")
    FALLBACK = "fallback", _("Default category (no suggestion)")


class DoorReport(models.Model):
    """A request a resident filed on the public page or its API twin (网上报事)."""

    request = models.OneToOneField(
        "requests_app.Request",
        on_delete=models.PROTECT,
        related_name="door_report",
        verbose_name=_("request"),
    )
    category_source = models.CharField(
        _("category from"), max_length=16, choices=CategorySource.choices
    )
    phone_hash = models.CharField(_("phone look-up hash"), max_length=64, editable=False)
    address_hash = models.CharField(_("client address hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)

    class Meta:
        verbose_name = _("request filed online")
        verbose_name_plural = _("requests filed online")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["phone_hash", "created_at"], name="doorreport_phone_time"),
            models.Index(fields=["address_hash", "created_at"], name="doorreport_addr_time"),
        ]

    def __str__(self):
        return str(self.request_id)


class Voice(models.Model):
    """Another resident raising an open request as their own (附议), once per phone."""

    request = models.ForeignKey(
        "requests_app.Request",
        on_delete=models.PROTECT,
        related_name="voices",
        verbose_name=_("request"),
    )
    phone_hash = models.CharField(_("phone look-up hash"), max_length=64, editable=False)
    address_hash = models.CharField(_("client address hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("added voice")
        verbose_name_plural = _("added voices")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "phone_hash"], name="voice_once_per_phone")
        ]
        indexes = [
            models.Index(fields=["address_hash", "created_at"], name="voice_addr_time"),
        ]

    def __str__(self):
        return f"{self.request_id} +1"


class SpentChallenge(models.Model):
    """A solved proof-of-work challenge already used: a payload is good for one submission.
    Kept until the challenge expires (it is refused as expired after that anyway)."""

    nonce = models.CharField(_("nonce"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("spent challenge")
        verbose_name_plural = _("spent challenges")

    def __str__(self):
        return self.nonce
