"""Visits: a 民情书记 or grid worker going down to a compound to collect requests."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitKind(models.TextChoices):
    SECRETARY = "secretary", _("Minqing secretary's visit")
    FEEDBACK_DAY = "feedback_day", _("Public feedback day")
    GRID_ROUND = "grid_round", _("Grid worker's round")


class Visit(models.Model):
    """One trip to a place (走访), and through its requests what it collected.

    Its counts (collected, answered on the spot, opened as cases) are read from its requests,
    never stored, the way the article reports them: 收集84条，现场解答72条，协助办理12条.
    """

    kind = models.CharField(
        _("kind"), max_length=16, choices=VisitKind.choices, default=VisitKind.SECRETARY
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("visitor"),
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("place"),
        help_text=_("The community, grid or compound visited."),
    )
    visited_at = models.DateTimeField(_("visited at"), db_index=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-id"]
        indexes = [models.Index(fields=["unit", "visited_at"], name="visit_unit_time")]

    def __str__(self):
        return f"{self.unit} {self.visited_at:%Y-%m-%d}"


class VisitReminder(models.Model):
    """A reminder owed to a 民情书记 with no visit yet this month (遍访提醒), once per month.

    Recorded before the inbox notification, in the same transaction: a second run of the task,
    or two at once, hit the unique constraint instead of telling the person again. ``run`` is
    the token of the task run that recorded it, so a run notifies only the rows it wrote.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="visit_reminders",
        verbose_name=_("person"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reminded of."))
    created_at = models.DateTimeField(_("recorded at"))
    run = models.UUIDField(_("run"), db_index=True, help_text=_("The run that recorded it."))

    class Meta:
        verbose_name = _("visit reminder")
        verbose_name_plural = _("visit reminders")
        ordering = ["-month", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "month"], name="visit_reminder_once_per_month"
            )
        ]

    def __str__(self):
        return f"{self.person_id} {self.month:%Y-%m}"
