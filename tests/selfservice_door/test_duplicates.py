"""Before filing, open requests nearby that read alike are offered: "this is my problem too"
adds the resident's voice (once per phone) and shows that request's tracking code; "mine is
different" files a new one. What is offered names no one."""

import pytest
from django.urls import reverse

from requests_app.models import Request
from requests_app.services import request_collect, request_open_case, request_reject
from selfservice.door_places import candidate_ref
from selfservice.models import Voice

pytestmark = pytest.mark.django_db

API = "/api/v1/public/requests/"
TEXT = "1栋电梯坏了，停在5楼，13812345678王伟家老人下不了楼"


@pytest.fixture
def earlier(tree, people, kinds):
    """A request the grid worker collected in 阳光小区 1栋 from 王伟."""
    return request_collect(
        actor=people.grid_a1,
        channel="onsite",
        category=kinds.lift,
        unit=tree.building_a1,
        description=TEXT,
        resident={"name": "王伟", "phone": "13812345678"},
    )


def ask(client, tree, description="1栋电梯又坏了，停在5楼，老人下不了楼", place=None):
    return client.post(
        "/api/v1/public/duplicates/",
        {"place": (place or tree.compound_a1).pk, "description": description},
        format="json",
    )


def test_an_open_request_alike_is_offered_with_nothing_personal(anon_api, tree, earlier):
    found = ask(anon_api, tree).json()
    assert len(found) == 1
    offer = found[0]
    assert offer["category"] == "电梯故障"
    assert offer["place"] == "阳光小区 1栋"
    assert offer["residents"] == 1
    assert set(offer) == {
        "candidate",
        "category",
        "place",
        "reported_on",
        "stage",
        "excerpt",
        "residents",
    }
    text = str(offer)
    for secret in ("13812345678", "王伟", earlier.tracking_code, str(earlier.pk) + ","):
        assert secret not in text
    assert "5" not in offer["excerpt"] and "*" in offer["excerpt"]
    assert len(offer["excerpt"]) <= 40


def test_only_open_requests_of_the_same_place_in_the_last_month_that_read_alike(
    anon_api, tree, people, kinds, earlier
):
    assert ask(anon_api, tree, "小区门口垃圾没人清理").json() == []
    assert ask(anon_api, tree, place=tree.compound_b1).json() == []
    # The community finds what its compounds have.
    assert len(ask(anon_api, tree, place=tree.community_a).json()) == 1
    request_reject(request=earlier, actor=people.grid_a1, reason="重复")
    assert ask(anon_api, tree).json() == []


def test_a_request_with_an_open_case_is_offered_a_closed_one_is_not(
    anon_api, tree, people, earlier, drive
):
    case = request_open_case(request=earlier, actor=people.grid_a1)
    assert len(ask(anon_api, tree).json()) == 1
    drive(case, "closed")
    assert ask(anon_api, tree).json() == []


def test_adding_a_voice_shows_the_code_and_a_second_time_adds_nothing(anon_api, tree, earlier):
    ref = ask(anon_api, tree).json()[0]["candidate"]
    added = anon_api.post("/api/v1/public/voices/", {"candidate": ref, "phone": "13900001111"})
    assert added.status_code == 201
    assert added.json()["added"] is True
    assert added.json()["tracking_code"] == earlier.tracking_code
    again = anon_api.post("/api/v1/public/voices/", {"candidate": ref, "phone": "139 0000 1111"})
    assert again.status_code == 200 and again.json()["added"] is False
    assert Voice.objects.filter(request=earlier).count() == 1
    assert ask(anon_api, tree).json()[0]["residents"] == 2


def test_the_filing_resident_adding_a_voice_to_their_own_request_adds_nothing(
    anon_api, tree, earlier
):
    ref = ask(anon_api, tree).json()[0]["candidate"]
    own = anon_api.post("/api/v1/public/voices/", {"candidate": ref, "phone": "13812345678"})
    assert own.status_code == 200 and own.json()["added"] is False
    assert Voice.objects.count() == 0


def test_a_voice_on_a_request_dealt_with_meanwhile_is_a_409(anon_api, tree, people, earlier):
    ref = ask(anon_api, tree).json()[0]["candidate"]
    request_reject(request=earlier, actor=people.grid_a1, reason="不属于诉求")
    response = anon_api.post("/api/v1/public/voices/", {"candidate": ref, "phone": "13900001111"})
    assert response.status_code == 409 and response.json()["code"] == "closed"
    assert Voice.objects.count() == 0


@pytest.mark.parametrize("ref", ["", "1", "MQ:forged:signature", "x" * 400])
def test_a_forged_reference_is_a_400_naming_it(anon_api, tree, earlier, ref):
    response = anon_api.post("/api/v1/public/voices/", {"candidate": ref, "phone": "13900001111"})
    assert response.status_code == 400 and "candidate" in response.json()
    assert Voice.objects.count() == 0


def test_a_reference_to_a_request_that_is_gone_is_a_404(anon_api, tree, earlier):
    response = anon_api.post(
        "/api/v1/public/voices/", {"candidate": candidate_ref(10**9), "phone": "13900001111"}
    )
    assert response.status_code == 404


def test_the_page_offers_them_when_sent_and_a_voice_lands_on_the_done_page(
    anon, tree, kinds, earlier
):
    fields = {
        "place": tree.compound_a1.pk,
        "description": "1栋电梯又坏了，停在5楼，老人下不了楼",
        "phone": "13900001111",
    }
    offered = anon.post("/report/", fields)
    assert offered.status_code == 200 and len(offered.context["candidates"]) == 1
    text = offered.content.decode()
    assert "王伟" not in text and "13812345678" not in text and earlier.tracking_code not in text
    assert Request.objects.count() == 1
    ref = offered.context["candidates"][0].ref
    voiced = anon.post("/report/", {**fields, "voice": ref})
    assert voiced.status_code == 302
    done = anon.get(reverse("selfservice:door-done"))
    assert earlier.tracking_code_display in done.content.decode()
    assert Voice.objects.get().request == earlier
    assert Request.objects.count() == 1


def test_mine_is_different_files_a_new_one(anon, tree, kinds, earlier):
    fields = {
        "place": tree.compound_a1.pk,
        "description": "1栋电梯又坏了，停在5楼，老人下不了楼",
        "phone": "13900001111",
        "new_anyway": "1",
    }
    assert anon.post("/report/", fields).status_code == 302
    assert Request.objects.count() == 2 and Voice.objects.count() == 0


def test_the_duplicates_check_costs_one_query_however_many_requests(
    anon_api, tree, people, kinds, django_assert_num_queries
):
    for n in range(12):
        request_collect(
            actor=people.grid_a1,
            channel="onsite",
            category=kinds.lift,
            unit=tree.building_a1,
            description=f"电梯坏了第{n}次",
        )
    # One for the place, one for the requests (voices counted in the same query).
    with django_assert_num_queries(2):
        found = ask(anon_api, tree, "电梯坏了").json()
    assert len(found) == 3


def test_a_voice_without_a_phone_asks_for_it_and_keeps_the_offer(anon, tree, kinds, earlier):
    fields = {"place": tree.compound_a1.pk, "description": "1栋电梯又坏了，停在5楼，老人下不了楼"}
    ref = anon.post("/report/", fields).context["candidates"][0].ref
    refused = anon.post("/report/", {**fields, "voice": ref})
    assert refused.status_code == 400 and "phone" in refused.context["errors"]
    assert len(refused.context["candidates"]) == 1
    assert Voice.objects.count() == 0
