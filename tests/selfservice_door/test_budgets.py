"""Abuse held off without annoying people: a budget per phone and per address (429 with
Retry-After and a friendly sentence), and a self-hosted proof-of-work challenge once an address
has made a few attempts, each solved challenge good for one submission."""

import base64
import json

import altcha
import pytest

from requests_app.models import Request
from selfservice.models import SpentChallenge, Voice
from tests.selfservice_door.conftest import resident, solved

pytestmark = pytest.mark.django_db

API = "/api/v1/public/requests/"


def body(tree, n, **extra):
    fields = {
        "place": tree.compound_a1.pk,
        "description": f"第{n}个问题：{['楼道灯', '垃圾', '噪音', '漏水', '停车', '绿化'][n % 6]}",
        "phone": "13812345678",
    }
    fields.update(extra)
    return fields


def test_a_phone_files_three_a_day_then_is_told_when_to_come_back(anon_api, tree, kinds):
    for n in range(3):
        assert anon_api.post(API, body(tree, n)).status_code == 201
    refused = anon_api.post(API, body(tree, 3))
    assert refused.status_code == 429
    assert refused.json()["code"] == "phone_budget"
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600
    # Another phone on the same network is not held back by this one.
    assert anon_api.post(API, body(tree, 4, phone="13900001111")).status_code == 201
    assert Request.objects.count() == 4


def test_the_page_answers_the_phone_budget_with_429_and_a_sentence(anon, tree, kinds):
    for n in range(3):
        assert anon.post("/report/", body(tree, n, new_anyway="1")).status_code == 302
    page = anon.post("/report/", body(tree, 3, new_anyway="1"))
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    assert page.context["throttled"]  # the sentence, shown above the form, typed text kept
    assert body(tree, 3)["description"] in page.content.decode()


def test_an_address_files_ten_a_day_voices_included(anon_api, tree, kinds, settings):
    settings.MINQING_DOOR_ADDRESS_LIMIT = 4
    for n in range(4):
        response = anon_api.post(API, body(tree, n, phone=f"1390000{n:04d}"))
        assert response.status_code == 201
    refused = anon_api.post(API, body(tree, 5, phone="13700000000"))
    assert refused.status_code == 429 and refused.json()["code"] == "address_budget"
    assert int(refused["Retry-After"]) > 0
    # Elsewhere, another resident is served.
    other = resident("198.51.100.9", api=True)
    assert other.post(API, body(tree, 5, phone="13700000000")).status_code == 201


def test_voices_count_against_the_address_budget(anon_api, tree, kinds, settings):
    from selfservice.door_places import candidate_ref

    settings.MINQING_DOOR_ADDRESS_LIMIT = 2
    anon_api.post(API, body(tree, 0))
    ref = candidate_ref(Request.objects.get().pk)
    voice = {"candidate": ref, "phone": "13900001111"}
    assert anon_api.post("/api/v1/public/voices/", voice).status_code == 201
    refused = anon_api.post("/api/v1/public/voices/", {**voice, "phone": "13900002222"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert Voice.objects.count() == 1


def test_the_third_attempt_in_an_hour_needs_the_challenge_then_passes_with_it(
    anon_api, tree, kinds, settings
):
    settings.MINQING_DOOR_FREE_ATTEMPTS = 2
    assert anon_api.post(API, body(tree, 0, phone="13900000000")).status_code == 201
    assert anon_api.post(API, body(tree, 1, phone="13900000001")).status_code == 201
    third = anon_api.post(API, body(tree, 2, phone="13900000002"))
    assert third.status_code == 400
    assert third.json()["code"] == "challenge_required" and "altcha" in third.json()
    assert Request.objects.count() == 2
    passed = anon_api.post(API, body(tree, 2, phone="13900000002", altcha=solved(anon_api)))
    assert passed.status_code == 201, passed.json()
    assert Request.objects.count() == 3 and SpentChallenge.objects.count() == 1
    # Another address is not asked.
    other = resident("198.51.100.9", api=True)
    assert other.post(API, body(tree, 3, phone="13900000003")).status_code == 201


def test_a_solved_challenge_is_good_once(anon_api, tree, kinds, settings):
    settings.MINQING_DOOR_FREE_ATTEMPTS = 0
    payload = solved(anon_api)
    assert anon_api.post(API, body(tree, 0, altcha=payload)).status_code == 201
    replay = anon_api.post(API, body(tree, 1, phone="13900000001", altcha=payload))
    assert replay.status_code == 400 and replay.json()["code"] == "challenge_used"
    assert Request.objects.count() == 1


def test_a_refused_submission_does_not_spend_the_challenge(anon_api, tree, kinds, settings):
    """The check passed but the phone was over its budget: nothing is written, the challenge
    is still good for the corrected submission."""
    settings.MINQING_DOOR_FREE_ATTEMPTS = 0
    payload = solved(anon_api)
    bad = anon_api.post(API, body(tree, 0, phone="123", altcha=payload))
    assert bad.status_code == 400 and "phone" in bad.json()
    assert anon_api.post(API, body(tree, 0, altcha=payload)).status_code == 201


def _tampered(payload: str, **changes) -> str:
    data = json.loads(base64.b64decode(payload))
    data["challenge"]["parameters"].update(changes)
    return base64.b64encode(json.dumps(data).encode()).decode()


@pytest.mark.parametrize(
    "make",
    [
        lambda p: "not-a-payload",
        lambda p: base64.b64encode(b'{"challenge": 1}').decode(),
        lambda p: _tampered(p, cost=1),
        lambda p: _tampered(p, expiresAt=1),
        lambda p: "x" * 5000,
    ],
    ids=["garbage", "no-solution", "altered-cost", "expired", "too-long"],
)
def test_a_forged_altered_or_expired_payload_is_refused(anon_api, tree, kinds, settings, make):
    settings.MINQING_DOOR_FREE_ATTEMPTS = 0
    response = anon_api.post(API, body(tree, 0, altcha=make(solved(anon_api))))
    assert response.status_code == 400
    assert response.json()["code"] in ("challenge_invalid", "invalid"), response.json()
    assert "altcha" in response.json()
    assert Request.objects.count() == 0


def test_an_unsolved_challenge_is_refused(anon_api, tree, kinds, settings):
    settings.MINQING_DOOR_FREE_ATTEMPTS = 0
    challenge = altcha.Challenge.from_dict(anon_api.get("/api/v1/public/challenge/").json())
    wrong = altcha.Solution(counter=0, derived_key="00" * 32)
    payload = altcha.Payload(challenge, wrong).to_base64()
    response = anon_api.post(API, body(tree, 0, altcha=payload))
    assert response.status_code == 400 and response.json()["code"] == "challenge_invalid"


def test_the_page_shows_the_check_when_needed_and_says_what_it_needs_without_script(
    anon, tree, kinds, settings
):
    settings.MINQING_DOOR_FREE_ATTEMPTS = 1
    assert "data-altcha" not in anon.get("/report/").content.decode()
    assert anon.post("/report/", body(tree, 0, new_anyway="1")).status_code == 302
    page = anon.get("/report/")
    text = page.content.decode()
    assert page.context["challenge_required"]
    assert "data-altcha" in text and "vendor/altcha/altcha.min.js" in text
    assert "<noscript>" in text
    refused = anon.post("/report/", body(tree, 1, phone="13900000001", new_anyway="1"))
    assert refused.status_code == 400 and "altcha" in refused.context["errors"]
    passed = anon.post(
        "/report/", body(tree, 1, phone="13900000001", new_anyway="1", altcha=solved(anon))
    )
    assert passed.status_code == 302
    assert Request.objects.count() == 2


def test_the_challenge_endpoint_answers_the_widgets_format_uncached(anon_api):
    response = anon_api.get("/api/v1/public/challenge/")
    assert response["Cache-Control"] == "no-store"
    challenge = response.json()
    assert set(challenge) == {"parameters", "signature"}
    assert challenge["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert challenge["parameters"]["keyPrefix"] == "00"
    assert challenge["parameters"]["expiresAt"] > 0


def test_the_public_api_is_throttled_per_address(anon_api, tree, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"door": "3/min"},
    }
    for _ in range(3):
        assert anon_api.get("/api/v1/public/places/", {"q": "阳光"}).status_code == 200
    refused = anon_api.get("/api/v1/public/places/", {"q": "阳光"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
