"""Points for work that ends at intake, read by scoring without either app importing the other
(see ``scoring/providers.py``): a request answered on the spot (现场解答) scores for the person
who gave the answer."""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse

from requests_app.models import RequestEvent
from requests_app.models.requests import RequestEventKind


def answered_on_spot(start, end):
    """One row per answer given on the spot in [start, end): who answered, where."""
    return RequestEvent.objects.filter(
        kind=RequestEventKind.ANSWERED_ON_SPOT, created_at__gte=start, created_at__lt=end
    ).annotate(score_person=F("actor_id"), score_unit=F("request__unit_id"))


def describe(kind, ids):
    rows = RequestEvent.objects.filter(pk__in=ids).values_list(
        "pk", "request_id", "request__tracking_code", "request__description"
    )
    return {
        pk: (f"{code} {text[:40]}", reverse("requests_app:detail", args=[request_id]))
        for pk, request_id, code, text in rows
    }


SOURCES = {"answered_on_spot": answered_on_spot}
