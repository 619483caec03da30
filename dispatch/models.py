"""Dispatch suggestions (智能派单): the model's versions and what each request was suggested."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ModelKind(models.TextChoices):
    LEARNED = "learned", _("Learned from the history")
    KEYWORDS = "keywords", _("Keywords of the category names (too little history)")


class DispatchModel(models.Model):
    """One trained version of the suggestion model (派单模型版本), with how well it did.

    Accuracy is measured on the most recent slice of the history, held out by time: the model
    is fitted on the older requests, asked about the newer ones, then fitted again on all of
    them for serving. ``blob`` is the fitted ranker (joblib bytes) and ``signature`` an
    HMAC-SHA256 over it keyed from ``SECRET_KEY``: bytes that do not match are never loaded.
    Exactly one version is active. Old versions keep their figures; their bytes are dropped
    after a while (``blob`` empty), so they cannot be made active again.
    """

    created_at = models.DateTimeField(_("trained at"), db_index=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trained by"),
        help_text=_("Empty when trained by the schedule or the command line."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ModelKind.choices)
    is_active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(_("made active at"), null=True, blank=True)
    samples = models.PositiveIntegerField(_("requests learned from"), default=0)
    classes = models.PositiveIntegerField(_("categories"), default=0)
    heldout_size = models.PositiveIntegerField(_("held-out requests"), default=0)
    heldout_from = models.DateTimeField(_("held out from"), null=True, blank=True)
    heldout_to = models.DateTimeField(_("held out until"), null=True, blank=True)
    top1 = models.FloatField(_("top-1 accuracy"), null=True, blank=True)
    top3 = models.FloatField(_("top-3 accuracy"), null=True, blank=True)
    #: Further figures: why the keywords fallback (``reason``: ``samples`` or ``categories``,
    #: with ``needed``), accuracy on held-out texts not met in training (``unseen_*``),
    #: training ``seconds`` and ``bytes``.
    metrics = models.JSONField(_("details"), default=dict, blank=True)
    blob = models.BinaryField(_("fitted model"), default=b"", editable=False)
    signature = models.CharField(_("signature"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("dispatch model")
        verbose_name_plural = _("dispatch models")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="dispatch_one_active"
            ),
        ]

    def __str__(self):
        return f"v{self.pk} {self.kind}"

    @property
    def fallback_reason(self) -> str:
        """Why this version is the keywords fallback, in words ("" for a learned one)."""
        reason = (self.metrics or {}).get("reason", "")
        if reason == "samples":
            return _("Too little history: %(n)d requests (%(needed)d needed).") % {
                "n": self.samples,
                "needed": self.metrics.get("needed", 0),
            }
        if reason == "categories":
            return _("Too little history: too few categories with enough requests.")
        return ""

    @property
    def unseen_top3(self) -> float | None:
        return (self.metrics or {}).get("unseen_top3")

    @property
    def unseen_top1(self) -> float | None:
        return (self.metrics or {}).get("unseen_top1")


class Suggestion(models.Model):
    """What was suggested for one request as collected, and what the worker filed (派单建议记录).

    Written once, after the request's collection commits, by
    ``dispatch.services.suggestions_record``; never changed. ``accepted``: the category filed is
    the first suggested; ``in_top3``: it is among the three suggested.
    """

    request = models.OneToOneField(
        "requests_app.Request",
        on_delete=models.CASCADE,
        related_name="suggestion",
        verbose_name=_("request"),
    )
    model = models.ForeignKey(
        DispatchModel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("model version"),
        help_text=_("Empty when no model had been trained yet (keywords)."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ModelKind.choices)
    #: ``[{"category": id, "score": 0..1}, ...]``, best first.
    categories = models.JSONField(_("categories suggested"), default=list)
    #: ``[{"unit": id, "score": 0..1}, ...]``, best first.
    units = models.JSONField(_("handling units suggested"), default=list)
    suggested = models.ForeignKey(
        "casework.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first suggestion"),
    )
    chosen = models.ForeignKey(
        "casework.Category",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("category filed"),
    )
    accepted = models.BooleanField(_("first suggestion filed"))
    in_top3 = models.BooleanField(_("filed among the three suggested"))
    channel = models.CharField(_("channel"), max_length=16)
    collected_at = models.DateTimeField(_("collected at"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dispatch suggestion")
        verbose_name_plural = _("dispatch suggestions")
        ordering = ["-collected_at", "-id"]
        indexes = [
            models.Index(fields=["collected_at"], name="suggestion_time"),
            models.Index(fields=["chosen", "collected_at"], name="suggestion_chosen_time"),
        ]

    def __str__(self):
        return f"{self.request_id} {'✓' if self.accepted else '✗'}"
