"""The public door's API, under /api/v1/public/ (namespace ``api``): no login, throttled."""

from django.urls import path

from selfservice.views import door_api

urlpatterns = [
    path("public/places/", door_api.PlaceSearchView.as_view(), name="door-places"),
    path("public/suggest/", door_api.SuggestView.as_view(), name="door-suggest"),
    path("public/duplicates/", door_api.DuplicatesView.as_view(), name="door-duplicates"),
    path("public/challenge/", door_api.ChallengeView.as_view(), name="door-challenge"),
    path("public/requests/", door_api.FileView.as_view(), name="door-requests"),
    path("public/voices/", door_api.VoiceView.as_view(), name="door-voices"),
]
