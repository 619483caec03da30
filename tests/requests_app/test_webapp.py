"""The installable web app: manifest, icons, the root service worker, the offline page, the
outbox page, and the QR code of a tracking code."""

import json

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["short_name"] == "民情" and "民情" in body["name"]
    assert body["display"] == "standalone"
    assert body["theme_color"].lower() == "#c62828"
    assert body["start_url"].startswith(reverse("home"))
    sizes = {(i["sizes"], i["purpose"]) for i in body["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in body["icons"]:
        found = finders.find(icon["src"].removeprefix(settings.STATIC_URL))
        with Image.open(found) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"] and image.format == "PNG"


def test_the_favicon_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_the_service_worker_is_served_from_the_root_for_every_page(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    text = response.content.decode()
    assert 'const VERSION = "VERSION"' not in text  # the version is filled in
    assert "minqing-pages-" in text and "/api/" in text
    # The same text, the same version: a browser installs it again only when it changed.
    assert client.get("/sw.js").content == response.content


def test_the_old_intake_worker_retires_itself(client):
    text = client.get("/requests/sw.js").content.decode()
    assert "unregister()" in text


def test_the_offline_page_names_no_one(client, people):
    client.force_login(people.grid_a1)
    response = client.get("/offline/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "没有网络" in text and "No connection" in text
    assert people.grid_a1.get_full_name() not in text
    assert "csrfmiddlewaretoken" not in text


def test_pages_link_the_manifest_the_icon_and_the_outbox(client, people):
    client.force_login(people.grid_a1)
    text = client.get(reverse("home")).content.decode()
    assert 'rel="manifest"' in text and 'name="theme-color"' in text and 'rel="icon"' in text
    assert 'id="outbox-link"' in text and "js/outbox.js" in text and "js/offline.js" in text
    assert f'name="minqing-user" content="{people.grid_a1.pk}"' in text


def test_the_outbox_page_needs_a_sign_in(client, people):
    assert client.get("/outbox/").status_code == 302
    client.force_login(people.grid_a1)
    response = client.get("/outbox/")
    assert response.status_code == 200 and b'id="outbox-page"' in response.content


def test_a_tracking_code_has_a_qr_code_of_the_tracking_page(client, people, collect):
    request = collect(resident={"name": "王伟", "phone": "13812345678", "address": "3栋2单元"})
    client.force_login(people.grid_a1)
    response = client.get(f"/track/qr/{request.tracking_code}.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<svg")
    # Nothing personal in it: no name, phone, address, description.
    for secret in ("王伟", "13812345678", "3812345678", "3栋2单元", request.description[:6]):
        assert secret not in svg
    # The code written the one way, and any way of writing it finds the same request.
    dashed = client.get(f"/track/qr/{request.tracking_code_display}.svg")
    assert dashed.status_code == 200 and dashed.content == response.content


def test_the_qr_code_encodes_the_public_tracking_page(rf, collect):
    from requests_app.views.track import tracking_url

    request = collect()
    url = tracking_url(rf.get("/"), request.tracking_code)
    assert url.endswith(reverse("requests_app:track") + "?code=" + request.tracking_code_display)


def test_the_qr_code_never_tells_whether_a_code_exists(client, people, collect):
    """Any well-formed code gets its picture, so a signed-in guesser learns nothing the
    throttled tracking page would not tell; a malformed one is not found."""
    known = collect().tracking_code
    unknown = "ABCDE23456" if known != "ABCDE23456" else "ABCDE23457"
    client.force_login(people.outsider)
    answers = [client.get(f"/track/qr/{code}.svg") for code in (known, unknown)]
    assert [a.status_code for a in answers] == [200, 200]
    assert all(a["Content-Type"] == "image/svg+xml" for a in answers)
    assert client.get("/track/qr/---.svg").status_code == 404


def test_the_qr_code_is_for_signed_in_workers(client, collect):
    request = collect()
    assert client.get(f"/track/qr/{request.tracking_code}.svg").status_code == 302
