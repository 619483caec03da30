"""A worker's own rates (``/me/rates/``), and the per-worker table the dashboard shows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.rates import RATE_TERMS
from casework.selectors.dashboard import period_bounds
from casework.selectors.worker_rates import (
    COLLECTOR,
    HANDLER,
    WorkerRates,
    min_cases,
    own_periods,
    own_rates,
    split_rated,
)

PERIOD_LABELS = {
    "this_month": _("This month"),
    "last_month": _("Last month"),
    "this_quarter": _("This quarter"),
    "last_quarter": _("Last quarter"),
}
ROLE_LABELS = {HANDLER: _("as handler"), COLLECTOR: _("as collector")}
#: The most rows the dashboard's table shows (worst first); the API gives them all.
TABLE_ROWS = 50


def worker_row(row: WorkerRates) -> dict:
    """One worker's row for a table: each rate with the counts it divides."""
    values = row.rates
    return {
        "name": row.name,
        "role": row.role,
        "role_label": ROLE_LABELS[row.role],
        "cases": row.cases,
        "standing": row.standing,
        "extensions": row.counts.extended,
        "cells": [
            {
                "key": key,
                "value": values[key],
                "numerator": getattr(row.counts, numerator),
                "denominator": getattr(row.counts, denominator),
            }
            for key, (numerator, denominator) in RATE_TERMS.items()
        ],
    }


def worker_table(rows: list[WorkerRates], *, limit: int | None = None) -> dict:
    rated, too_few = split_rated(rows)
    return {
        "rated": [worker_row(r) for r in rated[:limit]],
        "rated_total": len(rated),
        "too_few": [worker_row(r) for r in too_few[:limit]],
        "too_few_total": len(too_few),
        "minimum_cases": min_cases(),
    }


@login_required
def my_rates_page(request):
    from casework.views.dashboard import RATE_LABELS

    periods = []
    for key, first, last in own_periods(timezone.localdate()):
        start, end = period_bounds(first, last)
        periods.append(
            {
                "key": key,
                "label": PERIOD_LABELS[key],
                "from": first,
                "to": last,
                "table": worker_table(own_rates(viewer=request.user, start=start, end=end)),
            }
        )
    return render(
        request, "casework/my_rates.html", {"periods": periods, "rate_labels": RATE_LABELS}
    )
