"""The resident's own rating of a resolved case, the links that ask for it, and the flags raised
where it contradicts the return visit (回访) a worker recorded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import Satisfaction

__all__ = [
    "DisagreementOutcome",
    "RatingDisagreement",
    "RatingLink",
    "RatingVia",
    "ResidentRating",
]


class RatingVia(models.TextChoices):
    TRACK = "track", _("Tracking page")
    SMS = "sms", _("SMS link")


class ResidentRating(models.Model):
    """A resident's own answer about one result of a case (居民自评): solved? satisfied? a comment.

    ``round`` is the result it answers (the case's reopen count while that result stood), so one
    answer per result (``unique (case, round)``); after a redo the next result may be rated
    again. The case's history holds the same answer as its ``resident_feedback`` event (which
    the rates count); this row adds where it came from and the request it was given on.
    """

    case = models.ForeignKey(
        "casework.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    request = models.ForeignKey(
        "requests_app.Request",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("request"),
    )
    round = models.PositiveSmallIntegerField(
        _("result"), help_text=_("Which result it answers: 0 the first, 1 after one redo…")
    )
    solved = models.BooleanField(_("solved"))
    satisfaction = models.CharField(_("satisfaction"), max_length=24, choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), max_length=500, blank=True)
    via = models.CharField(_("answered on"), max_length=8, choices=RatingVia.choices)
    event = models.OneToOneField(
        "casework.CaseEvent",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("history event"),
    )
    created_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("resident's rating")
        verbose_name_plural = _("residents' ratings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="rating_once_per_result")
        ]

    def __str__(self):
        return f"{self.case_id}/{self.round} {self.satisfaction}"

    @property
    def pleased(self) -> bool:
        """Solved and satisfied or basically satisfied: the result is accepted."""
        return self.solved and self.satisfaction != Satisfaction.UNSATISFIED


class RatingLink(models.Model):
    """The link of the SMS sent to the resident when a case is resolved (评价链接).

    Only the SHA-256 digest of its token is kept: the token itself is in the SMS and nowhere
    else. One per result (``unique (case, round)``); dead once used, once the result is rated
    some other way, or after ``expires_at``.
    """

    case = models.ForeignKey(
        "casework.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    request = models.ForeignKey(
        "requests_app.Request",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("request"),
    )
    round = models.PositiveSmallIntegerField(_("result"))
    token_digest = models.CharField(_("token digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("made at"))
    expires_at = models.DateTimeField(_("expires at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating link")
        verbose_name_plural = _("rating links")
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="rating_link_once_per_result")
        ]

    def __str__(self):
        return f"{self.case_id}/{self.round}"


class DisagreementOutcome(models.TextChoices):
    PENDING = "pending", _("To check")
    WORKER_STANDS = "worker_stands", _("The return visit stands")
    RESIDENT_RIGHT = "resident_right", _("The resident is right")


class RatingDisagreement(models.Model):
    """A result where the resident's own answer and the worker's 回访 disagree (评价不一致): one
    accepts it (solved and satisfied or basically satisfied), the other does not.

    Raised by whichever answer comes second; a supervisor over the case's place checks it. The
    resident found right counts as a failed verification of the worker who recorded the 回访
    (their record on ``/feedback/disagreements/``, and their next call-back sample is drawn at
    the raised rate). The row is its own audit record: written once when raised, once when
    checked.
    """

    case = models.ForeignKey(
        "casework.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    round = models.PositiveSmallIntegerField(_("result"))
    rating = models.OneToOneField(
        ResidentRating,
        on_delete=models.PROTECT,
        related_name="disagreement",
        verbose_name=_("resident's rating"),
    )
    visit = models.ForeignKey(
        "casework.CaseEvent",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("return visit"),
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("worker"),
        help_text=_("Who recorded the return visit."),
    )
    visit_at = models.DateTimeField(_("return visit at"))
    visit_solved = models.BooleanField(_("solved, at the return visit"))
    visit_satisfaction = models.CharField(
        _("satisfaction, at the return visit"), max_length=24, choices=Satisfaction.choices
    )
    created_at = models.DateTimeField(_("flagged at"))
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=DisagreementOutcome.choices,
        default=DisagreementOutcome.PENDING,
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("rating disagreement")
        verbose_name_plural = _("rating disagreements")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "round"], name="rating_disagreement_once_per_result"
            )
        ]
        indexes = [
            models.Index(fields=["outcome", "created_at"], name="disagreement_outcome_time"),
            models.Index(fields=["worker", "visit_at"], name="disagreement_worker_time"),
        ]

    def __str__(self):
        return f"{self.case_id}/{self.round} {self.outcome}"

    @property
    def is_pending(self) -> bool:
        return self.outcome == DisagreementOutcome.PENDING
