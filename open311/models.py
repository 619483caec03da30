"""Keys issued to Open311 integrations, and what each request filed through one brought along."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Key(models.Model):
    """An API key issued to one integration (a hotline platform, a civic app).

    Only the SHA-256 of the key is kept (the key is 256 random bits, so a fast hash is enough);
    the key itself is shown once, when made. Requests filed with the key are collected by its
    ``account``, a service account that cannot sign in and holds a volunteer's (collector's)
    role over ``unit``: the intake service checks it like any collector's, so a key can file
    requests only within its unit.
    """

    name = models.CharField(_("name"), max_length=64, unique=True)
    key_hash = models.CharField(_("key (SHA-256)"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("key begins"), max_length=8, editable=False, help_text=_("To tell keys apart.")
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("Requests filed with this key are about places in this unit."),
    )
    fallback_place = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fallback place"),
        help_text=_(
            "A grid, compound or building in the unit, for requests whose location matches no "
            "known place. Empty: such requests are refused."
        ),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="open311_key",
        verbose_name=_("service account"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 key")
        verbose_name_plural = _("Open311 keys")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Open311Submission(models.Model):
    """What a request filed through Open311 brought beyond the request itself.

    ``media_url`` is the client's link, kept as given and never fetched; ``address_string`` is
    the location as the client wrote it (also copied into the request's description, where staff
    read it). ``token`` answers ``GET tokens/{token}``.
    """

    request = models.OneToOneField(
        "requests_app.Request",
        on_delete=models.PROTECT,
        related_name="open311",
        verbose_name=_("request"),
    )
    key = models.ForeignKey(
        Open311Key, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("key")
    )
    token = models.CharField(_("token"), max_length=32, unique=True)
    media_url = models.CharField(_("media URL"), max_length=500, blank=True)
    address_string = models.CharField(_("address as given"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 submission")
        verbose_name_plural = _("Open311 submissions")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.token
