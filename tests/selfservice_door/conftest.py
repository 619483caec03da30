"""Door fixtures: categories a resident can file under, a client as an anonymous resident from
an address of its own, images, and solving the proof-of-work challenge as a browser would."""

import io
from types import SimpleNamespace

import altcha
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from casework.services import category_create


@pytest.fixture(autouse=True)
def _door_settings(settings, tmp_path):
    """An empty cache (attempts, the dispatch model's memory), photos in a folder of the test's
    own, a cheap challenge, and no challenge unless a test asks for it."""
    cache.clear()
    try:
        from dispatch.services.serving import forget
    except ImportError:  # dispatch not installed: suggestions are simply empty
        pass
    else:
        forget()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MINQING_DOOR_CHALLENGE_COST = 20
    settings.MINQING_DOOR_FREE_ATTEMPTS = 1000
    settings.MINQING_SMS_BACKEND = "tests.selfservice_door.conftest.RecordingSMS"
    RecordingSMS.sent.clear()
    yield
    cache.clear()


class RecordingSMS:
    """An SMS backend that keeps what it was asked to send."""

    sent: list = []

    def send(self, *, phone, text, key):
        self.sent.append({"phone": phone, "text": text, "key": key})


@pytest.fixture
def kinds(db):
    k = SimpleNamespace()
    k.property = category_create(code="property", name="物业管理")
    k.lift = category_create(code="property-lift", name="电梯故障", parent=k.property)
    k.lights = category_create(code="property-lights", name="楼道照明", parent=k.property)
    k.consult = category_create(code="consult", name="政策咨询")
    k.policy = category_create(code="consult-policy", name="政策咨询", parent=k.consult)
    k.welfare = category_create(code="welfare", name="社会保障")
    k.subsistence = category_create(
        code="welfare-subsistence",
        name="低保申请",
        parent=k.welfare,
        requires_id_number=True,
    )
    return k


def resident(address="203.0.113.7", *, api=False):
    """A client with no session, as a resident's phone from ``address``."""
    client = APIClient(REMOTE_ADDR=address) if api else Client(REMOTE_ADDR=address)
    return client


@pytest.fixture
def anon():
    return resident()


@pytest.fixture
def anon_api():
    return resident(api=True)


def image(fmt="JPEG", color=(200, 30, 30)):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, fmt)
    return SimpleUploadedFile(f"p.{fmt.lower()}", out.getvalue(), content_type="image/jpeg")


def solved(client) -> str:
    """Fetch a challenge from the API and solve it as the widget would: the payload to send."""
    body = client.get("/api/v1/public/challenge/").json()
    challenge = altcha.Challenge.from_dict(body)
    solution = altcha.solve_challenge(challenge, timeout=60)
    assert solution is not None
    return altcha.Payload(challenge, solution).to_base64()
