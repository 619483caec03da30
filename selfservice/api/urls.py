from django.urls import include, path

urlpatterns = [
    path("", include("selfservice.api.door_urls")),
    path("", include("selfservice.api.feedback_urls")),
]
