"""双随机 without set-up: with no inspector pool given, each drawn pledge's inspector is drawn from
the supervisors of the other communities of its town, reproducibly from the seed."""

from datetime import datetime, time

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.errors import ValidationFailed
from casework.models import Role, UnitKind
from casework.services import membership_grant, person_create, unit_create
from scoring import services
from scoring.models import Indicator, VerificationDraw


@pytest.fixture
def town(people, tree, quarters):
    """A third community (城南) in 博白镇 and a community of another town, each with a
    supervisor; 城南's supervisor is also a volunteer in 城东; pledges in 城东, 城西 and 城南."""
    tree.community_c = unit_create(name="城南社区", kind=UnitKind.COMMUNITY, parent=tree.town)
    tree.other_town = unit_create(name="沙河镇", kind=UnitKind.TOWN, parent=tree.county)
    tree.community_d = unit_create(
        name="沙河社区", kind=UnitKind.COMMUNITY, parent=tree.other_town
    )
    people.supervisor_c = person_create(
        username="sup-c", name="sup-c", password="pw-for-tests-9731"
    )
    membership_grant(user=people.supervisor_c, unit=tree.community_c, role=Role.SUPERVISOR)
    people.supervisor_c2 = person_create(
        username="sup-c2", name="sup-c2", password="pw-for-tests-9731"
    )
    membership_grant(user=people.supervisor_c2, unit=tree.community_c, role=Role.SUPERVISOR)
    membership_grant(user=people.supervisor_c2, unit=tree.grid_a1, role=Role.VOLUNTEER)
    people.supervisor_d = person_create(
        username="sup-d", name="sup-d", password="pw-for-tests-9731"
    )
    membership_grant(user=people.supervisor_d, unit=tree.community_d, role=Role.SUPERVISOR)
    indicator = Indicator.objects.get(code="policy_publicity")
    for person, unit in (
        (people.grid_a1, tree.grid_a1),
        (people.supervisor_a, tree.community_a),
        (people.grid_b1, tree.grid_b1),
        (people.supervisor_b, tree.community_b),
        (people.supervisor_c, tree.community_c),
    ):
        for _n in range(3):
            services.commitment_create(
                actor=person,
                person=person,
                unit=unit,
                year=quarters.last.year,
                indicator=indicator,
                text="每月为辖区居民宣讲一次惠民政策",
            )
    return tree


def _draw(people, tree, quarters, **kwargs):
    defaults = {
        "actor": people.town_supervisor,
        "unit": tree.town,
        "year": quarters.last.year,
        "sample_size": 15,
        "inspectors": [],
        "now": timezone.make_aware(datetime.combine(quarters.day(2), time(9))),
    }
    return services.verification_draw(**{**defaults, **kwargs})


def _pairs(draw):
    return sorted(draw.verifications.values_list("commitment_id", "inspector_id"))


def _allowed(people, tree):
    """Who may check a pledge of each community."""
    return {
        tree.community_a.pk: {people.supervisor_b.pk, people.supervisor_c.pk},  # not sup-c2
        tree.community_b.pk: {
            people.supervisor_a.pk,
            people.supervisor_c.pk,
            people.supervisor_c2.pk,
        },
        tree.community_c.pk: {people.supervisor_a.pk, people.supervisor_b.pk},
    }


def _community_of(check, tree):
    path = check.commitment.unit.path
    for community in (tree.community_a, tree.community_b, tree.community_c):
        if path.startswith(community.path):
            return community.pk
    raise AssertionError(path)


def test_inspectors_come_from_other_communities_of_the_town_never_the_own(
    town, people, tree, quarters
):
    allowed = _allowed(people, tree)
    seen = set()
    for seed in range(15):
        draw = _draw(people, tree, quarters, seed=seed)
        for check in draw.verifications.select_related("commitment__unit"):
            assert check.inspector_id in allowed[_community_of(check, tree)]
            assert check.inspector_id != check.commitment.person_id
            seen.add(check.inspector_id)
        assert set(draw.inspectors) <= set().union(*allowed.values())
    assert people.supervisor_d.pk not in seen
    assert people.town_supervisor.pk not in seen
    assert seen == set().union(*allowed.values())  # everyone eligible gets drawn sometimes


def test_the_same_seed_gives_the_same_draw(town, people, tree, quarters):
    first = _draw(people, tree, quarters, seed=4242, sample_size=7)
    again = _draw(people, tree, quarters, seed=4242, sample_size=7)
    assert _pairs(first) == _pairs(again)
    assert first.seed == again.seed == 4242
    assert first.inspectors == again.inspectors
    others = [_pairs(_draw(people, tree, quarters, seed=s, sample_size=7)) for s in range(5)]
    assert any(pairs != _pairs(first) for pairs in others)


def test_a_given_pool_is_used_and_the_town_only_when_it_is_empty(town, people, tree, quarters):
    pool = [people.town_supervisor, people.grid_b1]
    draw = _draw(people, tree, quarters, seed=9, inspectors=pool)
    assert {c for _p, c in _pairs(draw)} <= {p.pk for p in pool}
    assert draw.inspectors == sorted(p.pk for p in pool)


def test_no_supervisor_elsewhere_in_the_town_is_refused_naming_inspectors(
    town, people, tree, quarters
):
    for person in (people.supervisor_a, people.supervisor_b):
        person.is_active = False
        person.save()
    # 城南's pledges have nobody: 城东 and 城西 have no active supervisor left.
    with pytest.raises(ValidationFailed) as error:
        _draw(people, tree, quarters, unit=tree.community_c, seed=1, sample_size=3)
    assert error.value.field == "inspectors"
    assert "城南社区" in error.value.message
    assert not VerificationDraw.objects.exists()


def test_the_draw_page_draws_from_the_town_without_a_pool(town, client_as, people, tree, quarters):
    client = client_as(people.town_supervisor)
    data = {"unit": tree.town.pk, "year": quarters.last.year, "sample_size": 6, "seed": 77}
    assert client.post(reverse("scoring:draws"), data).status_code == 302
    assert client.post(reverse("scoring:draws"), data).status_code == 302
    first, again = VerificationDraw.objects.order_by("pk")
    assert _pairs(first) == _pairs(again)
    allowed = _allowed(people, tree)
    for check in first.verifications.select_related("commitment__unit"):
        assert check.inspector_id in allowed[_community_of(check, tree)]
    # 沙河镇 has one community: nobody else to check it, said on the form's field.
    services.commitment_create(
        actor=people.supervisor_d,
        person=people.supervisor_d,
        unit=tree.community_d,
        year=quarters.last.year,
        indicator=Indicator.objects.get(code="policy_publicity"),
        text="每月为辖区居民宣讲一次惠民政策",
    )
    page = client_as(people.admin).post(
        reverse("scoring:draws"), {**data, "unit": tree.other_town.pk, "sample_size": 1}
    )
    assert page.status_code == 200
    assert "inspectors" in page.context["form"].errors
    assert VerificationDraw.objects.count() == 2


def test_the_api_draws_from_the_town_without_a_pool(town, api_as, people, tree, quarters):
    api = api_as(people.town_supervisor)
    body = {"unit": tree.town.pk, "year": quarters.last.year, "sample_size": 6, "seed": 31}
    first = api.post("/api/v1/scoring/draws/", body, format="json")
    assert first.status_code == 201, first.json()
    again = api.post("/api/v1/scoring/draws/", body, format="json").json()
    pairs = sorted((c["commitment"], c["inspector"]) for c in first.json()["checks"])
    assert pairs == sorted((c["commitment"], c["inspector"]) for c in again["checks"])
    assert first.json()["seed"] == 31 and len(pairs) == 6
    draw = VerificationDraw.objects.get(pk=first.json()["id"])
    allowed = _allowed(people, tree)
    for check in draw.verifications.select_related("commitment__unit"):
        assert check.inspector_id in allowed[_community_of(check, tree)]
    listed = api.get("/api/v1/scoring/draws/").json()
    assert {d["id"] for d in listed["results"]} >= {draw.pk, again["id"]}
    # A pool given over the API is used as given.
    given = api.post(
        "/api/v1/scoring/draws/",
        {**body, "inspectors": [people.town_supervisor.pk]},
        format="json",
    ).json()
    assert {c["inspector"] for c in given["checks"]} == {people.town_supervisor.pk}
    # A unit outside one's scope is not found; a grid worker may not draw.
    assert (
        api_as(people.supervisor_a)
        .post("/api/v1/scoring/draws/", {**body, "unit": tree.community_b.pk}, format="json")
        .status_code
        == 404
    )
    assert (
        api_as(people.grid_a1)
        .post("/api/v1/scoring/draws/", {**body, "unit": tree.grid_a1.pk}, format="json")
        .status_code
        == 403
    )
    # Nobody else in the town: 400 naming inspectors.
    for person in (people.supervisor_a, people.supervisor_b):
        person.is_active = False
        person.save()
    refused = api_as(people.town_supervisor).post(
        "/api/v1/scoring/draws/", {**body, "unit": tree.community_c.pk}, format="json"
    )
    assert refused.status_code == 400
    assert "inspectors" in refused.json()
