"""The "why these points" explanation: it adds up to the ranking and shows where points came
from; each viewer sees only whom they may."""

from decimal import Decimal as D

import pytest
from django.utils import translation

from casework.errors import NotFound
from scoring import services
from scoring.models import Indicator, ScoreResult
from scoring.selectors.explain import community_explanation, person_explanation


def test_every_ranked_total_equals_its_explanation(season, people):
    results = ScoreResult.objects.filter(quarter=season.quarter)
    assert results.count() == 6
    for result in results:
        if result.person_id:
            x = person_explanation(
                viewer=people.admin, quarter=season.quarter, person_id=result.person_id
            )
        else:
            x = community_explanation(
                viewer=people.admin, quarter=season.quarter, unit_id=result.unit_id
            )
        assert x.total == result.total
        assert x.matches
        assert {str(b.indicator.pk): str(b.subtotal) for b in x.blocks} == result.subtotals


def test_the_explanation_names_each_source_and_links_each_record(season, people):
    with translation.override("en"):
        x = person_explanation(
            viewer=people.grid_a1, quarter=season.quarter, person_id=people.grid_a1.pk
        )
    lines = {line.entry.source: line for block in x.blocks for line in block.lines}
    assert set(lines) == {
        "service_card_special",
        "service_card_routine",
        "volunteer_participation",
        "volunteer_organised",
        "volunteer_people_served",
        "evaluation_good",
        "answered_on_spot",
    }
    special = lines["service_card_special"]
    assert special.reason == "4 × 1 points per event"
    assert len(special.items) == 4
    assert all(item.url.startswith("/scoring/service-card/#card-") for item in special.items)
    people_served = lines["volunteer_people_served"]
    assert people_served.entry.points == D(2)
    assert people_served.items[0].url.endswith(f"#activity-{season.activity.pk}")
    on_spot = lines["answered_on_spot"].items[0]
    assert on_spot.label.endswith("物业费缴纳方式")
    assert on_spot.url == f"/requests/{season.answer.pk}/"
    assert (
        lines["evaluation_good"].items[0].url
        == f"/scoring/quarters/{season.quarter.code}/evaluations/"
    )


def test_a_cap_shows_what_was_earned_and_what_counts(people, quarters, card, compute):
    card(people.grid_a1, kind="special", n=33)
    quarter = compute(quarters.last)
    x = person_explanation(viewer=people.grid_a1, quarter=quarter, person_id=people.grid_a1.pk)
    (block,) = x.blocks
    assert (block.raw, block.subtotal, block.limited) == (D(33), D(30), True)
    assert x.total == ScoreResult.objects.get(quarter=quarter, person=people.grid_a1).total


def test_a_manual_entry_is_explained_by_its_reason(season, people):
    x = person_explanation(
        viewer=people.admin, quarter=season.quarter, person_id=people.grid_b1.pk
    )
    manual = next(line for b in x.blocks for line in b.lines if line.entry.manual)
    assert (manual.reason, manual.entry.points) == ("调解邻里漏水纠纷", D(3))


def test_a_change_after_computing_shows_until_computed_again(season, people):
    services.score_entry_add(
        actor=people.admin,
        quarter=season.quarter,
        person=people.grid_a1,
        indicator=Indicator.objects.get(code="dispute_mediation"),
        points="-2",
        reason="服务对象投诉属实",
    )
    x = person_explanation(
        viewer=people.grid_a1, quarter=season.quarter, person_id=people.grid_a1.pk
    )
    assert not x.matches
    assert x.total == x.ranked_total - 2


@pytest.mark.parametrize(
    ("viewer", "person", "visible"),
    [
        ("grid_a1", "grid_a1", True),  # their own
        ("supervisor_a", "grid_a1", True),  # their subtree
        ("town_supervisor", "grid_b1", True),
        ("admin", "supervisor_b", True),
        ("grid_b1", "grid_a1", False),  # a peer
        ("volunteer_a1", "grid_a1", False),  # same grid, but no supervisor
        ("supervisor_b", "grid_a1", False),  # another community
        ("outsider", "grid_a1", False),
    ],
)
def test_a_worker_sees_their_own_supervisors_their_subtree(
    season, people, viewer, person, visible
):
    def explain():
        return person_explanation(
            viewer=getattr(people, viewer),
            quarter=season.quarter,
            person_id=getattr(people, person).pk,
        )

    if visible:
        assert explain().person == getattr(people, person)
    else:
        with pytest.raises(NotFound):
            explain()
