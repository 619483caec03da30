"""The demo shows this month's coverage (遍访): the demo community's secretary has visited one
compound this month and not the others; the visit figures of the demo's 民意反馈日 round in
兴业县 read the article's 84 / 72 / 12."""

from datetime import timedelta

from django.utils import timezone

from casework.models import OrgUnit, UnitKind
from requests_app.models import Visit
from requests_app.selectors.coverage import month_of, visit_coverage
from requests_app.selectors.visit_figures import visit_figures


def test_the_demo_community_has_compounds_visited_and_not_this_month(demo_data):
    community = OrgUnit.objects.filter(kind=UnitKind.COMMUNITY).order_by("path").first()
    month = month_of(timezone.localtime(demo_data.now).date())
    coverage = visit_coverage(unit=community, month=month)
    [row] = coverage["secretaries"]
    assert row["visits"] >= 1
    assert row["visited"] >= 1 and row["not_visited"]
    assert row["visited"] + len(row["not_visited"]) == row["compounds"]


def test_the_demo_round_reads_the_articles_figures(demo_data):
    xingye = OrgUnit.objects.get(kind=UnitKind.COUNTY, name="兴业县")
    round_ = Visit.objects.filter(kind="feedback_day", unit__path__startswith=xingye.path)
    first = round_.order_by("visited_at").first().visited_at
    last = round_.order_by("visited_at").last().visited_at
    figures = visit_figures(unit=xingye, start=first, end=last + timedelta(seconds=1))
    secretary_visits = Visit.objects.filter(
        kind="secretary",
        unit__path__startswith=xingye.path,
        visited_at__gte=first,
        visited_at__lte=last,
    )
    extra = sum(v.requests.count() for v in secretary_visits)
    assert figures["totals"]["visits"] == 11 + secretary_visits.count()
    assert figures["totals"]["collected"] == 84 + extra
    if not extra:  # the round alone: the article's words exactly
        assert figures["totals"]["answered_on_spot"] == 72
        assert figures["totals"]["assisted"] == 12
