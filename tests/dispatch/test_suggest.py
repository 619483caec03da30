"""``dispatch.services.suggest``: categories best first, and the units that led similar cases
in the place's community."""

import pytest

from casework.errors import ValidationFailed
from casework.services import case_assign, case_open
from dispatch.services import model_train, suggest, suggestions_record


@pytest.fixture
def cases(tree, people, cats):
    """Case history: in community A the company led three lift cases and the department one
    light case; in community B the department led a lift case."""

    def made(category, unit, lead):
        case = case_open(
            actor=people.supervisor_a if unit != tree.compound_b1 else people.supervisor_b,
            category=category,
            unit=unit,
            title="历史案件",
            description="",
        )
        sup = people.supervisor_a if unit != tree.compound_b1 else people.supervisor_b
        return case_assign(case=case, actor=sup, unit=lead)

    for unit in (tree.compound_a1, tree.building_a1, tree.grid_a2):
        made(cats.lift, unit, tree.company)
    made(cats.light, tree.grid_a2, tree.department)
    made(cats.lift, tree.compound_b1, tree.department)


def test_categories_come_best_first_with_scores_and_names(history, learn_from_few, cats):
    history(40)
    model_train(actor=None)
    result = suggest("电梯又停在半层了", None)
    assert result.model.kind == "learned"
    assert 1 <= len(result.categories) <= 3
    first = result.categories[0]
    assert (first.category, first.name, first.group) == (cats.lift.pk, "电梯故障", "物业管理")
    scores = [c.score for c in result.categories]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    assert result.units == []  # no place, no unit


def test_before_any_training_keywords_answer(cats):
    result = suggest("家里停水了", None)
    assert result.model.version is None and result.model.kind == "keywords"
    assert result.categories[0].category == cats.water.pk


def test_a_text_sharing_nothing_with_any_name_gets_no_category_from_keywords(cats):
    assert suggest("hello", None).categories == []


def test_units_that_led_similar_cases_in_the_community_are_suggested(cases, tree, cats):
    result = suggest("电梯故障，电梯停了", tree.building_a1)
    assert result.categories[0].category == cats.lift.pk
    units = result.units
    assert units[0].unit == tree.company.pk
    assert units[0].name == "城东物业"
    assert [u.score for u in units] == sorted((u.score for u in units), reverse=True)
    assert 0 < units[0].score <= 1
    # In community B the department led the lift case.
    assert suggest("电梯故障，电梯停了", tree.compound_b1).units[0].unit == tree.department.pk


def test_a_community_or_a_grid_is_a_place_too(cases, tree):
    assert suggest("电梯故障", tree.community_a).units[0].unit == tree.company.pk
    assert suggest("电梯故障", tree.grid_a1).units[0].unit == tree.company.pk


def test_units_are_read_once_then_kept_until_a_case_is_opened(
    cases, tree, cats, people, django_assert_num_queries
):
    suggest("停水", None)  # the categories are kept
    with django_assert_num_queries(1):  # the community's cases, for every category
        assert suggest("电梯故障", tree.building_a1).units[0].unit == tree.company.pk
    with django_assert_num_queries(0):  # the same community, another place and category
        suggest("路灯不亮", tree.compound_a1)
    # Five more lift cases led by the department: read again once they are opened.
    for _ in range(5):
        case = case_open(
            actor=people.supervisor_a,
            category=cats.lift,
            unit=tree.grid_a1,
            title="电梯",
            description="",
        )
        case_assign(case=case, actor=people.supervisor_a, unit=tree.department)
    assert suggest("电梯故障", tree.compound_a1).units[0].unit == tree.department.pk


def test_the_description_is_required_and_bounded(cats):
    with pytest.raises(ValidationFailed) as empty:
        suggest("   ", None)
    assert empty.value.field == "description"
    with pytest.raises(ValidationFailed) as long:
        suggest("电" * 2001, None)
    assert long.value.field == "description"


def test_a_batch_is_suggested_with_a_constant_number_of_queries(
    history, cats, django_assert_num_queries
):
    from dispatch.models import Suggestion

    made = history(12)
    Suggestion.objects.all().delete()
    suggest("电梯", None)  # the category list is kept for a minute
    with django_assert_num_queries(3):
        # the requests, the cases of their places' communities, the insert
        assert suggestions_record(request_ids=[r.pk for r in made]) == 12


def test_a_place_is_read_at_its_community(tree):
    from dispatch.services.units import area_of

    assert area_of(tree.building_a1) == tree.community_a.path
    assert area_of(tree.compound_b1) == tree.community_b.path
    assert area_of(tree.grid_a2) == tree.community_a.path
    assert area_of(tree.town) == tree.town.path
