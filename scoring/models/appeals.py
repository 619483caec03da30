"""Appeals (申诉): a worker disputes an entry of a computed, unpublished quarter.

Derived entries are replaced each time a quarter is computed, so an appeal keeps a snapshot of
the disputed entry and finds it again by ``entry_key`` (the source and category of a derived
entry, the id of a manual one), never by the row it was filed against.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.models.ledger import Quarter, ScoreEntry
from scoring.models.rules import Indicator


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the county's decision")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def entry_key(entry: ScoreEntry) -> str:
    """What identifies an entry across computations: a derived entry by its source and category
    (one per subject), a manual one (kept by computing) by its id."""
    if entry.manual:
        return f"manual:{entry.pk}"
    return f"{entry.source}:{entry.indicator_id}"


class Appeal(models.Model):
    """A worker's dispute of one of their ledger entries, and the county's decision on it.

    Written by ``scoring.services.appeals`` only. An upheld appeal writes a manual entry (the
    ``correction``) worth ``adjustment`` = corrected points − disputed points.
    """

    quarter = models.ForeignKey(
        Quarter, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("quarter")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="score_appeals",
        verbose_name=_("appellant"),
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("Where the appellant was ranked; the county above it decides."),
    )
    # The disputed entry, as it was when the appeal was filed.
    entry_key = models.CharField(_("entry"), max_length=60)
    entry_id_filed = models.PositiveBigIntegerField(_("entry id when filed"), null=True)
    source = models.CharField(_("source"), max_length=40)
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("indicator category"),
        db_index=False,
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    points = models.DecimalField(_("disputed points"), max_digits=10, decimal_places=2)
    refs = models.TextField(_("evidence ids"), blank=True)
    entry_text = models.TextField(_("entry as shown"), blank=True)
    # The worker's case.
    reason = models.TextField(_("reason"))
    evidence_text = models.TextField(_("evidence"), blank=True)
    evidence_photo = models.FileField(
        _("evidence photo"), upload_to="scoring/appeals/", max_length=200, blank=True
    )
    filed_at = models.DateTimeField(_("filed at"))
    status = models.CharField(
        _("status"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    # The county's decision.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
        db_index=False,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    corrected_points = models.DecimalField(
        _("corrected points"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    adjustment = models.DecimalField(
        _("adjustment"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    correction = models.ForeignKey(
        ScoreEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("correcting entry"),
    )

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarter", "person", "entry_key"],
                condition=Q(status="pending"),
                name="appeal_one_pending_per_entry",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "withdrawn"]) | ~Q(decision_reason=""),
                name="appeal_decision_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["quarter", "status"], name="appeal_quarter_status"),
            models.Index(fields=["person", "-filed_at"], name="appeal_person"),
        ]

    def __str__(self):
        return f"{self.quarter_id} {self.person_id} {self.entry_key} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status == AppealStatus.PENDING


class AppealEventKind(models.TextChoices):
    FILED = "filed", _("Filed")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AppealEvent(models.Model):
    """What was done to an appeal, by whom and when; append-only."""

    appeal = models.ForeignKey(
        Appeal, on_delete=models.PROTECT, related_name="events", verbose_name=_("appeal")
    )
    kind = models.CharField(_("action"), max_length=16, choices=AppealEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
        db_index=False,
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("appeal event")
        verbose_name_plural = _("appeal events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.appeal_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
