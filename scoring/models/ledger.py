"""The quarterly ledger: quarters, their recorded actions, score entries and computed results."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scoring.models.rules import Indicator, Subject


class QuarterStatus(models.TextChoices):
    DRAFT = "draft", _("Not computed")
    COMPUTED = "computed", _("Computed")
    PUBLISHED = "published", _("Published")


class Quarter(models.Model):
    """A rating period (考评季度), written ``2026Q3``.

    Computed any number of times (a computation before the end is provisional); published once
    it has ended, which freezes its ledger; reopened only by an explicit, recorded admin action.
    ``terms`` keeps the indicator weights and caps the last computation used, so the
    explanation of a frozen quarter adds up whatever the rules say today.
    """

    code = models.CharField(_("quarter"), max_length=6, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("quarter of the year"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=16, choices=QuarterStatus.choices, default=QuarterStatus.DRAFT
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    stale = models.BooleanField(
        _("changed since computed"),
        default=False,
        help_text=_("Evidence or manual points changed after the last computation."),
    )
    terms = models.JSONField(_("terms used"), default=dict, blank=True)
    entry_count = models.PositiveIntegerField(_("ledger entries"), default=0)
    result_count = models.PositiveIntegerField(_("ranked subjects"), default=0)

    class Meta:
        verbose_name = _("quarter")
        verbose_name_plural = _("quarters")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="quarter_unique_year_number"),
        ]

    def __str__(self):
        return self.code

    @property
    def last_day(self):
        """The quarter's last local day (``ends_at`` is the midnight after it)."""
        return timezone.localtime(self.ends_at - timedelta(microseconds=1)).date()

    @property
    def is_published(self) -> bool:
        return self.status == QuarterStatus.PUBLISHED

    @property
    def is_provisional(self) -> bool:
        """Computed before the quarter ended: the ranking may still change."""
        return self.computed_at is not None and self.computed_at < self.ends_at


class QuarterActionKind(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    PUBLISHED = "published", _("Published")
    REOPENED = "reopened", _("Reopened")


class QuarterAction(models.Model):
    """What was done to a quarter, by whom and why; append-only."""

    quarter = models.ForeignKey(
        Quarter, on_delete=models.PROTECT, related_name="actions", verbose_name=_("quarter")
    )
    kind = models.CharField(_("action"), max_length=16, choices=QuarterActionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty when the system acted (the command or the scheduled task)."),
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("quarter action")
        verbose_name_plural = _("quarter actions")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.quarter_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ScoreEntry(models.Model):
    """One line of the ledger (积分明细): who, quarter, category, points, source, reason.

    Derived entries come from one source kind for one subject and keep the ids of the cases or
    evidence behind them in ``refs``; computing the quarter again replaces them. Manual entries
    (``manual``) are written by hand with a reason and are kept. A person's entry may also name
    a unit (where the work was done); a unit's entry has no person.
    """

    quarter = models.ForeignKey(
        Quarter, on_delete=models.PROTECT, related_name="entries", verbose_name=_("quarter")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="score_entries",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="score_entries",
        verbose_name=_("unit"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("indicator category"),
        db_index=False,
    )
    source = models.CharField(_("source"), max_length=40)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=1)
    per = models.DecimalField(
        _("points each"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    points = models.DecimalField(_("points"), max_digits=10, decimal_places=2)
    manual = models.BooleanField(_("entered by hand"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    refs = models.TextField(
        _("evidence ids"), blank=True, help_text=_("Ids of the cases or records behind it.")
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
        db_index=False,
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("score entry")
        verbose_name_plural = _("score entries")
        ordering = ["quarter", "indicator__sort_order", "source", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(unit__isnull=False),
                name="scoreentry_has_subject",
            ),
            models.CheckConstraint(
                condition=Q(manual=False) | ~Q(reason=""), name="scoreentry_manual_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["quarter", "person"], name="scoreentry_quarter_person"),
            models.Index(fields=["quarter", "unit"], name="scoreentry_quarter_unit"),
            models.Index(fields=["quarter", "manual"], name="scoreentry_quarter_manual"),
        ]

    def __str__(self):
        return f"{self.quarter_id} {self.source} {self.points}"

    @property
    def ref_ids(self) -> list[int]:
        """The ids in ``refs``, distinct and in order."""
        return sorted({int(part) for part in self.refs.split(",") if part.strip()})


class ScoreResult(models.Model):
    """A ranked subject of a computed quarter: a worker or a community.

    Written by ``quarter_compute`` only. ``unit`` is a worker's home unit (where they are
    ranked) or the community itself; ``county``, ``town`` and ``community`` are its ancestors,
    the groups it is ranked in.
    """

    quarter = models.ForeignKey(
        Quarter, on_delete=models.PROTECT, related_name="results", verbose_name=_("quarter")
    )
    subject = models.CharField(_("subject"), max_length=16, choices=Subject.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="score_results",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="score_results",
        verbose_name=_("unit"),
    )
    county = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("county"),
        db_index=False,
    )
    town = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("town"),
        db_index=False,
    )
    community = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("community"),
        db_index=False,
    )
    total = models.DecimalField(_("total"), max_digits=10, decimal_places=2)
    own_total = models.DecimalField(_("own points"), max_digits=10, decimal_places=2)
    workers_mean = models.DecimalField(
        _("workers' mean"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    workers_count = models.PositiveIntegerField(_("ranked workers"), default=0)
    subtotals = models.JSONField(_("category subtotals"), default=dict)
    rank_in_county = models.PositiveIntegerField(_("rank in county"), null=True, blank=True)
    county_size = models.PositiveIntegerField(_("ranked in county"), null=True, blank=True)
    rank_in_town = models.PositiveIntegerField(_("rank in town"), null=True, blank=True)
    town_size = models.PositiveIntegerField(_("ranked in town"), null=True, blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), default=0)
    interview_reason = models.CharField(_("called to a talk because"), max_length=24, blank=True)
    last_in_town = models.BooleanField(_("last in town"), default=False)
    last_in_county = models.BooleanField(_("last in county"), default=False)

    class Meta:
        verbose_name = _("score result")
        verbose_name_plural = _("score results")
        ordering = ["quarter", "subject", "county_id", "rank_in_county", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["quarter", "person"],
                condition=Q(person__isnull=False),
                name="scoreresult_unique_person",
            ),
            models.UniqueConstraint(
                fields=["quarter", "unit"],
                condition=Q(subject="community"),
                name="scoreresult_unique_community",
            ),
            models.CheckConstraint(
                condition=Q(subject="community", person__isnull=True)
                | Q(subject="person", person__isnull=False),
                name="scoreresult_subject_matches",
            ),
        ]
        indexes = [
            models.Index(
                fields=["quarter", "subject", "county", "rank_in_county"],
                name="scoreresult_county_rank",
            ),
        ]

    def __str__(self):
        return f"{self.quarter_id} {self.subject} {self.total}"

    @property
    def star_text(self) -> str:
        return "★" * self.stars
