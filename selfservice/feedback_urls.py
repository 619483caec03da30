"""The resident's rating and the disagreements' pages (namespace ``selfservice``)."""

from django.urls import path

from selfservice.views import feedback

urlpatterns = [
    path("track/rating/", feedback.track_rating, name="track-rating"),
    path("rate/<str:token>/", feedback.rate, name="rate"),
    path("feedback/disagreements/", feedback.disagreement_index, name="disagreement-list"),
    path(
        "feedback/disagreements/<id:pk>/",
        feedback.disagreement_detail,
        name="disagreement-detail",
    ),
    path(
        "feedback/disagreements/<id:pk>/check/",
        feedback.disagreement_check_view,
        name="disagreement-check",
    ),
]
