"""Daily tallies of the events behind the rates, per place: what dashboards sum."""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The counters a tally keeps, in the order of ``casework.rates.Counts``.
TALLY_FIELDS = (
    "signed",
    "signed_on_time",
    "answered",
    "solved",
    "pleased",
    "resolved",
    "resolved_on_time",
    "assigned",
    "returned",
    "reopened",
    "extended",
    "parked",
)


class RateTally(models.Model):
    """How many of each rate-relevant event happened on one (local) day to cases about one place.

    Derived data: written with each event by ``casework.events``, and rebuilt from the events by
    ``manage.py rebuild_rate_tallies``; a dashboard sums a few thousand of these rows instead of
    joining millions of events.
    """

    unit = models.ForeignKey(
        "casework.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("place")
    )
    day = models.DateField(_("day"))
    signed = models.PositiveIntegerField(default=0)
    signed_on_time = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)
    pleased = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    resolved_on_time = models.PositiveIntegerField(default=0)
    assigned = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    #: Approved extensions (延期), reported beside the on-time rate; not a rate themselves.
    extended = models.PositiveIntegerField(default=0)
    #: Cases parked (挂账): a figure of their own, never counted as resolved.
    parked = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rate tally")
        verbose_name_plural = _("rate tallies")
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="ratetally_unit_day")]
        indexes = [models.Index(fields=["day", "unit"], name="ratetally_day_unit")]

    def __str__(self):
        return f"{self.unit_id} {self.day}"
