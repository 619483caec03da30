"""selfservice pages: the public door (door_urls) and the resident's rating (feedback_urls)."""

from django.urls import include, path

app_name = "selfservice"

urlpatterns = [
    path("", include("selfservice.door_urls")),
    path("", include("selfservice.feedback_urls")),
]
