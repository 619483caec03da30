"""Phones and ID numbers stay out of URLs and logs; residents are looked up by a keyed hash."""

import logging
import re

import pytest
from django.urls import reverse

from requests_app.models import Resident
from requests_app.personal import phone_hash
from tests.requests_app.conftest import valid_id_number

PHONE = re.compile(r"1[3-9]\d{9}")
ID_NUMBER = re.compile(r"\d{17}[\dXx]")


def test_the_phone_is_stored_with_a_keyed_hash_and_looked_up_by_it(collect, people, settings):
    resident = collect().resident
    assert resident.phone_hash == phone_hash("13812345678")
    assert len(resident.phone_hash) == 64 and "13812345678" not in resident.phone_hash
    settings.MINQING_HASH_KEY = "another-key"
    assert phone_hash("13812345678") != resident.phone_hash


def test_lookups_go_by_the_hash_not_the_number(api_as, collect, people):
    resident = collect().resident
    # Were the look-up by the number in clear, changing it would lose the resident.
    Resident.objects.filter(pk=resident.pk).update(phone="13800000000")
    client = api_as(people.grid_a1)
    found = client.post("/api/v1/residents/search/", {"phone": "138 1234 5678"}, format="json")
    assert [r["id"] for r in found.json()["results"]] == [resident.pk]


def test_the_residents_api_refuses_a_phone_in_the_url_and_searches_by_post(
    api_as, collect, people
):
    collect()
    client = api_as(people.grid_a1)
    refused = client.get("/api/v1/residents/", {"phone": "13812345678"})
    assert refused.status_code == 400 and refused.json()["code"] == "phone_in_url"
    found = client.post("/api/v1/residents/search/", {"phone": "138-1234-5678"}, format="json")
    assert found.status_code == 200
    assert [r["phone"] for r in found.json()["results"]] == ["138****5678"]
    nobody = api_as(people.grid_b1).post(
        "/api/v1/residents/search/", {"phone": "13812345678"}, format="json"
    )
    assert nobody.json()["count"] == 0


def test_the_intake_pages_lookups_are_posts(client_as, collect, people, tree, categories):
    collect()
    client = client_as(people.grid_a1)
    url = reverse("requests_app:resident-lookup")
    assert client.get(url, {"resident_phone": "13812345678"}).status_code == 405
    hint = client.post(url, {"resident_phone": "138 1234 5678"}).content.decode()
    assert 'data-name="王伟"' in hint and "138****5678" in hint and "13812345678" not in hint
    assert client.get(reverse("requests_app:duplicates"), {"unit": 1}).status_code == 405
    page = client.get(reverse("requests_app:intake")).content.decode()
    assert "hx-get" not in page
    assert f'hx-post="{url}"' in page
    # No inline scripts or handlers: a Content-Security-Policy without 'unsafe-inline' comes.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\son[a-z]+=", page)


@pytest.fixture
def captured_logs():
    """Every log record from every logger, at every level, while the test runs."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep(level=logging.DEBUG)
    root = logging.getLogger()
    names = ["django", "django.request", "django.server", "django.security", "minqing"]
    saved = [(root, root.level)] + [
        (logging.getLogger(n), logging.getLogger(n).level) for n in names
    ]
    for logger, _level in saved:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield records
    for logger, level in saved:
        logger.removeHandler(handler)
        logger.setLevel(level)


def leaks(texts):
    """The phone and ID numbers found in ``texts``."""
    return [m for text in texts for m in PHONE.findall(text) + ID_NUMBER.findall(text)]


def log_lines(records):
    out = []
    for record in records:
        out.append(record.getMessage())
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "get_full_path"):
            out.append(request.get_full_path())
    return out


def test_a_whole_intake_through_the_page_requests_leaves_no_number_in_urls_or_logs(
    client_as, people, tree, categories, captured_logs
):
    """The same requests the intake page's scripts make, from opening it to showing a number."""
    id_number = valid_id_number()
    client = client_as(people.grid_a1)
    urls = []

    def call(method, url, data=None, **extra):
        response = getattr(client, method)(url, data or {}, **extra)
        urls.append(response.wsgi_request.get_full_path())
        return response

    call("get", reverse("requests_app:intake"))
    call("post", reverse("requests_app:resident-lookup"), {"resident_phone": "13812345678"})
    call(
        "post",
        reverse("requests_app:duplicates"),
        {
            "category": categories.subsistence.pk,
            "unit": tree.building_a1.pk,
            "description": "低保",
        },
    )
    created = call(
        "post",
        "/api/v1/requests/",
        {
            "channel": "onsite",
            "category": categories.subsistence.pk,
            "unit": tree.building_a1.pk,
            "urgency": "normal",
            "description": "申请低保",
            "resident.name": "王伟",
            "resident.phone": "13812345678",
            "id_number": id_number,
            "outcome": "open_case",
        },
        HTTP_IDEMPOTENCY_KEY="0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    call("get", reverse("requests_app:detail", args=[pk]))
    reveal = call(
        "post", reverse("requests_app:reveal", args=[pk, "id-number"]), {"reason": "核对低保材料"}
    )
    assert id_number in reveal.content.decode()
    call("post", reverse("requests_app:resident-lookup"), {"resident_phone": "13812345678"})
    # A refusal is logged by django.request (a 4xx with its URL): still no number in it.
    call("post", reverse("requests_app:reveal", args=[pk, "phone"]))
    assert any(r.name == "django.request" for r in captured_logs)
    assert leaks(urls) == []
    assert leaks(log_lines(captured_logs)) == []
