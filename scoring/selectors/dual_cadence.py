"""The rhythm of 双报到 per member and per community: what is due and what is missing.

Due, for a registration of year Y, seen on ``today``: the report-in (报到); a monthly account for
each month from the month of registration up to last month (all of Y once it has ended); a
quarterly meeting for each quarter from the quarter of registration up to the last ended one.
Missing: due and no record (withdrawn records do not count). Three queries however many
members: the viewer's scope, the registrations, their records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from casework.models import OrgUnit
from scoring.models import CadenceKind, DualCadenceRecord, DualRegistration
from scoring.selectors.evidence import dual_registration_list


def months_due(registered_on: date, year: int, today: date) -> list[int]:
    """The months of ``year`` whose account is due: from registration up to last month."""
    if year > today.year or registered_on.year != year:
        return []
    end = today.month if year == today.year else 13
    return list(range(registered_on.month, end))


def quarters_due(registered_on: date, year: int, today: date) -> list[int]:
    """The quarters of ``year`` whose meeting is due: from registration to the last ended."""
    if year > today.year or registered_on.year != year:
        return []
    last = (today.month - 1) // 3 if year == today.year else 4
    return list(range((registered_on.month - 1) // 3 + 1, last + 1))


@dataclass
class MemberCadence:
    registration: DualRegistration
    report_in: DualCadenceRecord | None
    months: dict[int, DualCadenceRecord]
    quarters: dict[int, DualCadenceRecord]
    months_due: list[int]
    quarters_due: list[int]

    @property
    def months_missing(self) -> list[int]:
        return [m for m in self.months_due if m not in self.months]

    @property
    def quarters_missing(self) -> list[int]:
        return [q for q in self.quarters_due if q not in self.quarters]

    @property
    def missing(self) -> int:
        """How many due items have no record."""
        return (self.report_in is None) + len(self.months_missing) + len(self.quarters_missing)


@dataclass
class CommunityCadence:
    community: OrgUnit
    members: int = 0
    not_reported_in: int = 0
    months_due: int = 0
    months_missing: int = 0
    quarters_due: int = 0
    quarters_missing: int = 0
    members_missing: int = 0
    rows: list[MemberCadence] = field(default_factory=list)


def _records(registration_ids: list[int]) -> dict[int, list[DualCadenceRecord]]:
    found: dict[int, list[DualCadenceRecord]] = defaultdict(list)
    rows = DualCadenceRecord.objects.filter(
        registration_id__in=registration_ids, withdrawn_at__isnull=True
    ).order_by("held_on", "pk")
    for record in rows:
        found[record.registration_id].append(record)
    return found


def member_cadence(registration: DualRegistration, records, today: date) -> MemberCadence:
    """The cadence of one registration from its (not withdrawn) records."""
    by_kind: dict[str, dict[int, DualCadenceRecord]] = defaultdict(dict)
    for record in records:
        by_kind[record.kind].setdefault(record.period, record)
    return MemberCadence(
        registration=registration,
        report_in=by_kind[CadenceKind.REPORT_IN].get(0),
        months=by_kind[CadenceKind.MONTHLY],
        quarters=by_kind[CadenceKind.QUARTERLY],
        months_due=months_due(registration.registered_on, registration.year, today),
        quarters_due=quarters_due(registration.registered_on, registration.year, today),
    )


def dual_cadence(
    *,
    viewer,
    year: int,
    today: date | None = None,
    within: OrgUnit | None = None,
    missing_only: bool = False,
) -> list[CommunityCadence]:
    """Per community (then per member) the cadence of the year's registrations the viewer may
    see (their own, or those of communities in their scope), ``within`` a place if given."""
    today = today or timezone.localdate()
    registrations = dual_registration_list(viewer=viewer, year=year)
    if within is not None:
        registrations = registrations.filter(Q(community__path__startswith=within.path))
    registrations = list(registrations)
    records = _records([r.pk for r in registrations])
    communities: dict[int, CommunityCadence] = {}
    for registration in registrations:
        row = member_cadence(registration, records.get(registration.pk, []), today)
        group = communities.get(registration.community_id)
        if group is None:
            group = communities[registration.community_id] = CommunityCadence(
                registration.community
            )
        group.members += 1
        group.not_reported_in += row.report_in is None
        group.months_due += len(row.months_due)
        group.months_missing += len(row.months_missing)
        group.quarters_due += len(row.quarters_due)
        group.quarters_missing += len(row.quarters_missing)
        group.members_missing += row.missing > 0
        if row.missing or not missing_only:
            group.rows.append(row)
    return sorted(communities.values(), key=lambda g: g.community.path)


def registration_cadence(registration: DualRegistration, today: date | None = None):
    """One registration's cadence and all its records, withdrawn ones included (the history)."""
    today = today or timezone.localdate()
    history = list(
        DualCadenceRecord.objects.filter(registration=registration)
        .select_related("recorded_by", "withdrawn_by")
        .order_by("-held_on", "-pk")
    )
    live = [r for r in history if r.withdrawn_at is None]
    return member_cadence(registration, live, today), history
