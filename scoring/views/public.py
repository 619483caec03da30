"""Pledges made public (承诺公示): a community's workers' pledges of this year and what their
checks found, for anyone, printable as an A4 poster with a QR code that opens the page.

No login. Workers are public servants: their name, role and pledge are shown; nothing of a
resident is (not the checks' notes of what residents said, not who was visited), and numbers
typed into a pledge are scrubbed. Look-ups are throttled per address, as the tracking page's.
"""

from __future__ import annotations

import io

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from casework.models import Membership, OrgUnit, UnitKind
from casework.text import scrub_personal
from casework.throttle import budget_retry_after, over_budget
from scoring.models import Commitment, Verification, VerificationOutcome

#: Look-ups (page and QR) allowed per client address per window.
PUBLIC_LIMIT = 60
PUBLIC_WINDOW = 600


def _throttled(request) -> bool:
    return over_budget(request, "public", limit=PUBLIC_LIMIT, window=PUBLIC_WINDOW)


def _community(pk: int) -> OrgUnit:
    community = OrgUnit.objects.filter(pk=pk, kind=UnitKind.COMMUNITY, is_active=True).first()
    if community is None:
        raise Http404
    return community


def _public(response):
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _too_many(request):
    response = render(request, "scoring/public_throttled.html", status=429)
    response["Retry-After"] = budget_retry_after(request, "public", window=PUBLIC_WINDOW)
    return _public(response)


def public_pledges_rows(community: OrgUnit, year: int) -> list[dict]:
    """The community's pledges of ``year``: who (name and role), the category, the pledge and
    its checks' outcomes and dates. Nothing else is read, so nothing else can show."""
    pledges = list(
        Commitment.objects.filter(unit__path__startswith=community.path, year=year)
        .select_related("person", "indicator")
        .order_by("person__name", "person_id", "indicator__code", "pk")
    )
    roles: dict[int, list[str]] = {}
    for user_id, role in (
        Membership.objects.filter(
            user_id__in={p.person_id for p in pledges}, unit__path__startswith=community.path
        )
        .order_by("role")
        .values_list("user_id", "role")
        .distinct()
    ):
        roles.setdefault(user_id, []).append(Membership(role=role).get_role_display())
    checks: dict[int, list[dict]] = {}
    for commitment_id, outcome, visited_on in (
        Verification.objects.filter(commitment__in=pledges)
        .order_by("commitment_id", "draw__drawn_at", "pk")
        .values_list("commitment_id", "outcome", "visited_on")
    ):
        checks.setdefault(commitment_id, []).append(
            {
                "outcome": VerificationOutcome(outcome).label,
                "kept": outcome == VerificationOutcome.KEPT,
                "broken": outcome == VerificationOutcome.BROKEN,
                "visited_on": visited_on,
            }
        )
    return [
        {
            "name": pledge.person.get_full_name(),
            "roles": roles.get(pledge.person_id, []),
            "category": pledge.indicator.label,
            "text": scrub_personal(pledge.text),
            "checks": checks.get(pledge.pk, []),
        }
        for pledge in pledges
    ]


@require_GET
def public_pledges(request, pk: int):
    if _throttled(request):
        return _too_many(request)
    community = _community(pk)
    year = timezone.localdate().year
    context = {
        "community": community,
        "year": year,
        "rows": public_pledges_rows(community, year),
        "town": OrgUnit.objects.filter(path=community.parent_path()).first(),
        "page_url": request.build_absolute_uri(reverse("public-pledges", kwargs={"pk": pk})),
    }
    return _public(render(request, "scoring/public_pledges.html", context))


@require_GET
def public_pledges_qr(request, pk: int):
    """A QR code (SVG) holding the public page's address and nothing else."""
    if _throttled(request):
        return _too_many(request)
    _community(pk)
    buffer = io.BytesIO()
    url = request.build_absolute_uri(reverse("public-pledges", kwargs={"pk": pk}))
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=8, border=2, xmldecl=False, dark="#000", light="#fff"
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return _public(response)
