"""The scoping selector: what each person may see, allowed and denied."""

from casework.models import Role
from casework.selectors import person_list, scope_for, unit_list
from casework.services import membership_grant


def names(qs):
    return {unit.name for unit in qs}


def test_a_grid_worker_sees_their_grid_and_below(tree, people):
    assert names(unit_list(viewer=people.grid_a1)) == {"A1网格", "阳光小区", "1栋"}


def test_a_community_supervisor_sees_the_community_subtree_only(tree, people):
    seen = names(unit_list(viewer=people.supervisor_a))
    assert seen == {"城东社区", "城东物业", "A1网格", "A2网格", "阳光小区", "1栋"}
    assert "城西社区" not in seen


def test_a_town_supervisor_sees_both_communities(tree, people):
    seen = names(unit_list(viewer=people.town_supervisor))
    assert {"城东社区", "城西社区", "锦绣小区"} <= seen
    assert "博白县" not in seen


def test_an_admin_of_the_city_sees_everything(tree, people):
    assert unit_list(viewer=people.admin).count() == 13


def test_a_person_without_membership_sees_nothing(tree, people):
    assert unit_list(viewer=people.outsider).count() == 0
    assert person_list(viewer=people.outsider).count() == 0


def test_several_memberships_add_up_without_duplicates(tree, people):
    membership_grant(user=people.grid_a1, unit=tree.grid_b1, role=Role.GRID_WORKER)
    membership_grant(user=people.grid_a1, unit=tree.compound_a1, role=Role.VOLUNTEER)
    seen = list(unit_list(viewer=people.grid_a1))
    assert names(seen) == {"A1网格", "阳光小区", "1栋", "B1网格", "锦绣小区"}
    assert len(seen) == 5
    # The nested membership (compound under grid) adds no second root.
    assert len(scope_for(people.grid_a1).paths) == 2


def test_scope_knows_roles_over_paths(tree, people):
    scope = scope_for(people.supervisor_a)
    assert scope.has_role(Role.SUPERVISOR, path=tree.grid_a1.path)
    assert not scope.has_role(Role.SUPERVISOR, path=tree.grid_b1.path)
    assert not scope.has_role(Role.HANDLER)


def test_people_list_shows_only_memberships_in_scope(tree, people):
    membership_grant(user=people.grid_a1, unit=tree.grid_b1, role=Role.GRID_WORKER)
    seen = {p.username: p for p in person_list(viewer=people.supervisor_b)}
    assert set(seen) == {"sup-b", "grid-b1", "grid-a1"}
    # grid-a1's membership in community A is not shown to community B's supervisor.
    assert [m.unit_id for m in seen["grid-a1"].visible_memberships] == [tree.grid_b1.pk]
