"""requests_app API, mounted under /api/v1/."""

from django.urls import path

from casework.urlconverters import Router
from requests_app.api import views
from requests_app.api.map import MapPointsView

router = Router()
router.register("requests", views.RequestViewSet, basename="request")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("residents", views.ResidentViewSet, basename="resident")

urlpatterns = [
    path("map/points/", MapPointsView.as_view(), name="map-points"),
    *router.urls,
]
