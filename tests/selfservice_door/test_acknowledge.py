"""受理: a request that came in by itself waits for a worker of its place to take it up; a
worker collecting one takes it up as they collect; a decision takes it up too. Page and API;
the request list marks and filters those waiting, and shows how many residents added their
voice, at a constant number of queries."""

import pytest
from django.urls import reverse

from requests_app.models import Request, RequestEventKind
from requests_app.services import (
    request_answer_on_spot,
    request_collect,
    request_merge,
    request_open_case,
    request_reject,
)
from requests_app.services.requests import request_acknowledge
from selfservice.door_places import candidate_ref
from tests.selfservice_door.conftest import resident

pytestmark = pytest.mark.django_db


def file_online(tree, n=0, place=None):
    client = resident(f"203.0.113.{n + 1}", api=True)
    response = client.post(
        "/api/v1/public/requests/",
        {
            "place": (place or tree.compound_a1).pk,
            "description": f"第{n}件：楼道灯坏了，晚上看不见",
            "phone": f"139{n:08d}",
        },
    )
    assert response.status_code == 201, response.json()
    return Request.objects.get(tracking_code=response.json()["tracking_code"])


def kinds_of(request):
    return [e.kind for e in request.events.order_by("created_at", "pk")]


def test_a_worker_collecting_takes_it_up_at_once(tree, people, kinds):
    r = request_collect(
        actor=people.grid_a1,
        channel="onsite",
        category=kinds.lift,
        unit=tree.compound_a1,
        description="电梯坏了",
    )
    assert r.acknowledged_by == people.grid_a1 and r.acknowledged_at == r.created_at
    assert kinds_of(r) == [RequestEventKind.COLLECTED]


def test_the_grid_worker_takes_it_up_on_the_page(client_as, people, tree, kinds):
    r = file_online(tree)
    client = client_as(people.grid_a1)
    page = client.get(reverse("requests_app:detail", args=[r.pk]))
    assert page.context["can_acknowledge"]
    assert reverse("requests_app:decide", args=[r.pk, "acknowledge"]) in page.content.decode()
    response = client.post(reverse("requests_app:decide", args=[r.pk, "acknowledge"]))
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.acknowledged_by == people.grid_a1 and r.acknowledged_at is not None
    assert kinds_of(r) == [RequestEventKind.COLLECTED, RequestEventKind.ACKNOWLEDGED]
    assert not client.get(reverse("requests_app:detail", args=[r.pk])).context["can_acknowledge"]
    # Twice: refused with a message, nothing written.
    client.post(reverse("requests_app:decide", args=[r.pk, "acknowledge"]))
    assert kinds_of(r).count(RequestEventKind.ACKNOWLEDGED) == 1


@pytest.mark.parametrize(
    "who, expected",
    [
        ("grid_a1", 200),
        ("volunteer_a1", 200),  # a volunteer of the grid may act on its requests (INTAKE_ROLES)
        ("supervisor_a", 200),
        ("town_supervisor", 200),
        ("admin", 200),
        ("grid_b1", 404),  # another community: out of scope
        ("supervisor_b", 404),
        ("handler_company", 404),  # the company's subtree holds no compound
        ("handler_community", 403),  # in scope, but not a collecting role
        ("outsider", 404),
    ],
)
def test_who_may_take_it_up_over_the_api(api_as, people, tree, kinds, who, expected):
    from casework.models import Role
    from casework.services import membership_grant, person_create

    people.handler_community = person_create(username="handler-ca", name="handler-ca")
    membership_grant(user=people.handler_community, unit=tree.community_a, role=Role.HANDLER)
    r = file_online(tree)
    response = api_as(getattr(people, who)).post(f"/api/v1/requests/{r.pk}/acknowledge/")
    assert response.status_code == expected, response.json()
    r.refresh_from_db()
    if expected == 200:
        assert response.json()["acknowledged_at"] is not None
        assert r.acknowledged_by == getattr(people, who)
    else:
        assert r.acknowledged_at is None
        assert RequestEventKind.ACKNOWLEDGED not in kinds_of(r)


def test_twice_or_after_a_decision_is_a_409(api_as, people, tree, kinds):
    r = file_online(tree)
    client = api_as(people.grid_a1)
    assert client.post(f"/api/v1/requests/{r.pk}/acknowledge/").status_code == 200
    again = client.post(f"/api/v1/requests/{r.pk}/acknowledge/")
    assert again.status_code == 409 and again.json()["code"] == "already_acknowledged"
    assert kinds_of(r).count(RequestEventKind.ACKNOWLEDGED) == 1


def test_the_service_account_never_acknowledges(tree, people, kinds):
    from casework.errors import NotPermitted

    r = file_online(tree)
    with pytest.raises(NotPermitted):
        request_acknowledge(request=r, actor=r.collected_by)


@pytest.mark.parametrize("decide", ["answer", "open_case", "reject", "merge"])
def test_a_decision_on_a_request_waiting_takes_it_up_in_the_same_transaction(
    people, tree, kinds, decide
):
    r = file_online(tree)
    actor = people.grid_a1
    if decide == "answer":
        request_answer_on_spot(request=r, actor=actor, answer="已答复")
    elif decide == "open_case":
        request_open_case(request=r, actor=actor)
    elif decide == "reject":
        request_reject(request=r, actor=actor, reason="不属于诉求")
    else:
        into = file_online(tree, 1)
        request_open_case(request=into, actor=actor)
        request_merge(request=r, actor=actor, into=into)
    r.refresh_from_db()
    assert r.acknowledged_by == actor and r.acknowledged_at == r.decided_at
    assert kinds_of(r)[:2] == [RequestEventKind.COLLECTED, RequestEventKind.ACKNOWLEDGED]
    assert len(kinds_of(r)) == 3


def test_an_acknowledged_request_is_not_taken_up_again_by_a_decision(people, tree, kinds):
    r = file_online(tree)
    request_acknowledge(request=r, actor=people.grid_a1)
    request_answer_on_spot(request=r, actor=people.supervisor_a, answer="已答复")
    r.refresh_from_db()
    assert r.acknowledged_by == people.grid_a1
    assert kinds_of(r).count(RequestEventKind.ACKNOWLEDGED) == 1


def test_the_list_marks_and_filters_the_waiting_ones(client_as, people, tree, kinds):
    waiting = file_online(tree)
    taken = file_online(tree, 1)
    request_acknowledge(request=taken, actor=people.grid_a1)
    client = client_as(people.supervisor_a)
    page = client.get(reverse("requests_app:list"), {"status": "unacknowledged"})
    assert [r.pk for r in page.context["page"]] == [waiting.pk]
    everything = client.get(reverse("requests_app:list"))
    assert everything.content.decode().count('class="badge due-soon"') == 1


def _voice(request, n):
    client = resident(f"198.51.100.{n + 1}", api=True)
    response = client.post(
        "/api/v1/public/voices/",
        {"candidate": candidate_ref(request.pk), "phone": f"137{n:08d}"},
    )
    assert response.status_code == 201


def test_the_worker_sees_how_many_more_residents_raised_it(client_as, api_as, people, tree, kinds):
    r = file_online(tree)
    for n in range(2):
        _voice(r, n)
    client = client_as(people.grid_a1)
    page = client.get(reverse("requests_app:detail", args=[r.pk]))
    assert page.context["voices"] == 2
    listed = client.get(reverse("requests_app:list"), {"all": "1"})
    assert listed.context["page"][0].voice_count == 2
    assert '<p class="warning voices">' in page.content.decode()
    assert listed.content.decode().count('<span class="muted voices">') == 1
    body = api_as(people.grid_a1).get(f"/api/v1/requests/{r.pk}/").json()
    assert body["voices"] == 2


def test_the_request_list_with_voices_costs_the_same_queries_at_any_length(
    client_as, api_as, people, tree, kinds, django_assert_num_queries
):
    """Pinned at the counts of tests/requests_app/test_list_queries.py: the voices add none."""
    client = client_as(people.supervisor_a)
    api = api_as(people.supervisor_a)
    made = []
    for total in (4, 8):
        while len(made) < total:
            n = len(made)
            r = file_online(tree, n, place=(tree.compound_a1, tree.community_a)[n % 2])
            for v in range(n % 3):
                _voice(r, 10 * n + v)
            made.append(r)
        with django_assert_num_queries(6):
            page = client.get(reverse("requests_app:list"))
        assert page.context["page"].paginator.count == total
        assert sum(r.voice_count for r in page.context["page"]) == sum(n % 3 for n in range(total))
        with django_assert_num_queries(6):
            body = api.get("/api/v1/requests/", {"page_size": 1000}).json()
        assert sum(r["voices"] for r in body["results"]) == sum(n % 3 for n in range(total))
