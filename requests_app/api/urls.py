"""requests_app API, mounted under /api/v1/."""

from django.urls import path

from casework.urlconverters import Router
from requests_app.api import callbacks, views
from requests_app.api.map import MapPointsView
from requests_app.api.visit_figures import VisitCoverageView, VisitFiguresView

router = Router()
router.register("requests", views.RequestViewSet, basename="request")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("residents", views.ResidentViewSet, basename="resident")
router.register("callbacks", callbacks.CallbackViewSet, basename="callback")
router.register("callback-samples", callbacks.CallbackSampleViewSet, basename="callback-sample")

urlpatterns = [
    path("map/points/", MapPointsView.as_view(), name="map-points"),
    path("visits/figures/", VisitFiguresView.as_view(), name="visit-figures"),
    path("visits/coverage/", VisitCoverageView.as_view(), name="visit-coverage"),
    *router.urls,
]
