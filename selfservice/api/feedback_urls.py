"""The resident's rating over the API (under /api/v1/public/, no login) and the supervisors'
disagreements (under /api/v1/feedback/); namespace ``api``."""

from django.urls import path

from casework.urlconverters import Router
from selfservice.api import feedback

router = Router()
router.register("feedback/disagreements", feedback.DisagreementViewSet, basename="disagreement")

urlpatterns = [
    path("public/track/<str:code>/", feedback.PublicTrackView.as_view(), name="public-track"),
    path(
        "public/track/<str:code>/rating/",
        feedback.PublicTrackRatingView.as_view(),
        name="public-track-rating",
    ),
    path("public/rate/<str:token>/", feedback.PublicRateView.as_view(), name="public-rate"),
    *router.urls,
]
