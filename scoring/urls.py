"""scoring pages, mounted at /scoring/."""

from django.urls import path, register_converter

import casework.urlconverters  # noqa: F401  (the <id:…> converter)
from scoring.views import appeals, dual_cadence, evidence, quarters
from scoring.views import honours as honour_views


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
    path(
        "quarters/<quarter:code>/entries/<id:pk>/appeal/",
        appeals.appeal_new,
        name="appeal-new",
    ),
    path("appeals/", appeals.appeals, name="appeals"),
    path("appeals/<id:pk>/", appeals.appeal_detail, name="appeal"),
    path("appeals/<id:pk>/decide/", appeals.appeal_decide, name="appeal-decide"),
    path("appeals/<id:pk>/withdraw/", appeals.appeal_withdraw, name="appeal-withdraw"),
    path("appeals/<id:pk>/photo/", appeals.appeal_photo, name="appeal-photo"),
    path("service-card/", evidence.service_card, name="service-card-list"),
    path("pledges/", evidence.commitments, name="commitments"),
    path("draws/", evidence.draws, name="draws"),
    path("draws/<id:pk>/", evidence.draw_detail, name="draw-detail"),
    path("checks/<id:pk>/", evidence.check_record, name="check-record"),
    path("dual/", evidence.dual_list, name="dual-list"),
    path("dual/<id:pk>/", evidence.dual_detail, name="dual-detail"),
    path("dual/cadence/", dual_cadence.cadence, name="dual-cadence"),
    path("dual/<id:pk>/cadence/", dual_cadence.cadence_record, name="dual-cadence-record"),
    path(
        "dual/cadence/<id:pk>/withdraw/",
        dual_cadence.cadence_withdraw,
        name="dual-cadence-withdraw",
    ),
    path("volunteers/", evidence.teams, name="teams"),
    path("volunteers/<id:pk>/", evidence.team_detail, name="team-detail"),
    # Yearly and cumulative rankings, 星级社区工作者, the honour roll, a worker's history.
    path("rankings/", honour_views.rankings, name="rankings"),
    path("history/", honour_views.my_history, name="my-history"),
    path("people/<id:pk>/history/", honour_views.history, name="history"),
    path("honours/", honour_views.honours, name="honours"),
    path("honours/<id:pk>/", honour_views.honour_round, name="honour-round"),
    path("honours/<id:pk>/nominate/", honour_views.honour_nominate, name="honour-nominate"),
    path("honours/<id:pk>/close/", honour_views.honour_close, name="honour-close"),
    path("nominations/<id:pk>/decide/", honour_views.nomination_decide, name="nomination-decide"),
    path("honours/roll/<id:county>/<int:year>/", honour_views.roll, name="honour-roll"),
    path(
        "honours/roll/<id:county>/<int:year>/pdf/", honour_views.roll_pdf, name="honour-roll-pdf"
    ),
    path("awards/<id:pk>/certificate/", honour_views.certificate, name="certificate"),
]
