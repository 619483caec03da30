"""Honours: the yearly nomination of 星级社区工作者 and the awards the county approves.

A county opens a nomination round for a year; candidates are proposed from cumulative points
(累计积分) and a town supervisor may nominate one more with a reason; the county approves or
rejects each with a reason, and an approval is an ``Award`` with a certificate number unique in
the county and year. Everything done to a round is an ``HonourAction`` (append-only), written in
the same transaction by ``scoring.services.honours``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: The title the report names (星级社区工作者); a round may use another.
DEFAULT_TITLE = "星级社区工作者"


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class NominationRound(models.Model):
    """A county's nomination for one year and title, e.g. 2026年度星级社区工作者.

    ``candidate_count`` is the rule of the round: how many are proposed from the county's
    cumulative points (ties with the last of them are proposed too).
    """

    county = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="nomination_rounds",
        verbose_name=_("county"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=64, default=DEFAULT_TITLE)
    candidate_count = models.PositiveSmallIntegerField(
        _("candidates proposed from cumulative points"), default=10
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
        db_index=False,
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("nomination round")
        verbose_name_plural = _("nomination rounds")
        ordering = ["-year", "county__path", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "title"], name="nominationround_unique"
            ),
        ]

    def __str__(self):
        return f"{self.year}年度{self.title}"

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class NominationSource(models.TextChoices):
    POINTS = "points", _("Proposed from cumulative points")
    SUPERVISOR = "supervisor", _("Nominated by a supervisor")


class NominationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the county")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Nomination(models.Model):
    """A candidate of a round: who, why, their cumulative points then, and the decision."""

    round = models.ForeignKey(
        NominationRound,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("round"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("Where the person was ranked when nominated."),
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
    source = models.CharField(_("source"), max_length=16, choices=NominationSource.choices)
    reason = models.TextField(_("reason"), blank=True)
    cumulative_total = models.DecimalField(
        _("cumulative points"), max_digits=12, decimal_places=2, default=0
    )
    cumulative_rank = models.PositiveIntegerField(_("rank in county"), null=True, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("nominated by"),
        db_index=False,
    )
    nominated_at = models.DateTimeField(_("nominated at"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NominationStatus.choices,
        default=NominationStatus.PENDING,
    )
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

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["round", "cumulative_rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="nomination_unique_person"),
            models.CheckConstraint(
                condition=Q(status="pending") | ~Q(decision_reason=""),
                name="nomination_decision_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.person_id} · {self.status}"


class Award(models.Model):
    """An approved honour (荣誉): named on the county's honour roll, with a certificate.

    One per person and year; the certificate number is unique in the county and year.
    """

    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, related_name="award", verbose_name=_("nomination")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="awards",
        verbose_name=_("person"),
    )
    county = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("county"),
        db_index=False,
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
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
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=64)
    stars = models.PositiveSmallIntegerField(
        _("stars"), null=True, blank=True, choices=[(n, "★" * n) for n in range(1, 6)]
    )
    cumulative_total = models.DecimalField(_("cumulative points"), max_digits=12, decimal_places=2)
    certificate_number = models.CharField(_("certificate number"), max_length=32)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
        db_index=False,
    )
    approved_at = models.DateTimeField(_("approved at"))

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "county_id", "certificate_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "certificate_number"], name="award_unique_certificate"
            ),
            models.UniqueConstraint(fields=["person", "year"], name="award_one_per_year"),
        ]
        indexes = [models.Index(fields=["county", "year"], name="award_county_year")]

    def __str__(self):
        return f"{self.year}年度{self.title} {self.certificate_number}"

    @property
    def star_text(self) -> str:
        return "★" * (self.stars or 0)


class HonourActionKind(models.TextChoices):
    OPENED = "opened", _("Round opened")
    PROPOSED = "proposed", _("Proposed from cumulative points")
    NOMINATED = "nominated", _("Nominated by a supervisor")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Round closed")


class HonourAction(models.Model):
    """What was done to a round or one of its nominations, by whom and why; append-only."""

    round = models.ForeignKey(
        NominationRound, on_delete=models.PROTECT, related_name="actions", verbose_name=_("round")
    )
    nomination = models.ForeignKey(
        Nomination,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("nomination"),
    )
    kind = models.CharField(_("action"), max_length=16, choices=HonourActionKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
        db_index=False,
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("honour action")
        verbose_name_plural = _("honour actions")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.round_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
