"""The admin: endpoints registered with a generated secret, deliveries replayed."""

import time

import pytest
from django.urls import reverse

from webhooks import services
from webhooks.models import DeliveryAttempt, Endpoint, EventType, WebhookDelivery
from webhooks.signing import verify

pytestmark = pytest.mark.django_db


def test_a_superuser_registers_an_endpoint_and_sees_its_secret(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:webhooks_endpoint_add"),
        {
            "name": "12345 热线",
            "url": "https://hotline.example/minqing",
            "event_types": ["case.opened", "case.overdue"],
            "active": "on",
        },
    )
    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.event_types == ["case.opened", "case.overdue"]
    assert endpoint.created_by == superuser and endpoint.secret.startswith("whsec_")
    page = client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert endpoint.secret in page.content.decode()
    listing = client.get(reverse("admin:webhooks_endpoint_changelist"))
    assert endpoint.secret not in listing.content.decode()


def test_the_admin_form_names_a_bad_field(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:webhooks_endpoint_add"),
        {"name": "x", "url": "ftp://hotline.example/", "event_types": ["case.opened"]},
    )
    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    assert Endpoint.objects.count() == 0


def test_staff_who_are_not_superusers_see_no_webhooks(client, people):
    from django.contrib.auth.models import Permission

    people.admin.is_staff = True
    people.admin.save()
    people.admin.user_permissions.set(
        Permission.objects.filter(content_type__app_label="webhooks")
    )
    client.force_login(people.admin)
    for name in (
        "admin:webhooks_endpoint_changelist",
        "admin:webhooks_webhookdelivery_changelist",
    ):
        assert client.get(reverse(name)).status_code == 403


def test_replay_from_the_admin_resends_the_same_body_signed_anew(
    client, superuser, receiver, open_case, monkeypatch, django_capture_on_commit_callbacks
):
    endpoint = services.endpoint_create(
        name="hook", url=receiver.url + "/hook", event_types=[EventType.OPENED], actor=superuser
    )
    with django_capture_on_commit_callbacks(execute=True):
        open_case()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "sent"
    later = time.time() + 30
    monkeypatch.setattr("webhooks.services.time.time", lambda: later)
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:webhooks_webhookdelivery_changelist"),
            {"action": "replay", "_selected_action": [delivery.pk]},
        )
    assert response.status_code == 302
    assert len(receiver.got) == 2
    first, again = receiver.got
    assert again.body == first.body
    assert again.headers["x-minqing-delivery"] == first.headers["x-minqing-delivery"]
    assert int(again.headers["x-minqing-timestamp"]) > int(first.headers["x-minqing-timestamp"])
    assert again.headers["x-minqing-signature"] != first.headers["x-minqing-signature"]
    assert verify(
        secret=endpoint.secret,
        timestamp=again.headers["x-minqing-timestamp"],
        body=again.body,
        header=again.headers["x-minqing-signature"],
        now=later,
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.replays, delivery.replayed_by) == ("sent", 1, superuser)
    attempts = list(DeliveryAttempt.objects.order_by("id").values_list("replay", flat=True))
    assert attempts == [False, True]
    page = client.get(reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk]))
    assert page.status_code == 200


def test_a_replay_leaves_a_delivery_being_sent_alone(
    superuser, receiver, open_case, django_capture_on_commit_callbacks
):
    services.endpoint_create(
        name="hook", url=receiver.url, event_types=[EventType.OPENED], actor=superuser
    )
    with django_capture_on_commit_callbacks(execute=False):
        open_case()
    WebhookDelivery.objects.update(status="sending")
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.delivery_replay(
                delivery_ids=WebhookDelivery.objects.values_list("pk", flat=True), actor=superuser
            )
            == 0
        )
    assert receiver.got == []
