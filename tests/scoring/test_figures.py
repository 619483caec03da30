"""Scoring's share of the dashboard's figures: volunteer activities, people served, 双报到."""

from datetime import datetime, time

from django.utils import timezone

from casework import figures
from scoring import services


def _at(day):
    return timezone.make_aware(datetime.combine(day, time()))


def test_the_dashboard_counts_volunteer_activities_and_dual_registration(people, tree, quarters):
    team = services.volunteer_team_create(
        actor=people.supervisor_a, name="志愿队", unit=tree.community_a, leader=people.grid_a1
    )
    for day, served in ((3, 40), (20, 25)):
        services.volunteer_activity_record(
            actor=people.supervisor_a,
            team=team,
            title="义诊",
            held_on=quarters.day(day),
            place="党群服务中心",
            people_served=served,
            participants=[people.grid_a1],
        )
    services.dual_registration_create(
        actor=people.supervisor_a,
        person=people.handler_department,
        home_unit=tree.department,
        community=tree.community_a,
        registered_on=quarters.day(0),
    )
    start, end = _at(quarters.day(0)), _at(quarters.day(10))
    found = figures.figures(unit=tree.town, start=start, end=end)
    assert found["volunteer_activities"] == 1
    assert found["volunteer_people_served"] == 40
    assert found["dual_registration_members"] == 1
    elsewhere = figures.figures(unit=tree.community_b, start=start, end=end)
    assert (elsewhere["volunteer_activities"], elsewhere["dual_registration_members"]) == (0, 0)
