"""Evidence that is not a case: service cards, dual registration, volunteer activities,
supervisors' evaluations, and what other apps report through the intake (pledges and their
checks are in ``scoring.models.pledges``).

Each record is dated; the quarter its date falls in is the quarter it counts in. Records of a
published quarter are frozen with it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.models.rules import SourceKind


class ServiceCardKind(models.TextChoices):
    ROUTINE = "routine", _("Routine work (logged weekly)")
    SPECIAL = "special", _("Special work (logged per event)")
    KEY = "key", _("Key work (logged per activity)")


class ServiceCardEntry(models.Model):
    """A line of a party member's service card (党员服务登记卡).

    Routine work is logged once a week (一周一记), special work once per event (一事一记), key
    work once per activity (一活动一记).
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="service_card_entries",
        verbose_name=_("party member"),
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="service_card_entries",
        verbose_name=_("where"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ServiceCardKind.choices)
    occurred_on = models.DateField(_("date"))
    week_start = models.DateField(_("week of"), editable=False)
    title = models.CharField(_("what was done"), max_length=120)
    description = models.TextField(_("details"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service card entry")
        verbose_name_plural = _("service card entries")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "week_start"],
                condition=Q(kind="routine"),
                name="servicecard_one_routine_a_week",
            ),
        ]
        indexes = [models.Index(fields=["occurred_on", "kind"], name="servicecard_date_kind")]

    def __str__(self):
        return f"{self.person} {self.occurred_on} {self.title}"


class DualRegistration(models.Model):
    """An in-service party member registered with a community (双报到)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dual_registrations",
        verbose_name=_("party member"),
    )
    home_unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("works at"),
    )
    community = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="dual_registrations",
        verbose_name=_("registered with"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
        db_index=False,
    )

    class Meta:
        verbose_name = _("dual registration")
        verbose_name_plural = _("dual registrations")
        ordering = ["-year", "community_id", "person_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "community", "year"], name="dualregistration_unique"
            ),
        ]

    def __str__(self):
        return f"{self.person} → {self.community} ({self.year})"


class DualServiceRecord(models.Model):
    """Service given by a dual-registered member in their community, in hours."""

    registration = models.ForeignKey(
        DualRegistration,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("registration"),
    )
    served_on = models.DateField(_("served on"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    description = models.CharField(_("what was done"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dual registration service")
        verbose_name_plural = _("dual registration services")
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="dualservice_hours_in_a_day"
            ),
        ]
        indexes = [models.Index(fields=["served_on"], name="dualservice_served_on")]

    def __str__(self):
        return f"{self.registration} {self.served_on} {self.hours}h"


class VolunteerTeam(models.Model):
    """A volunteer team of a community or compound (志愿服务队)."""

    name = models.CharField(_("name"), max_length=100)
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
        verbose_name=_("serves"),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leader"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="volunteer_teams",
        verbose_name=_("members"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["unit_id", "name"]

    def __str__(self):
        return self.name


class VolunteerActivity(models.Model):
    """A volunteer activity held by a team: when, where, who took part, how many were served."""

    team = models.ForeignKey(
        VolunteerTeam,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("team"),
    )
    title = models.CharField(_("activity"), max_length=120)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=120)
    people_served = models.PositiveIntegerField(_("people served"), default=0)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organiser"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="volunteer_activities",
        verbose_name=_("participants"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer activity")
        verbose_name_plural = _("volunteer activities")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on"], name="volunteeractivity_held_on")]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class SupervisorEvaluation(models.Model):
    """A supervisor's quarterly evaluation of a worker: the supervisor's half of 双向考评."""

    quarter = models.ForeignKey(
        "scoring.Quarter",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("quarter"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evaluations_received",
        verbose_name=_("worker"),
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("evaluated by"),
        db_index=False,
    )
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)
    note = models.TextField(_("comment"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("supervisor's evaluation")
        verbose_name_plural = _("supervisors' evaluations")
        ordering = ["quarter_id", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["quarter", "person"], name="evaluation_unique"),
        ]

    def __str__(self):
        return f"{self.quarter_id} {self.person}: {self.grade}"


class Evidence(models.Model):
    """Scoring evidence reported by another app through ``score_evidence_record``.

    ``source_ref`` (``"app.model:id"``) names the record it stands for and makes a resend a
    no-op. A withdrawn record (its source was undone) no longer counts.
    """

    source = models.CharField(_("source"), max_length=40, choices=SourceKind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=1)
    source_ref = models.CharField(_("source record"), max_length=100)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reported evidence")
        verbose_name_plural = _("reported evidence")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_ref"], name="evidence_unique_ref"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(unit__isnull=False),
                name="evidence_has_subject",
            ),
        ]
        indexes = [models.Index(fields=["occurred_at", "source"], name="evidence_time_source")]

    def __str__(self):
        return f"{self.source} {self.source_ref}"
