"""Pledges (承诺档案) and their random checks (双随机践诺检验)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.models.rules import Indicator


class Commitment(models.Model):
    """A pledge of a party member's yearly commitment list (承诺档案), in one of the 9 common
    categories."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("party member"),
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("community"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("category"),
        limit_choices_to={"is_common": True},
    )
    text = models.CharField(_("pledge"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-year", "person_id", "id"]
        indexes = [models.Index(fields=["year", "unit"], name="commitment_year_unit")]

    def __str__(self):
        return f"{self.person} {self.year}: {self.text}"


class VerificationDraw(models.Model):
    """A logged random draw (双随机) of pledges to check, and of the people who check them.

    ``population`` and ``seed`` are kept so anyone can re-run ``scoring.calc.draw_sample`` and
    get the same sample.
    """

    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="verification_draws",
        verbose_name=_("drawn within"),
    )
    year = models.PositiveSmallIntegerField(_("pledges of year"))
    sample_size = models.PositiveSmallIntegerField(_("sample size"))
    seed = models.BigIntegerField(_("seed"))
    population = models.JSONField(_("pledges drawn from"), default=list)
    inspectors = models.JSONField(_("inspectors drawn from"), default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    drawn_at = models.DateTimeField(_("drawn at"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("verification draw")
        verbose_name_plural = _("verification draws")
        ordering = ["-drawn_at", "-id"]

    def __str__(self):
        return f"{self.unit} {self.year} #{self.pk}"


class VerificationOutcome(models.TextChoices):
    PENDING = "pending", _("Not yet visited")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")


class Verification(models.Model):
    """A drawn pledge and the outcome of the visit that checks it (践诺检验)."""

    draw = models.ForeignKey(
        VerificationDraw,
        on_delete=models.PROTECT,
        related_name="verifications",
        verbose_name=_("draw"),
    )
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="verifications",
        verbose_name=_("pledge"),
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspector"),
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=VerificationOutcome.choices,
        default=VerificationOutcome.PENDING,
    )
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    note = models.TextField(_("what residents said"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pledge check")
        verbose_name_plural = _("pledge checks")
        ordering = ["draw_id", "commitment_id"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "commitment"], name="verification_unique"),
            models.CheckConstraint(
                condition=Q(outcome="pending") | Q(visited_on__isnull=False),
                name="verification_outcome_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["visited_on", "outcome"], name="verification_date_outcome")
        ]

    def __str__(self):
        return f"{self.commitment} → {self.outcome}"
