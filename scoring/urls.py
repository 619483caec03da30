"""scoring pages, mounted at /scoring/."""

from django.urls import path, register_converter

import casework.urlconverters  # noqa: F401  (the <id:…> converter)
from scoring.views import evidence, quarters


class QuarterConverter:
    regex = "[0-9]{4}[Qq][1-4]"

    def to_python(self, value):
        return value.upper()

    def to_url(self, value):
        return str(value)


register_converter(QuarterConverter, "quarter")

app_name = "scoring"

urlpatterns = [
    path("", quarters.index, name="index"),
    path("me/", quarters.me, name="me"),
    path("rules/", quarters.rules, name="rules"),
    path("compute/", quarters.compute, name="compute-any"),
    path("quarters/<quarter:code>/", quarters.quarter_detail, name="quarter"),
    path("quarters/<quarter:code>/communities/", quarters.community_ranking, name="communities"),
    path("quarters/<quarter:code>/people/<id:pk>/", quarters.person_detail, name="person"),
    path(
        "quarters/<quarter:code>/communities/<id:pk>/",
        quarters.community_detail,
        name="community",
    ),
    path(
        "quarters/<quarter:code>/entries/<id:pk>/remove/",
        quarters.entry_remove,
        name="entry-remove",
    ),
    path("quarters/<quarter:code>/interviews/", quarters.interviews, name="interviews"),
    path("quarters/<quarter:code>/notice/", quarters.notice, name="notice"),
    path("quarters/<quarter:code>/evaluations/", quarters.evaluations, name="evaluations"),
    path("quarters/<quarter:code>/compute/", quarters.compute, name="compute"),
    path("quarters/<quarter:code>/publish/", quarters.publish, name="publish"),
    path("quarters/<quarter:code>/reopen/", quarters.reopen, name="reopen"),
    path("interviews/<id:pk>/", quarters.interview_detail, name="interview"),
    path("service-card/", evidence.service_card, name="service-card-list"),
    path("pledges/", evidence.commitments, name="commitments"),
    path("draws/", evidence.draws, name="draws"),
    path("draws/<id:pk>/", evidence.draw_detail, name="draw-detail"),
    path("checks/<id:pk>/", evidence.check_record, name="check-record"),
    path("dual/", evidence.dual_list, name="dual-list"),
    path("dual/<id:pk>/", evidence.dual_detail, name="dual-detail"),
    path("volunteers/", evidence.teams, name="teams"),
    path("volunteers/<id:pk>/", evidence.team_detail, name="team-detail"),
]
