"""The working-day calendar as data: the dates that break the Monday–Friday rule, and the years
whose official arrangement is known in full. Read through ``casework.selectors.calendar``;
written through ``casework.services.calendar``."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarSource(models.TextChoices):
    PACKAGE = "package", _("chinese-calendar package")
    ADMIN = "admin", _("entered by an administrator")
    IMPORT = "import", _("imported from a file")


class CalendarDay(models.Model):
    """A public holiday on a weekday (节假日) or a weekend day worked in lieu (调休上班)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"),
        help_text=_(
            "Ticked: a weekend day made a working day (调休上班). "
            "Not ticked: a day off (a public holiday)."
        ),
    )
    name = models.CharField(
        _("name"), max_length=64, blank=True, help_text=_("For example 国庆节.")
    )
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=CalendarSource.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class CalendarYear(models.Model):
    """A year whose official holiday arrangement is entered in full, so deadlines in it are exact.

    For a year not listed here deadlines count weekends only (plus any days already entered) and
    administrators are warned.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=16, choices=CalendarSource.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("known calendar year")
        verbose_name_plural = _("known calendar years")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1949, year__lte=2200), name="calendaryear_year_range"
            ),
        ]

    def __str__(self):
        return str(self.year)
