"""星级社区工作者: a county's nomination round, its candidates, the county's decisions, awards.

Each function is one transaction that locks what it changes, checks role, scope and state, and
writes one ``HonourAction`` (several for a proposal). Refusals raise the project's domain errors
and write nothing. The county decides: a supervisor or administrator over the county (or the
whole tree); a town supervisor may add a candidate of their town with a reason.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from casework.models import OrgUnit, Role, UnitKind
from casework.selectors.scope import scope_for
from casework.text import clean_text
from scoring.models import (
    Award,
    HonourAction,
    HonourActionKind,
    Nomination,
    NominationRound,
    NominationSource,
    NominationStatus,
    Quarter,
    QuarterStatus,
    RoundStatus,
    Subject,
)
from scoring.models.honours import DEFAULT_TITLE
from scoring.selectors.rankings import PERIOD_CUMULATIVE, Standing, standings

COUNTY_ROLES = (Role.SUPERVISOR, Role.ADMIN)


def is_county_level(actor, county: OrgUnit) -> bool:
    """A supervisor or administrator over the county (or above it)."""
    return scope_for(actor).has_role(*COUNTY_ROLES, path=county.path)


def require_county_level(actor, county: OrgUnit, *, field: str = "county") -> None:
    if not is_county_level(actor, county):
        raise NotPermitted(
            _("Only the county (a supervisor or administrator over it) decides honours."),
            field=field,
        )


def _record(round_, kind, actor, at, *, nomination=None, note="", **data) -> HonourAction:
    return HonourAction.objects.create(
        round=round_, nomination=nomination, kind=kind, actor=actor, at=at, note=note, data=data
    )


def _awarded(year: int) -> set[int]:
    return set(Award.objects.filter(year=year).values_list("person_id", flat=True))


def _in_county(county: OrgUnit, year: int) -> dict[int, Standing]:
    """The county's workers by cumulative points up to the end of ``year``, by person id."""
    return {
        s.key: s
        for s in standings(subject=Subject.PERSON, period=PERIOD_CUMULATIVE, year=year)
        if s.county_id == county.pk
    }


def top_candidates(ranked: list[Standing], count: int, excluded: set[int]) -> list[Standing]:
    """The ``count`` highest cumulative totals, and everyone tied with the last of them (a tie
    is never split by an arbitrary order); the ``excluded`` are skipped."""
    ordered = sorted((s for s in ranked if s.key not in excluded), key=lambda s: (-s.total, s.key))
    if count <= 0 or not ordered:
        return []
    cut = ordered[min(count, len(ordered)) - 1].total
    return [s for s in ordered if s.total >= cut]


@transaction.atomic
def honour_round_open(
    *,
    actor,
    county: OrgUnit,
    year: int,
    title: str = DEFAULT_TITLE,
    candidate_count: int | None = None,
    now: datetime | None = None,
) -> NominationRound:
    """Open the county's round for ``year`` and propose its candidates: the
    ``candidate_count`` workers with the most cumulative points (累计积分, every published
    quarter up to the end of the year, ties with the last included), leaving out anyone
    already awarded that year. Records ``opened`` and ``proposed``.

    Refused: not a county (400), not the county's supervisor or administrator (403), no
    published quarter in the year (400), a round of that title and year already (409).
    """
    now = now or timezone.now()
    if county.kind != UnitKind.COUNTY:
        raise ValidationFailed(_("Choose a county."), field="county")
    require_county_level(actor, county)
    title = clean_text(title or DEFAULT_TITLE, field="title", limit=64, label=_("Title"))
    count = settings.MINQING_HONOUR_CANDIDATES if candidate_count is None else candidate_count
    if not 1 <= int(count) <= 500:
        raise ValidationFailed(_("Propose between 1 and 500 candidates."), field="candidate_count")
    if not Quarter.objects.filter(year=year, status=QuarterStatus.PUBLISHED).exists():
        raise ValidationFailed(
            _("No quarter of %(year)s is published: there are no points to propose from.")
            % {"year": year},
            field="year",
        )
    OrgUnit.objects.select_for_update().filter(pk=county.pk).first()
    if NominationRound.objects.filter(county=county, year=year, title=title).exists():
        raise Conflict(
            _("%(county)s already has a round for %(year)s.")
            % {"county": county.name, "year": year},
            code="round_exists",
            field="year",
        )
    round_ = NominationRound.objects.create(
        county=county,
        year=year,
        title=title,
        candidate_count=count,
        opened_by=actor,
        opened_at=now,
    )
    _record(round_, HonourActionKind.OPENED, actor, now, candidate_count=count)
    ranked = list(_in_county(county, year).values())
    chosen = top_candidates(ranked, count, _awarded(year))
    Nomination.objects.bulk_create(
        Nomination(
            round=round_,
            person_id=s.key,
            unit_id=s.unit_id,
            community_id=s.community_id,
            source=NominationSource.POINTS,
            cumulative_total=s.total,
            cumulative_rank=s.rank_in_county,
            nominated_by=actor,
            nominated_at=now,
        )
        for s in chosen
    )
    _record(
        round_,
        HonourActionKind.PROPOSED,
        actor,
        now,
        people=[s.key for s in chosen],
        totals=[str(s.total) for s in chosen],
    )
    return round_


def _locked_round(round_: NominationRound) -> NominationRound:
    locked = NominationRound.objects.select_for_update().select_related("county").get(pk=round_.pk)
    if locked.status != RoundStatus.OPEN:
        raise Conflict(_("This round is closed."), code="round_closed", field="round")
    return locked


@transaction.atomic
def nomination_add(
    *, actor, round: NominationRound, person, reason: str, now: datetime | None = None
) -> Nomination:
    """A supervisor nominates a worker of their town (or the county one of the county) with a
    reason. The worker must be ranked in the round's county. Records ``nominated``.

    Refused: round closed (409), the worker outside the county (400), not a supervisor over the
    worker (403), already a candidate or already awarded that year (409), no reason (400).
    """
    now = now or timezone.now()
    round_ = _locked_round(round)
    reason = clean_text(reason, field="reason", limit=2000, required=True, label=_("Reason"))
    standing = _in_county(round_.county, round_.year).get(person.pk)
    if standing is None:
        raise ValidationFailed(
            _("%(name)s is not ranked in %(county)s.")
            % {"name": person.get_full_name(), "county": round_.county.name},
            field="person",
        )
    unit = OrgUnit.objects.get(pk=standing.unit_id)
    if not scope_for(actor).has_role(Role.SUPERVISOR, Role.ADMIN, path=unit.path):
        raise NotPermitted(_("You do not supervise this worker."), field="person")
    if Nomination.objects.filter(round=round_, person=person).exists():
        raise Conflict(_("Already a candidate in this round."), code="nominated", field="person")
    if Award.objects.filter(person=person, year=round_.year).exists():
        raise Conflict(
            _("Already awarded in %(year)s.") % {"year": round_.year},
            code="awarded",
            field="person",
        )
    nomination = Nomination.objects.create(
        round=round_,
        person=person,
        unit=unit,
        community_id=standing.community_id,
        source=NominationSource.SUPERVISOR,
        reason=reason,
        cumulative_total=standing.total,
        cumulative_rank=standing.rank_in_county,
        nominated_by=actor,
        nominated_at=now,
    )
    _record(
        round_,
        HonourActionKind.NOMINATED,
        actor,
        now,
        nomination=nomination,
        note=reason,
        person=person.pk,
    )
    return nomination


def _certificate_number(county: OrgUnit, year: int) -> str:
    """The next number of the county and year, ``2026-001``: callers hold the county's lock."""
    taken = Award.objects.filter(county=county, year=year).values_list(
        "certificate_number", flat=True
    )
    used = [int(n.rsplit("-", 1)[-1]) for n in taken if n.rsplit("-", 1)[-1].isdigit()]
    return f"{year}-{max(used, default=0) + 1:03d}"


@transaction.atomic
def nomination_decide(
    *,
    actor,
    nomination: Nomination,
    approve: bool,
    reason: str,
    stars: int | None = None,
    now: datetime | None = None,
) -> Nomination:
    """The county approves a candidate (an ``Award`` with the next certificate number of the
    county and year) or rejects them, with a reason either way. Records ``approved`` or
    ``rejected``.

    Refused: not the county (403), round closed or the candidate already decided or awarded
    that year (409), no reason or stars outside 1–5 (400).
    """
    now = now or timezone.now()
    round_ = _locked_round(nomination.round)
    require_county_level(actor, round_.county, field="nomination")
    row = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if row.status != NominationStatus.PENDING:
        raise Conflict(_("This candidate is already decided."), code="decided", field="nomination")
    reason = clean_text(reason, field="reason", limit=2000, required=True, label=_("Reason"))
    if stars is not None and stars not in range(1, 6):
        raise ValidationFailed(_("Stars are 1 to 5."), field="stars")
    if approve:
        # The county's row is the lock for its certificate numbers across its rounds.
        OrgUnit.objects.select_for_update().filter(pk=round_.county_id).first()
        if Award.objects.filter(person_id=row.person_id, year=round_.year).exists():
            raise Conflict(
                _("Already awarded in %(year)s.") % {"year": round_.year},
                code="awarded",
                field="nomination",
            )
        Award.objects.create(
            nomination=row,
            person_id=row.person_id,
            county=round_.county,
            unit_id=row.unit_id,
            community_id=row.community_id,
            year=round_.year,
            title=round_.title,
            stars=stars,
            cumulative_total=row.cumulative_total or Decimal("0"),
            certificate_number=_certificate_number(round_.county, round_.year),
            approved_by=actor,
            approved_at=now,
        )
    row.status = NominationStatus.APPROVED if approve else NominationStatus.REJECTED
    row.decided_by, row.decided_at, row.decision_reason = actor, now, reason
    row.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _record(
        round_,
        HonourActionKind.APPROVED if approve else HonourActionKind.REJECTED,
        actor,
        now,
        nomination=row,
        note=reason,
        person=row.person_id,
        stars=stars,
    )
    return row


@transaction.atomic
def honour_round_close(
    *, actor, round: NominationRound, now: datetime | None = None
) -> NominationRound:
    """Close the round once every candidate is decided; its roll is then final. Records
    ``closed``. Refused: not the county (403), closed already or candidates waiting (409)."""
    now = now or timezone.now()
    round_ = _locked_round(round)
    require_county_level(actor, round_.county, field="round")
    waiting = round_.nominations.filter(status=NominationStatus.PENDING).count()
    if waiting:
        raise Conflict(
            _("%(n)s candidates still wait for a decision.") % {"n": waiting},
            code="pending",
            field="round",
        )
    round_.status, round_.closed_at = RoundStatus.CLOSED, now
    round_.save(update_fields=["status", "closed_at"])
    _record(round_, HonourActionKind.CLOSED, actor, now)
    return round_


def round_for_county(county_id) -> OrgUnit:
    """The county a round may be opened for (``NotFound`` for anything else)."""
    county = OrgUnit.objects.filter(pk=county_id, kind=UnitKind.COUNTY).first()
    if county is None:
        raise NotFound(_("No such county."), field="county")
    return county
