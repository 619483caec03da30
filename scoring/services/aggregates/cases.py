"""Passes over case events, read through ``casework.selectors.events`` (the event data
contract of ``casework.events``)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce, Substr

from casework.models import CaseEvent, CaseState, EventKind, OrgUnit, Satisfaction, UnitKind
from casework.selectors.events import (
    handler_of,
    late_q,
    on_time_q,
    pleased_q,
    satisfaction_of,
    satisfaction_q,
    solved_q,
    unit_of,
)
from casework.tallies import ANSWERS
from scoring.calc import rate_percent
from scoring.models import (
    SourceKind,
)
from scoring.services.aggregates.base import IdList, Row, Window, events_in, pairs

S = SourceKind


def opened(window: Window) -> list[Row]:
    """A case opened for a resident (协助办理): the worker who opened it, unless the case was
    cancelled as a duplicate or invalid."""
    rows = (
        events_in(window, EventKind.OPENED)
        .filter(actor__isnull=False)
        .exclude(case__state=CaseState.CANCELLED)
        .values("actor_id")
        .annotate(n=Count("id"), refs=IdList("case_id"))
    )
    return [
        Row(S.CASE_OPENED, r["actor_id"], None, Decimal(r["n"]), r["refs"] or "") for r in rows
    ]


def accepted(window: Window) -> list[Row]:
    """Signed for on time or late: the handler who signed (the event's actor)."""
    on_time, late = on_time_q(), late_q()
    rows = (
        events_in(window, EventKind.ACCEPTED)
        .filter(actor__isnull=False)
        .values("actor_id")
        .annotate(
            on_time=Count("id", filter=on_time),
            on_time_refs=IdList("case_id", filter=on_time),
            late=Count("id", filter=late),
            late_refs=IdList("case_id", filter=late),
        )
    )
    return pairs(
        rows,
        {
            S.CASE_ACCEPTED_ON_TIME: ("on_time", "on_time_refs"),
            S.CASE_ACCEPTED_LATE: ("late", "late_refs"),
        },
        "actor_id",
    )


def resolved(window: Window) -> list[Row]:
    """Resolved before or after the due time: the handler who reported the result."""
    on_time, late = on_time_q(), late_q()
    rows = (
        events_in(window, EventKind.RESOLVED)
        .filter(actor__isnull=False)
        .values("actor_id")
        .annotate(
            on_time=Count("id", filter=on_time),
            on_time_refs=IdList("case_id", filter=on_time),
            late=Count("id", filter=late),
            late_refs=IdList("case_id", filter=late),
        )
    )
    return pairs(
        rows,
        {
            S.CASE_RESOLVED_ON_TIME: ("on_time", "on_time_refs"),
            S.CASE_RESOLVED_LATE: ("late", "late_refs"),
        },
        "actor_id",
    )


def feedback(window: Window) -> list[Row]:
    """The resident's rating at the return visit (回访), of the handler in ``data.handler``."""
    by_answer = {
        Satisfaction.SATISFIED: S.FEEDBACK_SATISFIED,
        Satisfaction.BASICALLY_SATISFIED: S.FEEDBACK_BASICALLY_SATISFIED,
        Satisfaction.UNSATISFIED: S.FEEDBACK_UNSATISFIED,
    }
    rows = (
        events_in(window, EventKind.FEEDBACK)
        .filter(satisfaction_q(*by_answer))
        .annotate(person=handler_of(), answer=satisfaction_of())
        .filter(person__isnull=False)
        .values("person", "answer")
        .annotate(n=Count("id"), refs=IdList("case_id"))
    )
    return [
        Row(by_answer[row["answer"]], row["person"], None, Decimal(row["n"]), row["refs"] or "")
        for row in rows
    ]


def feedback_visits(window: Window) -> list[Row]:
    """A return visit (回访) whose answer was recorded: the worker who recorded it."""
    rows = (
        events_in(window, EventKind.FEEDBACK)
        .filter(actor__isnull=False)
        .values("actor_id")
        .annotate(n=Count("id"), refs=IdList("case_id"))
    )
    return [
        Row(S.FEEDBACK_VISIT, r["actor_id"], None, Decimal(r["n"]), r["refs"] or "") for r in rows
    ]


def _latest_before(kind: str, value) -> Subquery:
    """The ``value`` of the case's latest ``kind`` event at or before the outer event."""
    return Subquery(
        CaseEvent.objects.filter(
            case_id=OuterRef("case_id"), kind=kind, created_at__lte=OuterRef("created_at")
        )
        .order_by("-created_at", "-id")
        .annotate(value=value)
        .values("value")[:1]
    )


def overdue(window: Window) -> list[Row]:
    """Each escalation is one overdue period, against the handler the case was assigned to
    then (or, for a unit-only assignment, the one who signed for it)."""
    rows = (
        events_in(window, EventKind.ESCALATED)
        .annotate(
            person=Coalesce(
                _latest_before(EventKind.ASSIGNED, handler_of()),
                _latest_before(EventKind.ACCEPTED, F("actor_id")),
                output_field=BigIntegerField(),
            )
        )
        .filter(person__isnull=False)
        .values("person")
        .annotate(n=Count("id"), refs=IdList("case_id"))
    )
    return [Row(S.CASE_OVERDUE, r["person"], None, Decimal(r["n"]), r["refs"] or "") for r in rows]


def reopened(window: Window) -> list[Row]:
    """Sent back for redo (重办), by an unsatisfied resident (at the return visit or in their
    own rating) or a failed check: against the handler who reported the result."""
    rows = (
        events_in(window, *ANSWERS, EventKind.REOPENED)
        .filter(to_state=CaseState.REOPENED)
        .annotate(person=_latest_before(EventKind.RESOLVED, F("actor_id")))
        .filter(person__isnull=False)
        .values("person")
        .annotate(n=Count("id"), refs=IdList("case_id"))
    )
    return [
        Row(S.CASE_REOPENED, r["person"], None, Decimal(r["n"]), r["refs"] or "") for r in rows
    ]


def returned_wrongly(window: Window) -> list[Row]:
    """A return (回退) is wrong when the supervisor assigns the case straight back to the same
    handler or unit: it was theirs after all."""
    following = CaseEvent.objects.filter(
        case_id=OuterRef("case_id"),
        kind=EventKind.ASSIGNED,
        created_at__gte=OuterRef("created_at"),
    ).order_by("created_at", "id")
    rows = (
        events_in(window, EventKind.RETURNED)
        .filter(actor__isnull=False)
        .annotate(
            own_unit=unit_of(),
            own_handler=handler_of(),
            next_unit=Subquery(following.annotate(v=unit_of()).values("v")[:1]),
            next_handler=Subquery(following.annotate(v=handler_of()).values("v")[:1]),
        )
        .filter(Q(next_unit=F("own_unit")) | Q(next_handler=F("own_handler")))
        .values("actor_id")
        .annotate(n=Count("id"), refs=IdList("case_id"))
    )
    return [
        Row(S.CASE_RETURNED_WRONGLY, r["actor_id"], None, Decimal(r["n"]), r["refs"] or "")
        for r in rows
    ]


def consultations(window: Window) -> list[Row]:
    """A four-party consultation (四方协商) decision: the person who ran it."""
    rows = (
        events_in(window, EventKind.CONSULTED)
        .filter(actor__isnull=False)
        .values("actor_id")
        .annotate(n=Count("id"), refs=IdList("case_id"))
    )
    return [
        Row(S.CONSULTATION_DECISION, r["actor_id"], None, Decimal(r["n"]), r["refs"] or "")
        for r in rows
    ]


def community_rates(window: Window) -> list[Row]:
    """Each community's response, resolution and satisfaction rates (三率) over the cases about
    a place inside it: signed for on time / signed for; solved / answered; satisfied or
    basically satisfied / answered. A community with no answer gets no rate."""
    communities = dict(
        OrgUnit.objects.filter(kind=UnitKind.COMMUNITY, is_active=True).values_list("path", "id")
    )
    lengths = {len(path) for path in communities}
    found: list[Row] = []
    for length in sorted(lengths):
        prefix = Substr("case__unit__path", 1, length)
        signed = (
            events_in(window, EventKind.ACCEPTED)
            .annotate(prefix=prefix)
            .values("prefix")
            .annotate(total=Count("id"), on_time=Count("id", filter=on_time_q()))
        )
        answered = (
            # The worker's return visit and the resident's own rating each count (issue 15).
            events_in(window, *ANSWERS)
            .annotate(prefix=prefix)
            .values("prefix")
            .annotate(
                total=Count("id"),
                solved=Count("id", filter=solved_q()),
                pleased=Count("id", filter=pleased_q()),
            )
        )
        for row in signed:
            unit = communities.get(row["prefix"])
            if unit is not None:
                found.append(_rate(S.UNIT_RESPONSE_RATE, unit, row["on_time"], row["total"]))
        for row in answered:
            unit = communities.get(row["prefix"])
            if unit is not None:
                found.append(_rate(S.UNIT_RESOLUTION_RATE, unit, row["solved"], row["total"]))
                found.append(_rate(S.UNIT_SATISFACTION_RATE, unit, row["pleased"], row["total"]))
    return [row for row in found if row.quantity is not None]


def _rate(source: str, unit_id: int, numerator: int, denominator: int) -> Row:
    return Row(
        source,
        None,
        unit_id,
        rate_percent(numerator, denominator),
        detail={"numerator": numerator, "denominator": denominator},
    )
