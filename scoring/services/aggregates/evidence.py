"""Passes over the evidence kept here and reported through the intake."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Count,
    Sum,
)

from scoring import providers as registry
from scoring.models import (
    DualServiceRecord,
    Evidence,
    Grade,
    ServiceCardEntry,
    ServiceCardKind,
    SourceKind,
    SupervisorEvaluation,
    Verification,
    VerificationOutcome,
    VolunteerActivity,
)
from scoring.services.aggregates.base import IdList, Row, Window
from scoring.sources import INTAKE_SOURCES

S = SourceKind


def reported(window: Window) -> list[Row]:
    """What other apps reported through the intake (e.g. requests answered on the spot), for
    the kinds no app provides itself (see ``scoring.providers``)."""
    base = Evidence.objects.filter(
        source__in=list(INTAKE_SOURCES - set(registry.providers())),
        withdrawn_at__isnull=True,
        occurred_at__gte=window.start,
        occurred_at__lt=window.end,
    ).order_by()
    by_person = (
        base.filter(person__isnull=False)
        .values("source", "person_id")
        .annotate(q=Sum("quantity"), refs=IdList("id"))
    )
    by_unit = (
        base.filter(person__isnull=True)
        .values("source", "unit_id")
        .annotate(q=Sum("quantity"), refs=IdList("id"))
    )
    return [
        Row(r["source"], r["person_id"], None, Decimal(r["q"]), r["refs"] or "") for r in by_person
    ] + [Row(r["source"], None, r["unit_id"], Decimal(r["q"]), r["refs"] or "") for r in by_unit]


def service_cards(window: Window) -> list[Row]:
    by_kind = {
        ServiceCardKind.ROUTINE: S.SERVICE_CARD_ROUTINE,
        ServiceCardKind.SPECIAL: S.SERVICE_CARD_SPECIAL,
        ServiceCardKind.KEY: S.SERVICE_CARD_KEY,
    }
    rows = (
        ServiceCardEntry.objects.filter(
            occurred_on__gte=window.first_day, occurred_on__lte=window.last_day
        )
        .order_by()
        .values("kind", "person_id")
        .annotate(n=Count("id"), refs=IdList("id"))
    )
    return [
        Row(by_kind[r["kind"]], r["person_id"], None, Decimal(r["n"]), r["refs"] or "")
        for r in rows
    ]


def pledge_checks(window: Window) -> list[Row]:
    """Checked pledges, kept or broken, in the pledge's own category."""
    by_outcome = {
        VerificationOutcome.KEPT: S.COMMITMENT_KEPT,
        VerificationOutcome.BROKEN: S.COMMITMENT_BROKEN,
    }
    rows = (
        Verification.objects.filter(
            outcome__in=list(by_outcome),
            visited_on__gte=window.first_day,
            visited_on__lte=window.last_day,
        )
        .order_by()
        .values("outcome", "commitment__person_id", "commitment__indicator_id")
        .annotate(n=Count("id"), refs=IdList("id"))
    )
    return [
        Row(
            by_outcome[r["outcome"]],
            r["commitment__person_id"],
            None,
            Decimal(r["n"]),
            r["refs"] or "",
            indicator_id=r["commitment__indicator_id"],
        )
        for r in rows
    ]


def dual_service(window: Window) -> list[Row]:
    rows = (
        DualServiceRecord.objects.filter(
            served_on__gte=window.first_day, served_on__lte=window.last_day
        )
        .order_by()
        .values("registration__person_id")
        .annotate(hours=Sum("hours"), refs=IdList("id"))
    )
    return [
        Row(
            S.DUAL_SERVICE_HOURS,
            r["registration__person_id"],
            None,
            Decimal(r["hours"]),
            r["refs"] or "",
        )
        for r in rows
    ]


def volunteering(window: Window) -> list[Row]:
    """Taking part in, organising, and the people served by volunteer activities."""
    in_window = {"held_on__gte": window.first_day, "held_on__lte": window.last_day}
    through = VolunteerActivity.participants.through
    taking_part = (
        through.objects.filter(
            **{f"volunteeractivity__{key}": value for key, value in in_window.items()}
        )
        .order_by()
        .values("user_id")
        .annotate(n=Count("id"), refs=IdList("volunteeractivity_id"))
    )
    organised = (
        VolunteerActivity.objects.filter(organiser__isnull=False, **in_window)
        .order_by()
        .values("organiser_id")
        .annotate(n=Count("id"), served=Sum("people_served"), refs=IdList("id"))
    )
    found = [
        Row(S.VOLUNTEER_PARTICIPATION, r["user_id"], None, Decimal(r["n"]), r["refs"] or "")
        for r in taking_part
    ]
    for r in organised:
        found.append(
            Row(S.VOLUNTEER_ORGANISED, r["organiser_id"], None, Decimal(r["n"]), r["refs"] or "")
        )
        if r["served"]:
            found.append(
                Row(
                    S.VOLUNTEER_PEOPLE_SERVED,
                    r["organiser_id"],
                    None,
                    Decimal(r["served"]),
                    r["refs"] or "",
                )
            )
    return found


def evaluations(window: Window) -> list[Row]:
    """The supervisor's quarterly evaluation of each worker (双向考评)."""
    by_grade = {
        Grade.EXCELLENT: S.EVALUATION_EXCELLENT,
        Grade.GOOD: S.EVALUATION_GOOD,
        Grade.FAIR: S.EVALUATION_FAIR,
        Grade.POOR: S.EVALUATION_POOR,
    }
    rows = SupervisorEvaluation.objects.filter(quarter_id=window.quarter_id).values_list(
        "id", "person_id", "grade"
    )
    return [Row(by_grade[grade], person, None, Decimal(1), str(pk)) for pk, person, grade in rows]
