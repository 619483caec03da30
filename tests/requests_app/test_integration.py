"""What intake adds to casework without casework importing it: the case page's requests panel,
the case API's ``requests``, and the article's figures."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from casework.figures import figures
from requests_app.services.requests import request_answer_on_spot, request_open_case


def test_the_case_shows_its_requests_with_masked_phones(collect, people, client_as, api_as):
    request = collect()
    case = request_open_case(request=request, actor=people.grid_a1)
    page = client_as(people.supervisor_a).get(reverse("case-detail", args=[case.pk]))
    html = page.content.decode()
    assert 'data-panel="requests"' in html
    assert request.tracking_code_display in html  # the one way codes are written on pages
    assert "138****5678" in html and "13812345678" not in html
    body = api_as(people.supervisor_a).get(f"/api/v1/cases/{case.pk}/").json()
    assert body["requests"] == [request.pk]


def test_the_articles_figures_count_requests(collect, people, tree):
    answered = collect()
    request_answer_on_spot(request=answered, actor=people.grid_a1, answer="已解答")
    opened = collect()
    request_open_case(request=opened, actor=people.grid_a1)
    collect()
    now = timezone.now()
    found = figures(unit=tree.county, start=now - timedelta(days=1), end=now + timedelta(days=1))
    assert found["requests_collected"] == 3  # every channel: a volume, labelled as such
    # On the spot / assisted are the 民情书记's visits' figures: none were logged in a visit.
    assert "requests_answered_on_spot" not in found and "requests_assisted" not in found
    assert found["visit_collected"] == 0 and found["visit_answered_on_spot"] == 0
    assert found["meetings_held"] == 0
    elsewhere = figures(unit=tree.community_b, start=now - timedelta(days=1), end=now)
    assert elsewhere["requests_collected"] == 0


def test_hot_spots_name_the_compound_that_keeps_asking(collect, tree):
    from requests_app.integration import request_hotspots, request_volumes

    for _ in range(3):
        collect()
    now = timezone.now()
    spots = request_hotspots(unit=tree.county, start=now - timedelta(days=1), end=now)
    assert spots["compounds"] == [{"place": "阳光小区", "requests": 3}]
    assert spots["repeats"] == [{"place": "阳光小区", "category": "电梯故障", "requests": 3}]
    volumes = request_volumes(unit=tree.county, start=now - timedelta(days=1), end=now)
    assert volumes["requests_by_channel"] == [
        {"channel": "onsite", "label": "现场走访", "requests": 3}
    ]


def test_request_lists_name_a_building_with_its_compound(api_as, client_as, collect, people):
    request = collect()  # the fixture collects at 1栋 of 阳光小区
    row = api_as(people.supervisor_a).get("/api/v1/requests/").json()["results"][0]
    assert row["id"] == request.pk and row["unit_name"] == "阳光小区 1栋"
    page = client_as(people.grid_a1).get("/requests/").content.decode()
    assert "阳光小区 1栋" in page
