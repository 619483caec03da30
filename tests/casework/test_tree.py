"""The org tree: placement rules and subtree queries."""

import pytest

from casework.errors import ValidationFailed
from casework.models import OrgUnit, UnitKind
from casework.selectors.org import unit_ancestors
from casework.services import unit_create


def test_subtree_is_one_query_at_any_depth(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = set(
            OrgUnit.objects.filter(path__startswith=tree.community_a.path).values_list(
                "name", flat=True
            )
        )
    assert names == {"城东社区", "城东物业", "A1网格", "A2网格", "阳光小区", "1栋"}


def test_subtree_of_a_sibling_does_not_leak(tree):
    names = set(
        OrgUnit.objects.filter(path__startswith=tree.community_b.path).values_list(
            "name", flat=True
        )
    )
    assert names == {"城西社区", "B1网格", "锦绣小区"}


def test_ancestors_come_from_the_root_down_in_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        chain = [u.name for u in unit_ancestors(tree.building_a1)]
    assert chain == ["玉林市", "博白县", "博白镇", "城东社区", "A1网格", "阳光小区"]


@pytest.mark.parametrize(
    ("kind", "parent_attr"),
    [
        (UnitKind.GRID, "town"),  # a grid hangs under a community, not a town
        (UnitKind.COMMUNITY, "county"),
        (UnitKind.BUILDING, "grid_a1"),
        (UnitKind.COUNTY, None),  # only a city may be a root
        (UnitKind.COMMITTEE, "town"),
    ],
)
def test_a_unit_cannot_hang_under_the_wrong_kind(tree, kind, parent_attr):
    before = OrgUnit.objects.count()
    parent = getattr(tree, parent_attr) if parent_attr else None
    with pytest.raises(ValidationFailed) as exc:
        unit_create(name="x", kind=kind, parent=parent)
    assert exc.value.field == "parent"
    assert OrgUnit.objects.count() == before


def test_handling_units_attach_where_they_serve(tree):
    committee = unit_create(name="业委会", kind=UnitKind.COMMITTEE, parent=tree.compound_a1)
    assert committee.path.startswith(tree.compound_a1.path)
    assert committee.depth == tree.compound_a1.depth + 1


def test_unknown_kind_and_blank_name_are_refused(tree):
    with pytest.raises(ValidationFailed) as exc:
        unit_create(name="x", kind="planet", parent=tree.city)
    assert exc.value.field == "kind"
    with pytest.raises(ValidationFailed) as exc:
        unit_create(name="  ", kind=UnitKind.COUNTY, parent=tree.city)
    assert exc.value.field == "name"
