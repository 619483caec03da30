"""The rhythm of 双报到: a registered member reports in on arrival (报到), gives a monthly
account of their service (月度报告), and attends the community's quarterly meeting (季度座谈会).

Each is a dated record of one registration; the month or quarter a record counts for is the
one its date falls in (a report-in counts once). Records are never edited: a wrong one is
withdrawn with a reason and recorded again, so the rows are their own history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.models.evidence import DualRegistration


class CadenceKind(models.TextChoices):
    REPORT_IN = "report_in", _("Reported in on arrival (报到)")
    MONTHLY = "monthly", _("Monthly account (月度报告)")
    QUARTERLY = "quarterly", _("Quarterly meeting (季度座谈会)")


class DualCadenceRecord(models.Model):
    """One report-in, monthly account or quarterly meeting of a registered member."""

    registration = models.ForeignKey(
        DualRegistration,
        on_delete=models.PROTECT,
        related_name="cadence",
        verbose_name=_("registration"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CadenceKind.choices)
    #: 0 for the report-in, the month (1–12) of an account, the quarter (1–4) of a meeting.
    period = models.PositiveSmallIntegerField(_("month or quarter"))
    held_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
        db_index=False,
    )
    withdraw_reason = models.CharField(_("why withdrawn"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("双报到 cadence record")
        verbose_name_plural = _("双报到 cadence records")
        ordering = ["registration_id", "kind", "period", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind", "period"],
                condition=Q(withdrawn_at__isnull=True),
                name="dualcadence_one_per_period",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdraw_reason=""),
                name="dualcadence_withdrawn_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.registration_id} {self.kind} {self.period}"
