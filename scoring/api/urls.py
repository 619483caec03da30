"""scoring API, mounted under /api/v1/scoring/."""

from django.urls import path, re_path

from casework.urlconverters import ID_REGEX, Router
from scoring.api import appeals, evidence, honours, twins, views

router = Router()
router.register("quarters", views.QuarterViewSet, basename="scoring-quarter")

Q = rf"quarters/(?P<code>{views.QUARTER})"

urlpatterns = [
    *router.urls,
    re_path(rf"^{Q}/ranking/$", views.RankingView.as_view(), name="scoring-ranking"),
    re_path(
        rf"^{Q}/communities/$",
        views.CommunityRankingView.as_view(),
        name="scoring-community-ranking",
    ),
    re_path(rf"^{Q}/interviews/$", views.InterviewListView.as_view(), name="scoring-interviews"),
    re_path(rf"^{Q}/report\.pdf$", views.QuarterReportView.as_view(), name="scoring-report"),
    # The rest of the pages' twins (scoring/api/twins.py).
    re_path(rf"^{Q}/entries/$", twins.ManualEntryView.as_view(), name="scoring-entries"),
    re_path(
        rf"^{Q}/entries/(?P<pk>{ID_REGEX})/$",
        twins.ManualEntryDetailView.as_view(),
        name="scoring-entry",
    ),
    re_path(
        rf"^{Q}/entries/(?P<pk>{ID_REGEX})/remove/$",
        twins.ManualEntryRemoveView.as_view(),
        name="scoring-entry-remove",
    ),
    re_path(
        rf"^{Q}/evaluations/$", twins.EvaluationListView.as_view(), name="scoring-evaluations"
    ),
    path("interviews/<id:pk>/", twins.InterviewDetailView.as_view(), name="scoring-interview"),
    path(
        "interviews/<id:pk>/record/",
        twins.InterviewRecordView.as_view(),
        name="scoring-interview-record",
    ),
    path("dual/", twins.DualRegistrationView.as_view(), name="scoring-dual"),
    path("dual/<id:pk>/services/", twins.DualServiceView.as_view(), name="scoring-dual-services"),
    path("volunteers/", twins.TeamView.as_view(), name="scoring-teams"),
    path(
        "volunteers/<id:pk>/activities/",
        twins.ActivityView.as_view(),
        name="scoring-team-activities",
    ),
    path("draws/", views.DrawListView.as_view(), name="scoring-draws"),
    path("service-card/", evidence.ServiceCardView.as_view(), name="scoring-service-card"),
    path("pledges/", evidence.CommitmentView.as_view(), name="scoring-pledges"),
    path("checks/<id:pk>/", evidence.CheckRecordView.as_view(), name="scoring-check"),
    path("people/<id:pk>/", views.PersonScoreView.as_view(), name="scoring-person"),
    path("communities/<id:pk>/", views.CommunityScoreView.as_view(), name="scoring-community"),
    path("appeals/", appeals.AppealListView.as_view(), name="scoring-appeals"),
    path("appeals/<id:pk>/", appeals.AppealDetailView.as_view(), name="scoring-appeal"),
    path(
        "appeals/<id:pk>/decide/",
        appeals.AppealDecideView.as_view(),
        name="scoring-appeal-decide",
    ),
    path(
        "appeals/<id:pk>/withdraw/",
        appeals.AppealWithdrawView.as_view(),
        name="scoring-appeal-withdraw",
    ),
    path("dual/cadence/", appeals.CadenceView.as_view(), name="scoring-dual-cadence"),
    path(
        "dual/<id:pk>/cadence/",
        appeals.RegistrationCadenceView.as_view(),
        name="scoring-dual-registration-cadence",
    ),
    path(
        "dual/cadence/<id:pk>/withdraw/",
        appeals.CadenceWithdrawView.as_view(),
        name="scoring-dual-cadence-withdraw",
    ),
    # Yearly and cumulative rankings, 星级社区工作者, the honour roll, a worker's history.
    path("rankings/", honours.RankingsView.as_view(), name="scoring-rankings"),
    path("honours/", honours.RoundListView.as_view(), name="scoring-honours"),
    path("honours/<id:pk>/", honours.RoundDetailView.as_view(), name="scoring-honour-round"),
    path(
        "honours/<id:pk>/nominations/",
        honours.NominateView.as_view(),
        name="scoring-honour-nominate",
    ),
    path("honours/<id:pk>/close/", honours.CloseView.as_view(), name="scoring-honour-close"),
    path(
        "nominations/<id:pk>/decide/",
        honours.DecideView.as_view(),
        name="scoring-nomination-decide",
    ),
    path(
        "honours/roll/<id:county>/<int:year>/",
        honours.RollView.as_view(),
        name="scoring-honour-roll",
    ),
    path(
        "awards/<id:pk>/certificate.pdf",
        honours.CertificateView.as_view(),
        name="scoring-certificate",
    ),
    path("people/<id:pk>/history/", honours.HistoryView.as_view(), name="scoring-history"),
]
