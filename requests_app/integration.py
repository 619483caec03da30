"""What requests_app adds to casework's pages and figures, registered at start-up.

casework never imports this app; it offers registries (``casework.panels``,
``casework.figures``) that this module fills in ``RequestsAppConfig.ready()``.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count
from django.db.models.functions import Coalesce, Substr
from django.template.loader import render_to_string
from django.urls import reverse
from rest_framework import serializers

from casework.models import OrgUnit
from requests_app.models import Channel, Request
from requests_app.selectors import case_requests
from requests_app.selectors.visit_figures import dashboard_figures


def case_requests_panel(request, case) -> str:
    """The requests behind a case on the case page: their text, place, photos (served to every
    party to the case), the resident masked. Two queries however many requests."""
    return render_to_string(
        "requests_app/partials/case_requests.html",
        {"requests": case_requests(case=case), "case": case},
        request,
    )


class CaseRequestPhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="Serves the JPEG to every party to the case.")
    width = serializers.IntegerField()
    height = serializers.IntegerField()


class CaseRequestResidentSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Masked: the first character only.")
    phone = serializers.CharField(help_text="Masked: 138****5678.")


class CaseRequestSerializer(serializers.Serializer):
    """One request behind a case, as every party to the case reads it."""

    id = serializers.IntegerField()
    tracking_code = serializers.CharField()
    status = serializers.CharField()
    channel = serializers.CharField()
    channel_label = serializers.CharField(source="get_channel_display")
    category = serializers.IntegerField(source="category_id")
    category_name = serializers.CharField(source="category.name")
    unit = serializers.IntegerField(source="unit_id")
    place_label = serializers.CharField()
    urgency = serializers.CharField()
    description = serializers.CharField()
    answer = serializers.CharField()
    collected_at = serializers.DateTimeField()
    created_at = serializers.DateTimeField()
    resident = CaseRequestResidentSerializer(source="resident_masked", allow_null=True)
    photos = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    def get_photos(self, row) -> list[dict]:
        return CaseRequestPhotoSerializer(
            [
                {
                    "id": p.pk,
                    "url": reverse("requests_app:photo", args=[row.pk, p.pk]),
                    "width": p.width,
                    "height": p.height,
                }
                for p in row.photos.all()
            ],
            many=True,
        ).data

    def get_page(self, row) -> str:
        return reverse("requests_app:detail", args=[row.pk])


def case_requests_detail(request, case) -> list[dict]:
    """The same, for the case's API detail (``linked_requests``)."""
    return CaseRequestSerializer(case_requests(case=case), many=True).data


def request_figures(*, unit: OrgUnit, start: datetime, end: datetime) -> dict[str, int]:
    """The article's intake figures for the dashboard, two queries.

    ``requests_collected``: every request of every channel collected in the period (a volume,
    labelled as such). The report's 收集 / 现场解答 / 协助办理 are the 民情书记's visits' own
    figures (``visit_*``, ``requests_app.selectors.visit_figures``): the requests logged in
    their visits, collected = answered on the spot + assisted + merged + rejected + pending.
    """
    collected = Request.objects.filter(
        unit__path__startswith=unit.path, collected_at__gte=start, collected_at__lt=end
    ).count()
    return {
        "requests_collected": collected,
        **dashboard_figures(unit=unit, start=start, end=end),
    }


def request_volumes(*, unit: OrgUnit, start: datetime, end: datetime) -> dict:
    """Requests by channel and by top-level category."""
    base = Request.objects.filter(
        unit__path__startswith=unit.path, collected_at__gte=start, collected_at__lt=end
    ).order_by()
    labels = dict(Channel.choices)
    by_channel = [
        {"channel": code, "label": str(labels.get(code, code)), "requests": n}
        for code, n in base.values_list("channel").annotate(n=Count("pk")).order_by("-n")
    ]
    by_category = [
        {"category": name, "requests": n}
        for name, n in base.annotate(group=Coalesce("category__parent__name", "category__name"))
        .values_list("group")
        .annotate(n=Count("pk"))
        .order_by("-n", "group")
    ]
    return {"requests_by_channel": by_channel, "requests_by_category": by_category}


def request_hotspots(*, unit: OrgUnit, start: datetime, end: datetime, top: int = 10) -> dict:
    """The compounds and categories with the most requests, and places that keep asking.

    A repeat is a place (compound or building) with three or more requests of one category in
    the period: the same problem coming back.
    """
    base = Request.objects.filter(
        unit__path__startswith=unit.path, collected_at__gte=start, collected_at__lt=end
    ).order_by()
    compound_len = OrgUnit.steplen * 6  # city, county, town, community, grid, compound
    places = (
        base.annotate(compound=Substr("unit__path", 1, compound_len))
        .values("compound")
        .annotate(n=Count("pk"))
        .order_by("-n", "compound")[:top]
    )
    names = dict(
        OrgUnit.objects.filter(path__in=[p["compound"] for p in places]).values_list(
            "path", "name"
        )
    )
    categories = (
        base.values("category__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__name")[:top]
    )
    repeats = list(
        base.annotate(compound=Substr("unit__path", 1, compound_len))
        .values("compound", "category__name")
        .annotate(n=Count("pk"))
        .filter(n__gte=3)
        .order_by("-n", "compound")[:top]
    )
    names = dict(
        OrgUnit.objects.filter(
            path__in=[p["compound"] for p in places] + [r["compound"] for r in repeats]
        ).values_list("path", "name")
    )
    return {
        "compounds": [{"place": names.get(p["compound"], ""), "requests": p["n"]} for p in places],
        "categories": [{"category": c["category__name"], "requests": c["n"]} for c in categories],
        "repeats": [
            {
                "place": names.get(r["compound"], ""),
                "category": r["category__name"],
                "requests": r["n"],
            }
            for r in repeats
        ],
    }
