"""requests_app API, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from requests_app.api import views

router = SimpleRouter()
router.register("requests", views.RequestViewSet, basename="request")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("residents", views.ResidentViewSet, basename="resident")

urlpatterns = router.urls
