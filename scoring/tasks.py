"""Celery tasks of scoring: thin, each calls a service.

``scoring.compute_due`` is meant for Celery beat once a night: it keeps the quarter in progress
computed (a provisional ranking) and computes the quarter that just ended again for a couple of
weeks, so the admin finds fresh results to publish.
"""

from __future__ import annotations

import logging

from celery import shared_task

from casework.errors import Conflict
from scoring.services.quarters import quarter_compute, quarters_due

log = logging.getLogger(__name__)


@shared_task(name="scoring.quarter_compute")
def quarter_compute_task(code: str) -> dict:
    """Compute one quarter as the system (``actor=None``)."""
    quarter = quarter_compute(quarter=code, actor=None)
    return {
        "quarter": quarter.code,
        "entries": quarter.entry_count,
        "results": quarter.result_count,
    }


@shared_task(name="scoring.compute_due")
def compute_due_task() -> list[str]:
    """Compute the quarters that are due (see ``quarters_due``); published ones are skipped."""
    done = []
    for key in quarters_due():
        try:
            quarter_compute(quarter=key, actor=None)
        except Conflict:
            log.info("scoring: %s is published, not computed again", key)
            continue
        done.append(key.code)
    return done
