"""The SQL behind a quarter's ledger: one aggregate pass per source kind.

Each pass groups the quarter's case events (or evidence records) by the person or unit they
score and returns one ``Row`` per group, with the count or sum and the ids of the rows behind
it. Nothing here loops over people: a pass is one query however many workers there are. Which
person an event scores follows the event data contract of ``casework.events``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db.models import Count, Sum

from scoring import providers as registry
from scoring.models import SourceKind
from scoring.services.aggregates.base import IdList, Row, Window
from scoring.services.aggregates.cases import (
    accepted,
    community_rates,
    consultations,
    feedback,
    feedback_visits,
    opened,
    overdue,
    reopened,
    resolved,
    returned_wrongly,
)
from scoring.services.aggregates.evidence import (
    dual_service,
    evaluations,
    pledge_checks,
    reported,
    service_cards,
    volunteering,
)
from scoring.sources import INTAKE_SOURCES

__all__ = ["PASSES", "IdList", "Row", "Window", "collect", "provided"]

S = SourceKind


def provided(window: Window, kinds: frozenset[str]) -> list[Row]:
    """Other apps' own records (``scoring.providers``): one aggregate query per kind over the
    queryset the app hands over."""
    found: list[Row] = []
    for kind, provider in registry.providers().items():
        if kind not in kinds:
            continue
        records = provider.records(window.start, window.end).order_by()
        if "score_quantity" in records.query.annotations:
            quantity = Sum("score_quantity")
        else:
            quantity = Count("pk")
        detail = {"provider": provider.app}
        for key, person in (("score_person", True), ("score_unit", False)):
            subset = records.filter(score_person__isnull=not person)
            if not person:
                subset = subset.filter(score_unit__isnull=False)
            for r in subset.values(key).annotate(q=quantity, refs=IdList("pk")):
                if not r["q"]:
                    continue
                found.append(
                    Row(
                        kind,
                        r[key] if person else None,
                        None if person else r[key],
                        Decimal(r["q"]),
                        r["refs"] or "",
                        detail=dict(detail),
                    )
                )
    return found


#: Each pass and the source kinds it yields; a pass runs only when one of its kinds has an
#: active rule.
PASSES: list[tuple[Callable[[Window], list[Row]], frozenset[str]]] = [
    (opened, frozenset({S.CASE_OPENED})),
    (accepted, frozenset({S.CASE_ACCEPTED_ON_TIME, S.CASE_ACCEPTED_LATE})),
    (resolved, frozenset({S.CASE_RESOLVED_ON_TIME, S.CASE_RESOLVED_LATE})),
    (
        feedback,
        frozenset({S.FEEDBACK_SATISFIED, S.FEEDBACK_BASICALLY_SATISFIED, S.FEEDBACK_UNSATISFIED}),
    ),
    (feedback_visits, frozenset({S.FEEDBACK_VISIT})),
    (overdue, frozenset({S.CASE_OVERDUE})),
    (reopened, frozenset({S.CASE_REOPENED})),
    (returned_wrongly, frozenset({S.CASE_RETURNED_WRONGLY})),
    (consultations, frozenset({S.CONSULTATION_DECISION})),
    (
        community_rates,
        frozenset({S.UNIT_RESPONSE_RATE, S.UNIT_RESOLUTION_RATE, S.UNIT_SATISFACTION_RATE}),
    ),
    (reported, frozenset(INTAKE_SOURCES)),
    (
        service_cards,
        frozenset({S.SERVICE_CARD_ROUTINE, S.SERVICE_CARD_SPECIAL, S.SERVICE_CARD_KEY}),
    ),
    (pledge_checks, frozenset({S.COMMITMENT_KEPT, S.COMMITMENT_BROKEN})),
    (dual_service, frozenset({S.DUAL_SERVICE_HOURS})),
    (
        volunteering,
        frozenset({S.VOLUNTEER_PARTICIPATION, S.VOLUNTEER_ORGANISED, S.VOLUNTEER_PEOPLE_SERVED}),
    ),
    (
        evaluations,
        frozenset(
            {S.EVALUATION_EXCELLENT, S.EVALUATION_GOOD, S.EVALUATION_FAIR, S.EVALUATION_POOR}
        ),
    ),
]


def collect(window: Window, active_sources: Iterable[str]) -> list[Row]:
    """Every row of the quarter for the sources that have an active rule."""
    active = frozenset(active_sources)
    rows: list[Row] = []
    for gather, kinds in PASSES:
        if kinds & active:
            rows.extend(row for row in gather(window) if row.source in active)
    rows.extend(provided(window, active))
    return rows
