"""Reads for the public door: places a resident can pick, and open requests like theirs.

Nothing here reads a person: places are communities and compounds (names only), and a
duplicate candidate shows its category, place, date, stage and a short excerpt of its text
with every digit masked, never the resident. A candidate is referred to by a signed, expiring
reference (``candidate_ref``), not by its tracking code: tracking codes stay the filing
resident's handle, shown to another resident only once they have added their voice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from django.core import signing
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import ValidationFailed
from casework.models import OrgUnit, UnitKind
from casework.selectors.org import compound_name
from casework.text import scrub_personal
from requests_app.models import Request, RequestStatus
from requests_app.selectors.requests import JOINABLE_CASE_STATES, mask_name
from requests_app.similarity import text_similarity
from requests_app.views.track import CASE_STAGES, REQUEST_STAGES
from selfservice.models import Voice

#: What a resident picks: their compound, or only their community when they do not know it.
PICKABLE_KINDS = (UnitKind.COMPOUND, UnitKind.COMMUNITY)
SEARCH_LIMIT = 20
QUERY_MAX = 40
#: Duplicates: how far back, how alike, how many are offered.
DUPLICATE_DAYS = 30
DUPLICATE_MIN_SIMILARITY = 0.2
DUPLICATE_LIMIT = 3
EXCERPT_LENGTH = 40
REF_SALT = "minqing.selfservice.candidate"
#: A candidate's reference is good for this long after it was shown.
REF_MAX_AGE = 2 * 3600

_DIGITS = re.compile(r"\d")


# --- Places -------------------------------------------------------------------------------------


def place_search(q: str) -> list[dict]:
    """Active communities and compounds whose name (or pinyin, initials too) holds ``q``, names
    starting with it first; each with its community, town and county names. Two queries."""
    term = "".join((q or "").split()).lower()[:QUERY_MAX]
    if not term or "\x00" in term:
        return []
    rows = list(
        OrgUnit.objects.filter(kind__in=PICKABLE_KINDS, is_active=True)
        .filter(Q(name__icontains=term) | Q(pinyin__contains=term))
        .annotate(
            first=Case(
                When(name__istartswith=term, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("first", "name", "path")
        .only("id", "name", "kind", "path")[:SEARCH_LIMIT]
    )
    return places_described(rows)


def places_described(rows: list[OrgUnit]) -> list[dict]:
    """Each place as the door shows it: id, kind, name and the names of its community, town
    and county. One query for all of them."""
    steplen = OrgUnit.steplen

    def above_paths(path):
        return [path[:n] for n in range(steplen, len(path), steplen)]

    above = {
        u.path: u
        for u in OrgUnit.objects.filter(
            path__in={p for r in rows for p in above_paths(r.path)},
            kind__in=(UnitKind.COUNTY, UnitKind.TOWN, UnitKind.COMMUNITY),
        ).only("name", "kind", "path")
    }
    found = []
    for row in rows:
        names = {above[p].kind: above[p].name for p in above_paths(row.path) if p in above}
        found.append(
            {
                "id": row.pk,
                "kind": row.kind,
                "name": row.name,
                "community": names.get(UnitKind.COMMUNITY, ""),
                "town": names.get(UnitKind.TOWN, ""),
                "county": names.get(UnitKind.COUNTY, ""),
            }
        )
    return found


def place_label(place: dict) -> str:
    """ "阳光小区（城东社区，博白镇）" for a compound, "城东社区（博白镇）" for a community."""
    around = [n for n in (place["community"], place["town"]) if n]
    return f"{place['name']}（{'，'.join(around)}）" if around else place["name"]


@dataclass(frozen=True)
class Landing:
    """Where a resident's choice puts a request: ``chosen`` as picked, ``unit`` what it is
    filed about (a request is about a grid, compound or building)."""

    chosen: OrgUnit
    unit: OrgUnit


def place_land(place_id) -> Landing:
    """The active compound or community ``place_id``, and where a request about it lands.

    A compound is filed about itself. A resident who knows only the community files about the
    community's first active grid (in the tree's order): its grid worker takes it up and moves
    nothing further; without any grid the community cannot take requests online (400).
    """
    try:
        pk = int(place_id)
    except (TypeError, ValueError):
        pk = None
    chosen = (
        OrgUnit.objects.filter(pk=pk, kind__in=PICKABLE_KINDS, is_active=True).first()
        if pk is not None and 0 < pk < 2**63
        else None
    )
    if chosen is None:
        raise ValidationFailed(
            _("Choose your compound or community from the list."),
            field="place",
            code="does_not_exist",
        )
    if chosen.kind == UnitKind.COMPOUND:
        return Landing(chosen=chosen, unit=chosen)
    grid = (
        OrgUnit.objects.filter(path__startswith=chosen.path, kind=UnitKind.GRID, is_active=True)
        .order_by("path")
        .first()
    )
    if grid is None:
        raise ValidationFailed(
            _("This community takes no reports online yet. Please choose your compound."),
            field="place",
            code="no_grid",
        )
    return Landing(chosen=chosen, unit=grid)


# --- Duplicates ---------------------------------------------------------------------------------


def voice_count():
    """Annotation: how many other residents added their voice to the request."""
    return Coalesce(
        Subquery(
            Voice.objects.filter(request=OuterRef("pk"))
            .order_by()
            .values("request")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def excerpt(text: str, *, names: tuple[str, ...] = ()) -> str:
    """The first words of a request, phone and ID numbers gone, every other digit masked (a
    flat's number says who lives there), and the ``names`` known to be in it (the resident's
    own, as recorded) masked as the lists mask names ("王*")."""
    text = scrub_personal(unicodedata.normalize("NFKC", text or ""))
    for name in sorted({n.strip() for n in names if n and len(n.strip()) > 1}, key=len)[::-1]:
        text = text.replace(unicodedata.normalize("NFKC", name), mask_name(name))
    text = _DIGITS.sub("*", " ".join(text.split()))
    if len(text) > EXCERPT_LENGTH:
        text = text[: EXCERPT_LENGTH - 1] + "…"
    return text


def candidate_ref(request_id: int) -> str:
    return signing.dumps(request_id, salt=REF_SALT)


def candidate_from_ref(ref: str | None) -> int:
    """The request id a reference was made for; ``ValidationFailed`` naming ``candidate``."""
    try:
        pk = signing.loads(ref or "", salt=REF_SALT, max_age=REF_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one
        pk = None
    if not isinstance(pk, int):
        raise ValidationFailed(
            _("This suggestion has expired. Please describe your problem again."),
            field="candidate",
            code="invalid",
        )
    return pk


@dataclass(frozen=True)
class DoorCandidate:
    ref: str
    category: str
    place: str
    reported_on: date
    stage: str
    excerpt: str
    #: Residents who raised it: the one who filed it and those who added their voice.
    residents: int
    score: float


def still_open_q() -> Q:
    """Requests still waiting for a decision, or whose case is not closed (resolved cases wait
    for the resident's answer and still take duplicates)."""
    return Q(status=RequestStatus.COLLECTED) | Q(
        status=RequestStatus.CASE_OPENED, case__state__in=JOINABLE_CASE_STATES
    )


def door_duplicates(*, chosen: OrgUnit, description: str) -> list[DoorCandidate]:
    """Open requests about the chosen compound (or anywhere in the chosen community) from the
    last ``DUPLICATE_DAYS`` whose text is at least ``DUPLICATE_MIN_SIMILARITY`` alike, best first,
    at most ``DUPLICATE_LIMIT``. One query of at most 100 rows; the text compared in Python."""
    if not (description or "").strip():
        return []
    rows = (
        Request.objects.filter(
            still_open_q(),
            unit__path__startswith=chosen.path,
            collected_at__gte=timezone.now() - timedelta(days=DUPLICATE_DAYS),
        )
        .select_related("category", "unit", "case", "resident")
        .only(
            "pk",
            "description",
            "collected_at",
            "status",
            "category__name",
            "unit__name",
            "unit__kind",
            "unit__path",
            "case__state",
            "resident__name",
        )
        .annotate(compound_name=compound_name("unit__path"), voice_count=voice_count())
        .order_by("-collected_at", "-pk")[:100]
    )
    found = []
    for row in rows:
        score = text_similarity(description, row.description)
        if score < DUPLICATE_MIN_SIMILARITY:
            continue
        stage = (
            CASE_STAGES.get(row.case.state, "")
            if row.case_id is not None
            else REQUEST_STAGES.get(row.status, "")
        )
        found.append(
            DoorCandidate(
                ref=candidate_ref(row.pk),
                category=row.category.name,
                place=row.place_label,
                reported_on=timezone.localdate(row.collected_at),
                stage=str(stage),
                excerpt=excerpt(
                    row.description, names=(row.resident.name,) if row.resident_id else ()
                ),
                residents=1 + row.voice_count,
                score=round(score, 3),
            )
        )
    found.sort(key=lambda c: -c.score)
    return found[:DUPLICATE_LIMIT]
