"""Call-back verification of on-the-spot answers (抽查回访).

Each month, after it ends, a reproducible random sample of every worker's on-the-spot answers
of that month (``CallbackSample``) is drawn for a call-back (``Callback``) by someone other than
the worker. Until a worker's sample of a month is fully checked, their answers of that month
are pending and score nothing; a failed call-back voids its answer. The draw and the checks are
written by ``requests_app.services.callbacks`` only.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CallbackOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for the call-back")
    CONFIRMED = "confirmed", _("Confirmed by the resident")
    FAILED = "failed", _("Failed: not answered as recorded")


class CallbackSample(models.Model):
    """One worker's drawn sample of one month's on-the-spot answers (回访抽样).

    ``population`` (the request ids drawn from) and ``seed`` are kept so anyone can draw again
    with ``requests_app.callbacks_calc.draw`` and get the same sample. ``completed_at`` is set
    when the last call-back of the sample is checked: from then on the month's answers score
    (except those voided by a failed call-back).
    """

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("worker"),
    )
    unit = models.ForeignKey(
        "casework.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("place"),
        help_text=_("The smallest unit holding every answer of the sample."),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month sampled."))
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    seed = models.BigIntegerField(_("seed"))
    population = models.JSONField(_("answers drawn from"), default=list)
    population_size = models.PositiveIntegerField(_("answers in the month"))
    size = models.PositiveIntegerField(_("sample size"))
    rate = models.PositiveSmallIntegerField(_("rate (%)"))
    raised = models.BooleanField(_("raised rate"), default=False)
    raised_for_failure = models.BooleanField(_("raised after a failed call-back"), default=False)
    flagged = models.BooleanField(
        _("flagged for review"),
        default=False,
        help_text=_("The worker's on-the-spot share is far above their town's median."),
    )
    collected = models.PositiveIntegerField(_("requests collected in the month"), default=0)
    answered_share = models.DecimalField(
        _("on-the-spot share (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    peer_median = models.DecimalField(
        _("town median share (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drawn by"),
        help_text=_("Empty when drawn by the monthly schedule."),
    )
    drawn_at = models.DateTimeField(_("drawn at"))
    completed_at = models.DateTimeField(_("fully checked at"), null=True, blank=True)
    failed_count = models.PositiveIntegerField(_("failed call-backs"), default=0)

    class Meta:
        verbose_name = _("call-back sample")
        verbose_name_plural = _("call-back samples")
        ordering = ["-month", "worker_id"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "month"], name="callback_sample_once"),
            models.CheckConstraint(
                condition=Q(size__lte=models.F("population_size")),
                name="callback_sample_within_population",
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "starts_at"], name="callback_sample_worker_time"),
            models.Index(fields=["month"], name="callback_sample_month"),
        ]

    def __str__(self):
        return f"{self.worker} {self.month:%Y-%m}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class Callback(models.Model):
    """One drawn answer to call the resident back about (回访), and what they said.

    The outcome, note, checker and time are written once, by ``callback_record``; a checked
    call-back is never changed.
    """

    sample = models.ForeignKey(
        CallbackSample,
        on_delete=models.PROTECT,
        related_name="callbacks",
        verbose_name=_("sample"),
    )
    request = models.OneToOneField(
        "requests_app.Request",
        on_delete=models.PROTECT,
        related_name="callback",
        verbose_name=_("request"),
    )
    answered_at = models.DateTimeField(_("answered at"))
    outcome = models.CharField(
        _("outcome"),
        max_length=16,
        choices=CallbackOutcome.choices,
        default=CallbackOutcome.PENDING,
    )
    note = models.TextField(_("note"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        ordering = ["answered_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=CallbackOutcome.PENDING, checked_at__isnull=True)
                | (
                    ~Q(outcome=CallbackOutcome.PENDING)
                    & Q(checked_at__isnull=False, checked_by__isnull=False)
                ),
                name="callback_checked_has_checker",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=CallbackOutcome.FAILED) | ~Q(note=""),
                name="callback_failed_has_note",
            ),
        ]
        indexes = [
            models.Index(fields=["outcome", "answered_at"], name="callback_outcome_time"),
        ]

    def __str__(self):
        return f"{self.request_id} {self.outcome}"
