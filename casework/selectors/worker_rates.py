"""The six rates per worker: for each handler (承办人) and each collector (网格员, 民情书记,
志愿者), over a period, in a constant number of queries however many workers there are.

The rates are the unit rates' (``casework.rates.rates`` over ``Counts``), and the counts the
same events the tallies count (``casework.tallies.tally_counts``, the SQL of ``deltas``),
grouped by the person each event is about instead of by place and day:

- as a **handler**: the sign-for (签收) of whoever signed; the dispatch (assignment, transfer)
  of the handler it named; the result (办结, also by a consultation), the return visit (回访),
  the resident's own rating and the return (回退) of the handler the event names (a return
  with none: whoever returned it); an extension decision, a parking and a failed check of the
  case's handler;
- as a **collector**: every counted event of the cases they opened (``Case.created_by``: the
  worker who collected the request and opened it as a case, 协助办理).

A worker with fewer than ``MINQING_RATE_MIN_CASES`` cases behind their counts is listed apart
("too few cases to rate"), never ranked; the others are ranked worst first by the standing the
red and black lists use (``casework.selectors.dashboard.standing_of``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import BigIntegerField, Count, F, When
from django.db.models import Case as Switch
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from casework.errors import NotFound
from casework.models import TALLY_FIELDS, EventKind, Membership, OrgUnit, Role
from casework.models.people import COLLECTOR_ROLES
from casework.rates import Counts, rates
from casework.selectors.dashboard import month_start, next_month, standing_of
from casework.selectors.events import case_events_between, handler_of
from casework.selectors.scope import scope_for
from casework.tallies import ANSWERS, COUNTED_KINDS, DISPATCHES, tally_counts

HANDLER = "handler"
COLLECTOR = "collector"
WORKER_ROLES = frozenset({Role.HANDLER, *COLLECTOR_ROLES})
#: Who sees every worker of a unit; anyone else sees only themself.
OVERSEER_ROLES = (Role.SUPERVISOR, Role.ADMIN)


def min_cases() -> int:
    """The fewest cases behind a worker's counts for their rates to be ranked."""
    return int(getattr(settings, "MINQING_RATE_MIN_CASES", 5))


@dataclass
class WorkerRates:
    person_id: int
    name: str
    role: str  # HANDLER or COLLECTOR
    counts: Counts = field(default_factory=Counts)
    cases: int = 0

    @property
    def rates(self) -> dict[str, float | None]:
        return rates(self.counts)

    @property
    def standing(self) -> float | None:
        return standing_of(self.rates)

    @property
    def rated(self) -> bool:
        return self.cases >= min_cases() and self.standing is not None

    def as_dict(self) -> dict:
        return {
            "person": {"id": self.person_id, "name": self.name},
            "role": self.role,
            "cases": self.cases,
            "counts": {name: getattr(self.counts, name) for name in TALLY_FIELDS},
            "rates": self.rates,
            # Beside the on-time rate, not in it: deadlines moved (延期), as the unit shows.
            "extensions": self.counts.extended,
            "standing": self.standing,
        }


def handler_of_event() -> Switch:
    """The handler an event counts for (see the module's docstring)."""
    named = handler_of()
    return Switch(
        When(kind=EventKind.ACCEPTED, then=F("actor_id")),
        When(kind=EventKind.RETURNED, then=Coalesce(named, F("actor_id"))),
        When(
            kind__in=(*DISPATCHES, EventKind.RESOLVED, EventKind.CONSULTED, *ANSWERS),
            then=named,
        ),
        default=F("case__handler_id"),
        output_field=BigIntegerField(),
    )


def _grouped(person, people, start: datetime, end: datetime) -> dict[int, tuple[Counts, int]]:
    rows = (
        case_events_between(*COUNTED_KINDS, start=start, end=end)
        .annotate(person=person)
        .filter(person__in=people)
        .values("person")
        .annotate(n_cases=Count("case_id", distinct=True), **tally_counts())
    )
    return {
        row["person"]: (Counts(**{n: row[n] or 0 for n in TALLY_FIELDS}), row["n_cases"])
        for row in rows
    }


def _rates_of(members, start: datetime, end: datetime) -> list[WorkerRates]:
    """Rows for the (person, role) memberships ``members``: three queries in all."""
    rows = list(
        members.filter(role__in=WORKER_ROLES, user__is_active=True)
        # An integration's account (an Open311 key) collects but is nobody's worker.
        .filter(user__is_service_account=False)
        .values_list("user_id", "user__name", "role")
        .distinct()
    )
    handlers = members.filter(role=Role.HANDLER).values("user_id")
    collectors = members.filter(role__in=COLLECTOR_ROLES).values("user_id")
    as_handler = _grouped(handler_of_event(), handlers, start, end)
    as_collector = _grouped(F("case__created_by_id"), collectors, start, end)
    found: dict[tuple[int, str], WorkerRates] = {}
    for person_id, name, role in rows:
        kind = HANDLER if role == Role.HANDLER else COLLECTOR
        if (person_id, kind) in found:
            continue
        counts, cases = (as_handler if kind == HANDLER else as_collector).get(
            person_id, (Counts(), 0)
        )
        found[(person_id, kind)] = WorkerRates(person_id, name, kind, counts, cases)
    return sorted(found.values(), key=_worst_first)


def _worst_first(row: WorkerRates):
    standing = row.standing
    return (standing is None, standing if standing is not None else 0, row.name, row.role)


def worker_rates(*, viewer, unit: OrgUnit, start: datetime, end: datetime) -> list[WorkerRates]:
    """The rates of the workers of ``unit``'s subtree over ``[start, end)``, worst first: every
    worker to a supervisor or administrator over the unit, only themself to anyone else who
    covers it; ``NotFound`` when the viewer does not cover the unit."""
    scope = scope_for(viewer)
    if not scope.covers_path(unit.path):
        raise NotFound(_("No such unit."), field="unit")
    members = Membership.objects.filter(
        unit__path__startswith=unit.path, unit__is_active=True
    ).order_by()
    if not scope.has_role(*OVERSEER_ROLES, path=unit.path):
        members = members.filter(user=viewer)
    return _rates_of(members, start, end)


def own_rates(*, viewer, start: datetime, end: datetime) -> list[WorkerRates]:
    """The viewer's own rates, as handler and/or collector, over all their places."""
    members = Membership.objects.filter(user=viewer, unit__is_active=True).order_by()
    return _rates_of(members, start, end)


def split_rated(rows: list[WorkerRates]) -> tuple[list[WorkerRates], list[WorkerRates]]:
    """The rows with enough cases to rate (worst first), and the rest."""
    return [r for r in rows if r.rated], [r for r in rows if not r.rated]


def worker_rates_table(rows: list[WorkerRates]) -> dict:
    rated, too_few = split_rated(rows)
    return {
        "minimum_cases": min_cases(),
        "workers": [r.as_dict() for r in rated],
        "too_few": [r.as_dict() for r in too_few],
    }


# --- The periods a worker's own page shows ------------------------------------------------------


def quarter_start(day: date) -> date:
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def own_periods(today: date) -> list[tuple[str, date, date]]:
    """This and the previous month and quarter, as (key, first day, last day)."""
    this_month = month_start(today)
    last_month = month_start(this_month - timedelta(days=1))
    this_quarter = quarter_start(today)
    last_quarter = quarter_start(this_quarter - timedelta(days=1))
    return [
        ("this_month", this_month, next_month(this_month) - timedelta(days=1)),
        ("last_month", last_month, this_month - timedelta(days=1)),
        ("this_quarter", this_quarter, _after_quarter(this_quarter) - timedelta(days=1)),
        ("last_quarter", last_quarter, this_quarter - timedelta(days=1)),
    ]


def _after_quarter(first: date) -> date:
    return next_month(next_month(next_month(first)))
