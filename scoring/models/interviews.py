"""The 约谈 list: corrective talks with the lowest scorers, and what followed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.models.rules import Subject


class InterviewReason(models.TextChoices):
    LOWEST = "lowest", _("Among the lowest of the town")
    BELOW_THRESHOLD = "below_threshold", _("Total below the threshold")


class InterviewStatus(models.TextChoices):
    PENDING = "pending", _("To be held")
    HELD = "held", _("Held")


class Interview(models.Model):
    """A corrective talk (约谈) owed by a low scorer of a published quarter.

    Created when the quarter is published, from its results; a talk that was held stays even if
    the quarter is reopened and the person no longer qualifies.
    """

    quarter = models.ForeignKey(
        "scoring.Quarter",
        on_delete=models.PROTECT,
        related_name="interviews",
        verbose_name=_("quarter"),
    )
    subject = models.CharField(_("subject"), max_length=16, choices=Subject.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
        verbose_name=_("worker"),
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="interviews",
        verbose_name=_("unit"),
    )
    reason = models.CharField(_("reason"), max_length=24, choices=InterviewReason.choices)
    total = models.DecimalField(_("total"), max_digits=10, decimal_places=2)
    rank_in_town = models.PositiveIntegerField(_("rank in town"), null=True, blank=True)
    town_size = models.PositiveIntegerField(_("ranked in town"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InterviewStatus.choices,
        default=InterviewStatus.PENDING,
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("held by"),
    )
    interviewee = models.CharField(
        _("talked with"),
        max_length=64,
        blank=True,
        help_text=_("For a community: the party branch secretary who was talked with."),
    )
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    follow_up = models.TextField(_("follow-up"), max_length=2000, blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    annual_grade_lowered = models.BooleanField(
        _("annual evaluation one grade lower"), default=False
    )
    bonus_withheld = models.BooleanField(_("performance bonus withheld"), default=False)
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
    created_at = models.DateTimeField(_("listed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("corrective talk")
        verbose_name_plural = _("corrective talks")
        ordering = ["quarter_id", "subject", "total", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarter", "person"],
                condition=Q(person__isnull=False),
                name="interview_unique_person",
            ),
            models.UniqueConstraint(
                fields=["quarter", "unit"],
                condition=Q(subject="community"),
                name="interview_unique_community",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | (Q(held_on__isnull=False) & ~Q(notes="")),
                name="interview_held_has_date_and_notes",
            ),
        ]

    def __str__(self):
        return f"{self.quarter_id} {self.person or self.unit}"

    @property
    def subject_name(self) -> str:
        return str(self.person) if self.person_id else str(self.unit)
