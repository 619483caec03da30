"""Reads for the dispatch page and API: the model's versions and how often suggestions were
taken, per category, over the requests the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import NotPermitted
from casework.models import Role
from casework.selectors.dashboard import period_bounds
from casework.selectors.scope import scope_for
from casework.workflow import SUPERVISORS
from dispatch.models import DispatchModel, Suggestion

#: The period shown when none is chosen: the last 30 days, today included.
DEFAULT_DAYS = 30


def check_may_view(viewer) -> None:
    """Supervisors and administrators see the dispatch page and its figures."""
    if not scope_for(viewer).has_role(*SUPERVISORS):
        raise NotPermitted(_("Only supervisors and administrators see the dispatch model."))


def may_retrain(viewer) -> bool:
    return scope_for(viewer).has_role(Role.ADMIN)


def model_list() -> QuerySet[DispatchModel]:
    """Every version, newest first, without the fitted bytes (one query)."""
    return DispatchModel.objects.select_related("trained_by").defer("blob", "signature")


def model_active() -> DispatchModel | None:
    return model_list().filter(is_active=True).first()


def acceptance_period(start: date | None, end: date | None) -> tuple[datetime, datetime]:
    """[start, end] (local dates, end inclusive), by default the last ``DEFAULT_DAYS`` days."""
    if start is None and end is None:
        end = timezone.localdate()
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    elif start is None:
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    elif end is None:
        end = max(start, timezone.localdate())
    return period_bounds(start, end)


class _Rates:
    """Accepted at top-1 and found in the top 3, as shares of the suggestions recorded."""

    recorded: int
    accepted: int
    in_top3: int

    @property
    def accepted_rate(self) -> float | None:
        return self.accepted / self.recorded if self.recorded else None

    @property
    def top3_rate(self) -> float | None:
        return self.in_top3 / self.recorded if self.recorded else None


@dataclass(frozen=True)
class AcceptanceRow(_Rates):
    """One category: suggestions recorded for requests filed under it, how many had it first,
    how many among the three, and how often it was the first suggestion at all."""

    category: int
    name: str
    group: str
    recorded: int
    accepted: int
    in_top3: int
    suggested_first: int


@dataclass(frozen=True)
class KindRow(_Rates):
    """The same figures for the suggestions made by one version (or the fallback)."""

    version: int | None
    kind: str
    recorded: int
    accepted: int
    in_top3: int


@dataclass(frozen=True)
class Acceptance:
    start: datetime
    end: datetime
    total: KindRow
    categories: list[AcceptanceRow]
    versions: list[KindRow]


_FIGURES = {
    "recorded": Count("id"),
    "accepted_n": Count("id", filter=Q(accepted=True)),
    "in_top3_n": Count("id", filter=Q(in_top3=True)),
}


def acceptance(*, viewer, start: datetime, end: datetime) -> Acceptance:
    """How the suggestions for requests collected in [start, end) within the viewer's scope
    were taken: per category filed (most requests first), per model version, and in all.
    Three aggregate queries, whatever the number of rows."""
    rows = Suggestion.objects.filter(
        scope_for(viewer).units_q("request__unit__"), collected_at__gte=start, collected_at__lt=end
    )
    first = dict(
        rows.exclude(suggested__isnull=True)
        .values_list("suggested_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    categories = [
        AcceptanceRow(
            category=r["chosen_id"],
            name=r["chosen__name"],
            group=r["chosen__parent__name"] or "",
            recorded=r["recorded"],
            accepted=r["accepted_n"],
            in_top3=r["in_top3_n"],
            suggested_first=first.get(r["chosen_id"], 0),
        )
        for r in rows.values("chosen_id", "chosen__name", "chosen__parent__name")
        .annotate(**_FIGURES)
        .order_by("-recorded", "chosen_id")
    ]
    versions = [
        KindRow(r["model_id"], r["kind"], r["recorded"], r["accepted_n"], r["in_top3_n"])
        for r in rows.values("model_id", "kind")
        .annotate(**_FIGURES)
        .order_by(F("model_id").desc(nulls_last=True), "kind")
    ]
    total = KindRow(
        None,
        "",
        sum(c.recorded for c in categories),
        sum(c.accepted for c in categories),
        sum(c.in_top3 for c in categories),
    )
    return Acceptance(start, end, total, categories, versions)


def last_day(end: datetime) -> date:
    """The last local day of a period that ends (exclusive) at ``end``."""
    return timezone.localtime(end - timedelta(microseconds=1)).date()
