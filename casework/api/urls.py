from django.urls import path

from casework.api import views
from casework.api.cases import CaseViewSet
from casework.api.dashboard import DashboardView
from casework.api.meetings import MeetingViewSet
from casework.api.notifications import NotificationPreferenceView, NotificationViewSet
from casework.api.pickers import PeoplePickerView, PlacesPickerView
from casework.api.tokens import TokenViewSet
from casework.api.worker_rates import MyRatesView, WorkerRatesView
from casework.urlconverters import Router

router = Router()
router.register("units", views.UnitViewSet, basename="unit")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("people", views.PersonViewSet, basename="person")
router.register("cases", CaseViewSet, basename="case")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("tokens", TokenViewSet, basename="token")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("rates/workers/", WorkerRatesView.as_view(), name="rates-workers"),
    path("rates/me/", MyRatesView.as_view(), name="rates-me"),
    path("pickers/people/", PeoplePickerView.as_view(), name="picker-people"),
    path("pickers/places/", PlacesPickerView.as_view(), name="picker-places"),
    path(
        "notifications/preferences/",
        NotificationPreferenceView.as_view(),
        name="notification-preferences",
    ),
    *router.urls,
]
