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
