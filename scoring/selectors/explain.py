"""The "why these points" explanation of a worker's or a community's quarter.

Built from the ledger with the same arithmetic (``scoring.calc.subject_total``) and the same
terms the computation used, so its total is the ranking's total. Every entry lists the cases or
records behind it, each with a link. A fixed number of queries whatever the number of entries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from casework.errors import NotFound
from casework.models import Case, OrgUnit, UnitKind, User
from casework.selectors.scope import scope_for
from scoring import calc
from scoring import providers as registry
from scoring.access import supervises_person
from scoring.calc import terms_from
from scoring.models import (
    DualServiceRecord,
    Evidence,
    Indicator,
    Quarter,
    ScoreEntry,
    ScoreResult,
    ServiceCardEntry,
    SupervisorEvaluation,
    Verification,
    VolunteerActivity,
)
from scoring.selectors.appeals import attach_appeals
from scoring.selectors.rules import terms_snapshot
from scoring.sources import (
    REF_CASE,
    REF_DUAL_SERVICE,
    REF_EVALUATION,
    REF_EVIDENCE,
    REF_SERVICE_CARD,
    REF_VERIFICATION,
    REF_VOLUNTEER_ACTIVITY,
    SOURCES,
    source_label,
)
from scoring.withheld import withheld_for


@dataclass
class Item:
    """A case or record behind an entry."""

    type: str
    id: int
    label: str
    url: str | None = None


@dataclass
class Line:
    entry: ScoreEntry
    label: str
    reason: str
    items: list[Item] = field(default_factory=list)
    #: Appeals (申诉) of this entry, whether the viewer may appeal it now, and, for an upheld
    #: appeal's correcting entry, that appeal (``scoring.selectors.appeals.attach_appeals``).
    appeals: list = field(default_factory=list)
    appealable: bool = False
    corrects: object = None


@dataclass
class Block:
    """One indicator category: its entries, raw sum and what it counts for."""

    indicator: Indicator
    terms: calc.Terms
    raw: Decimal = Decimal("0.00")
    subtotal: Decimal = Decimal("0.00")
    lines: list[Line] = field(default_factory=list)

    @property
    def limited(self) -> bool:
        """The weight, cap or floor changed what the category counts for."""
        return self.subtotal != self.raw


@dataclass
class Explanation:
    quarter: Quarter
    person: User | None
    unit: OrgUnit | None
    result: ScoreResult | None
    blocks: list[Block]
    own_total: Decimal
    total: Decimal
    #: Appeals whose entry is no longer in the ledger (computing again removed it).
    appeals_elsewhere: list = field(default_factory=list)
    #: Work of the quarter that does not score (yet): pending a call-back, or voided
    #: (``scoring.withheld``); people only.
    withheld: list[dict] = field(default_factory=list)

    @property
    def ranked_total(self) -> Decimal | None:
        return self.result.total if self.result else None

    @property
    def matches(self) -> bool:
        """The ledger still adds up to the published (or last computed) total."""
        return self.result is None or self.result.total == self.total


def plain(value: Decimal) -> str:
    """``12.00`` → ``12``, ``2.50`` → ``2.5``: quantities as people write them."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def entry_reason(entry: ScoreEntry) -> str:
    """Why an entry has its points, in the viewer's language."""
    if entry.manual:
        return entry.reason
    source = SOURCES.get(entry.source)
    if entry.detail.get("denominator"):
        return _(
            "%(rate)s%% (%(numerator)s of %(denominator)s) × %(per)s points per percentage point"
        ) % {
            "rate": plain(entry.quantity),
            "numerator": entry.detail["numerator"],
            "denominator": entry.detail["denominator"],
            "per": plain(entry.per),
        }
    return _("%(quantity)s × %(per)s points %(unit)s") % {
        "quantity": plain(entry.quantity),
        "per": plain(entry.per),
        "unit": source.per if source else "",
    }


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _items(entries: list[ScoreEntry]) -> dict[str, dict[int, Item]]:
    """Load what the entries point at: one query per kind of record."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        source = SOURCES.get(entry.source)
        if entry.detail.get("provider") and entry.refs:
            wanted[_provided(entry)].update(entry.ref_ids)
        elif source and source.ref and entry.refs:
            wanted[source.ref].update(entry.ref_ids)
    found: dict[str, dict[int, Item]] = defaultdict(dict)
    for ref, ids in wanted.items():
        if not ref.startswith("provided:"):
            continue
        provider = registry.providers().get(ref.removeprefix("provided:"))
        described = {}
        if provider is not None and provider.describe is not None:
            described = provider.describe(provider.kind, sorted(ids))
        for pk in ids:
            label, url = described.get(pk, (f"#{pk}", None))
            found[ref][pk] = Item("record", pk, label, url)
    if ids := wanted.get(REF_CASE):
        # Case pages belong to casework; link them when that page exists.
        linkable = _url("case-detail", 1) is not None
        for case in Case.objects.filter(pk__in=ids).only("pk", "created_at", "title"):
            url = reverse("case-detail", args=[case.pk]) if linkable else None
            found[REF_CASE][case.pk] = Item(REF_CASE, case.pk, f"{case.number} {case.title}", url)
    if ids := wanted.get(REF_EVIDENCE):
        for pk, ref, reason in Evidence.objects.filter(pk__in=ids).values_list(
            "pk", "source_ref", "reason"
        ):
            found[REF_EVIDENCE][pk] = Item(REF_EVIDENCE, pk, reason or ref)
    if ids := wanted.get(REF_SERVICE_CARD):
        base = reverse("scoring:service-card-list")
        for pk, day, title in ServiceCardEntry.objects.filter(pk__in=ids).values_list(
            "pk", "occurred_on", "title"
        ):
            found[REF_SERVICE_CARD][pk] = Item(
                REF_SERVICE_CARD, pk, f"{day:%Y-%m-%d} {title}", f"{base}#card-{pk}"
            )
    if ids := wanted.get(REF_VERIFICATION):
        for pk, draw, text, day in Verification.objects.filter(pk__in=ids).values_list(
            "pk", "draw_id", "commitment__text", "visited_on"
        ):
            url = reverse("scoring:draw-detail", args=[draw]) + f"#check-{pk}"
            found[REF_VERIFICATION][pk] = Item(REF_VERIFICATION, pk, f"{day:%Y-%m-%d} {text}", url)
    if ids := wanted.get(REF_DUAL_SERVICE):
        for pk, registration, day, hours, text in DualServiceRecord.objects.filter(
            pk__in=ids
        ).values_list("pk", "registration_id", "served_on", "hours", "description"):
            url = reverse("scoring:dual-detail", args=[registration]) + f"#service-{pk}"
            label = f"{day:%Y-%m-%d} {text} ({plain(hours)} h)"
            found[REF_DUAL_SERVICE][pk] = Item(REF_DUAL_SERVICE, pk, label, url)
    if ids := wanted.get(REF_VOLUNTEER_ACTIVITY):
        for pk, team, day, title in VolunteerActivity.objects.filter(pk__in=ids).values_list(
            "pk", "team_id", "held_on", "title"
        ):
            url = reverse("scoring:team-detail", args=[team]) + f"#activity-{pk}"
            found[REF_VOLUNTEER_ACTIVITY][pk] = Item(
                REF_VOLUNTEER_ACTIVITY, pk, f"{day:%Y-%m-%d} {title}", url
            )
    if ids := wanted.get(REF_EVALUATION):
        for evaluation in SupervisorEvaluation.objects.filter(pk__in=ids).select_related(
            "quarter", "evaluator"
        ):
            found[REF_EVALUATION][evaluation.pk] = Item(
                REF_EVALUATION,
                evaluation.pk,
                f"{evaluation.get_grade_display()} · {evaluation.evaluator}",
                reverse("scoring:evaluations", args=[evaluation.quarter.code]),
            )
    return found


def _provided(entry: ScoreEntry) -> str:
    """The key of records another app provided (``scoring.providers``)."""
    return f"provided:{entry.source}"


def _explain(quarter: Quarter, entries: list[ScoreEntry]) -> tuple[list[Block], Decimal]:
    terms = terms_from(quarter.terms or terms_snapshot())
    items = _items(entries)
    blocks: dict[int, Block] = {}
    for entry in entries:
        block = blocks.get(entry.indicator_id)
        if block is None:
            block = blocks[entry.indicator_id] = Block(
                entry.indicator, terms.get(entry.indicator_id, calc.Terms())
            )
        source = SOURCES.get(entry.source)
        ref = _provided(entry) if entry.detail.get("provider") else (source.ref if source else "")
        line_items = sorted(
            (items[ref][pk] for pk in entry.ref_ids if pk in items.get(ref, {})),
            key=lambda item: item.label,
        )
        block.lines.append(
            Line(entry, source_label(entry.source), entry_reason(entry), line_items)
        )
        block.raw += entry.points
    total, subtotals = calc.subject_total({pk: block.raw for pk, block in blocks.items()}, terms)
    for pk, block in blocks.items():
        block.subtotal = subtotals[pk]
    ordered = sorted(blocks.values(), key=lambda b: (b.indicator.sort_order, b.indicator.code))
    return ordered, total


def _entries(quarter: Quarter, **subject) -> list[ScoreEntry]:
    return list(
        ScoreEntry.objects.filter(quarter=quarter, **subject)
        .select_related("created_by", "indicator")
        .order_by("indicator_id", "source", "pk")
    )


def person_explanation(*, viewer, quarter: Quarter, person_id) -> Explanation:
    """Why ``person`` has their points in ``quarter``: the worker themselves, a supervisor or
    admin over a unit they belong to; anyone else gets ``NotFound``."""
    try:
        person = User.objects.get(pk=person_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such person."), field="person") from None
    if viewer.pk != person.pk and not supervises_person(viewer, person):
        raise NotFound(_("No such person."), field="person")
    result = (
        ScoreResult.objects.filter(quarter=quarter, person=person)
        .select_related("unit", "county", "town", "community")
        .first()
    )
    blocks, total = _explain(quarter, _entries(quarter, person=person))
    explanation = Explanation(quarter, person, None, result, blocks, total, total)
    explanation.appeals_elsewhere = attach_appeals(
        viewer=viewer,
        quarter=quarter,
        person=person,
        lines=[line for block in blocks for line in block.lines],
    )
    explanation.withheld = withheld_for(
        person_id=person.pk, start=quarter.starts_at, end=quarter.ends_at
    )
    return explanation


def community_explanation(*, viewer, quarter: Quarter, unit_id) -> Explanation:
    """Why a community has its points: its own entries (rates, manual points) and the mean of
    its workers' totals. For those who can see the community."""
    scope = scope_for(viewer)
    unit = (
        OrgUnit.objects.filter(scope.units_q(), kind=UnitKind.COMMUNITY).filter(pk=unit_id).first()
        if str(unit_id).isdigit()
        else None
    )
    if unit is None:
        raise NotFound(_("No such community."), field="unit")
    result = (
        ScoreResult.objects.filter(quarter=quarter, subject="community", unit=unit)
        .select_related("unit", "county", "town")
        .first()
    )
    blocks, own = _explain(quarter, _entries(quarter, unit=unit, person__isnull=True))
    # The workers' part (their mean × the policy's weight at the time) is as computed.
    workers_part = result.total - result.own_total if result is not None else Decimal(0)
    return Explanation(quarter, None, unit, result, blocks, own, calc.money(own + workers_part))
