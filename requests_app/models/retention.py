"""Runs of the retention job: what was anonymised, when, under which cut-off."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    """One batch of the retention job (匿名化), written in the batch's own transaction.

    The record of processing for PIPL art. 19/47: which residents lost their personal data, and
    under which cut-off. Counts only; nothing personal is kept here.
    """

    ran_at = models.DateTimeField(_("ran at"), db_index=True)
    cutoff = models.DateTimeField(
        _("cut-off"), help_text=_("Residents settled before this moment were anonymised.")
    )
    residents = models.PositiveIntegerField(_("residents anonymised"))
    requests = models.PositiveIntegerField(_("requests scrubbed"))
    cases = models.PositiveIntegerField(_("cases scrubbed"))
    resident_ids = models.JSONField(_("resident ids"), default=list)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-ran_at", "-id"]

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M:%S}"
