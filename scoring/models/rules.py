"""The scoring rules as data: indicator categories, point rules, star thresholds, the policy.

Admins edit them in the admin site. A computed quarter keeps a snapshot of the terms it used, so
editing a rule never changes a published rating.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Indicator(models.Model):
    """An indicator category (考评指标): one of the 9 common ones or residents' own requests.

    A category's raw points in a quarter count ``× weight``, then held between ``floor`` and
    ``cap`` (see ``scoring.calc.category_subtotal``).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    cap = models.DecimalField(
        _("cap per quarter"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The most this category can add to a quarter's total. Empty: no cap."),
    )
    floor = models.DecimalField(
        _("floor per quarter"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The most this category can take off a quarter's total. Empty: no floor."),
    )
    is_common = models.BooleanField(
        _("common indicator"),
        default=True,
        help_text=_("One of the 9 common indicators; pledges are made in these categories."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator category")
        verbose_name_plural = _("indicator categories")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=0), name="indicator_weight_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(cap__isnull=True)
                | models.Q(floor__isnull=True)
                | models.Q(cap__gte=models.F("floor")),
                name="indicator_cap_above_floor",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the current language (the Chinese name is the official one)."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class SourceKind(models.TextChoices):
    """Where points come from. Each kind has at most one rule; see ``scoring.sources``."""

    # From case events (the person who did the work).
    CASE_OPENED = "case_opened", _("Case opened for a resident")
    CASE_ACCEPTED_ON_TIME = "case_accepted_on_time", _("Case signed for on time")
    CASE_ACCEPTED_LATE = "case_accepted_late", _("Case signed for late")
    CASE_RESOLVED_ON_TIME = "case_resolved_on_time", _("Case resolved on time")
    CASE_RESOLVED_LATE = "case_resolved_late", _("Case resolved late")
    CASE_OVERDUE = "case_overdue", _("Case overdue, per period escalated")
    CASE_REOPENED = "case_reopened", _("Case reopened for redo")
    CASE_RETURNED_WRONGLY = "case_returned_wrongly", _("Case returned wrongly")
    FEEDBACK_SATISFIED = "feedback_satisfied", _("Resident satisfied")
    FEEDBACK_BASICALLY_SATISFIED = (
        "feedback_basically_satisfied",
        _("Resident basically satisfied"),
    )
    FEEDBACK_UNSATISFIED = "feedback_unsatisfied", _("Resident unsatisfied")
    FEEDBACK_VISIT = "feedback_visit", _("Return visit recorded")
    CONSULTATION_DECISION = "consultation_decision", _("Four-party consultation decision")
    # From other apps through the evidence intake.
    ANSWERED_ON_SPOT = "answered_on_spot", _("Request answered on the spot")
    #: A call-back (抽查回访) found the answer was not given as recorded.
    CALLBACK_FAILED = "callback_failed", _("On-the-spot answer failed its call-back")
    # From the evidence kept here.
    SERVICE_CARD_ROUTINE = "service_card_routine", _("Service card: routine work (weekly)")
    SERVICE_CARD_SPECIAL = "service_card_special", _("Service card: special work (per event)")
    SERVICE_CARD_KEY = "service_card_key", _("Service card: key work (per activity)")
    COMMITMENT_KEPT = "commitment_kept", _("Pledge verified as kept")
    COMMITMENT_BROKEN = "commitment_broken", _("Pledge found broken")
    DUAL_SERVICE_HOURS = "dual_service_hours", _("Dual registration service hours")
    VOLUNTEER_PARTICIPATION = "volunteer_participation", _("Took part in a volunteer activity")
    VOLUNTEER_ORGANISED = "volunteer_organised", _("Organised a volunteer activity")
    VOLUNTEER_PEOPLE_SERVED = "volunteer_people_served", _("People served by an activity")
    EVALUATION_EXCELLENT = "evaluation_excellent", _("Supervisor's evaluation: excellent")
    EVALUATION_GOOD = "evaluation_good", _("Supervisor's evaluation: good")
    EVALUATION_FAIR = "evaluation_fair", _("Supervisor's evaluation: fair")
    EVALUATION_POOR = "evaluation_poor", _("Supervisor's evaluation: poor")
    # A community's rates (三率), read from the case events of the cases in it.
    UNIT_RESPONSE_RATE = "unit_response_rate", _("Community response rate")
    UNIT_RESOLUTION_RATE = "unit_resolution_rate", _("Community resolution rate")
    UNIT_SATISFACTION_RATE = "unit_satisfaction_rate", _("Community satisfaction rate")
    # Entered by hand; kept when the quarter is computed again.
    MANUAL = "manual", _("Manual adjustment")


class PointRule(models.Model):
    """Points for one kind of source, counted in one indicator category (积分规则)."""

    source = models.CharField(
        _("source"),
        max_length=40,
        unique=True,
        choices=[c for c in SourceKind.choices if c[0] != SourceKind.MANUAL],
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="rules",
        verbose_name=_("indicator category"),
        help_text=_("Pledges count in their own category; this one is used for the rest."),
    )
    points = models.DecimalField(
        _("points"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Per case, event, week, hour, person served or rate point, by source."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        ordering = ["indicator__sort_order", "source"]

    def __str__(self):
        return f"{self.get_source_display()}: {self.points}"


class Subject(models.TextChoices):
    PERSON = "person", _("Worker")
    COMMUNITY = "community", _("Community")


class StarBasis(models.TextChoices):
    POINTS = "points", _("Absolute points")
    PERCENTILE = "percentile", _("Top share of the county, in percent")


class StarThreshold(models.Model):
    """What it takes to reach a star level (星级), for workers or for communities."""

    subject = models.CharField(_("for"), max_length=16, choices=Subject.choices)
    stars = models.PositiveSmallIntegerField(
        _("stars"), choices=[(n, "★" * n) for n in range(1, 6)]
    )
    value = models.DecimalField(
        _("threshold"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Points, or a top share in percent, according to the policy's basis."),
    )
    # The quota (名额): how many may hold this level in a county in a quarter. See
    # ``scoring.calc.stars_within_quotas`` for ties at the boundary.
    max_count = models.PositiveIntegerField(
        _("at most this many per county"),
        null=True,
        blank=True,
        help_text=_("At most this many of a county's ranked get this level. Empty: no limit."),
    )
    max_share = models.DecimalField(
        _("at most this share per county, in percent"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "At most this percentage of a county's ranked (rounded down) get this level. "
            "Empty: no limit. A tied group that would exceed it gets the level below."
        ),
    )

    class Meta:
        verbose_name = _("star threshold")
        verbose_name_plural = _("star thresholds")
        ordering = ["subject", "-stars"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "stars"], name="star_threshold_unique"),
            models.CheckConstraint(
                condition=models.Q(max_share__isnull=True)
                | models.Q(max_share__gte=0, max_share__lte=100),
                name="star_threshold_share_is_percent",
            ),
        ]

    def __str__(self):
        return f"{self.get_subject_display()} {'★' * self.stars} ≥ {self.value}"


class ScoringPolicy(models.Model):
    """The settings of the rating that are not per rule (one row)."""

    ranked_roles = models.JSONField(
        _("ranked roles"),
        default=list,
        help_text=_(
            "Roles whose holders in a community or below are ranked as community workers."
        ),
    )
    person_star_basis = models.CharField(
        _("worker star basis"),
        max_length=16,
        choices=StarBasis.choices,
        default=StarBasis.PERCENTILE,
    )
    community_star_basis = models.CharField(
        _("community star basis"),
        max_length=16,
        choices=StarBasis.choices,
        default=StarBasis.PERCENTILE,
    )
    community_worker_weight = models.DecimalField(
        _("weight of the workers' mean in a community's total"),
        max_digits=4,
        decimal_places=2,
        default=1,
    )
    interview_lowest_count = models.PositiveSmallIntegerField(
        _("lowest workers per town called to a talk"),
        default=2,
        help_text=_("Ties with the last of them are called too."),
    )
    interview_person_below = models.DecimalField(
        _("workers below this total are called to a talk"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
    )
    interview_community_below = models.DecimalField(
        _("communities below this total are called to a talk"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
    )
    appeal_days = models.PositiveSmallIntegerField(
        _("days after a quarter ends to appeal its points"),
        default=7,
        help_text=_(
            "A worker may appeal an entry of a computed, unpublished quarter until this many "
            "days after the quarter's last day."
        ),
    )

    class Meta:
        verbose_name = _("scoring policy")
        verbose_name_plural = _("scoring policy")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="scoring_policy_single_row"),
        ]

    def __str__(self):
        return str(_("Scoring policy"))
