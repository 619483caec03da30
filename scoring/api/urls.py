"""scoring API, mounted under /api/v1/scoring/."""

from django.urls import path, re_path

from casework.urlconverters import Router
from scoring.api import evidence, views

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
    path("draws/", views.DrawListView.as_view(), name="scoring-draws"),
    path("service-card/", evidence.ServiceCardView.as_view(), name="scoring-service-card"),
    path("pledges/", evidence.CommitmentView.as_view(), name="scoring-pledges"),
    path("checks/<id:pk>/", evidence.CheckRecordView.as_view(), name="scoring-check"),
    path("people/<id:pk>/", views.PersonScoreView.as_view(), name="scoring-person"),
    path("communities/<id:pk>/", views.CommunityScoreView.as_view(), name="scoring-community"),
]
