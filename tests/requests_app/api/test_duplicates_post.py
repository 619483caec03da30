"""The duplicate check takes its text in a POST body (a phone number in the description never
sits in a URL or an access log); the GET form stays, deprecated in the schema, and the intake
page's script posts."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from requests_app.services import request_open_case

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests/duplicates/"


def _params(tree, categories, **extra):
    return {
        "category": categories.elevator.pk,
        "unit": tree.compound_a1.pk,
        "description": "1栋的电梯又停在半层了，电话13812345678",
        **extra,
    }


def test_post_finds_the_same_duplicates_as_get(api_as, people, collect, tree, categories):
    earlier = collect(description="1栋电梯停在半层，老人不敢坐")
    request_open_case(request=earlier, actor=people.grid_a1)
    collect(description="1栋电梯停在半层，老人不敢坐")  # collected, no case: not a candidate
    client = api_as(people.grid_a1)
    posted = client.post(URL, _params(tree, categories), format="json")
    assert posted.status_code == 200, posted.content
    assert [c["request"]["id"] for c in posted.json()] == [earlier.pk]
    assert posted.json() == client.get(URL, _params(tree, categories)).json()
    # A form-encoded body works too (what a plain HTML form or htmx sends).
    form = client.post(URL, _params(tree, categories))
    assert [c["request"]["id"] for c in form.json()] == [earlier.pk]
    # Scoped: another community's worker finds nothing of community A.
    assert api_as(people.grid_b1).post(URL, _params(tree, categories), format="json").json() == []


def test_post_names_the_bad_field(api_as, people, tree, categories):
    client = api_as(people.grid_a1)
    missing = client.post(URL, {"unit": tree.grid_a1.pk}, format="json")
    assert missing.status_code == 400 and "category" in missing.json()
    bad = client.post(URL, _params(tree, categories, unit="x"), format="json")
    assert bad.status_code == 400 and "unit" in bad.json()
    long = client.post(URL, _params(tree, categories, description="长" * 2001), format="json")
    assert long.status_code == 400 and "description" in long.json()


def test_post_with_a_session_needs_the_csrf_token(people, tree, categories):
    """A browser's POST carries the CSRF header, as any other API write with a session."""
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people.grid_a1)
    refused = client.post(URL, _params(tree, categories), format="json")
    assert refused.status_code == 403


def test_the_schema_prefers_post(api_as, people):
    schema = api_as(people.admin).get("/api/schema/", {"format": "json"}).json()
    operations = schema["paths"]["/api/v1/requests/duplicates/"]
    assert operations["get"].get("deprecated") is True
    assert "requestBody" in operations["post"] and not operations["post"].get("deprecated")


def test_the_intake_page_posts_its_duplicate_check(client_as, people):
    page = client_as(people.grid_a1).get(reverse("requests_app:intake")).content.decode()
    assert f'hx-post="{reverse("requests_app:duplicates")}"' in page
    assert "hx-get" not in page.split('id="duplicates"')[1].split(">")[0]
    # No script of the site asks the API's duplicate check with GET (or at all).
    scripts = [
        path
        for base in (Path(settings.BASE_DIR) / "static", *Path(settings.BASE_DIR).glob("*/static"))
        for path in base.rglob("*.js")
        if "vendor" not in path.parts
    ]
    assert scripts
    for path in scripts:
        assert "requests/duplicates" not in path.read_text(encoding="utf-8"), path
