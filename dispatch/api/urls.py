"""dispatch API, mounted under /api/v1/ (namespace ``api``)."""

from django.urls import path

from dispatch.api import views

urlpatterns = [
    path("dispatch/suggest/", views.SuggestView.as_view(), name="dispatch-suggest"),
    path("dispatch/models/", views.ModelListView.as_view(), name="dispatch-models"),
    path(
        "dispatch/models/<int:pk>/activate/",
        views.ModelActivateView.as_view(),
        name="dispatch-model-activate",
    ),
    path("dispatch/acceptance/", views.AcceptanceView.as_view(), name="dispatch-acceptance"),
]
