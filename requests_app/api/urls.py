"""requests_app API, mounted under /api/v1/."""

from casework.urlconverters import Router
from requests_app.api import views

router = Router()
router.register("requests", views.RequestViewSet, basename="request")
router.register("visits", views.VisitViewSet, basename="visit")
router.register("residents", views.ResidentViewSet, basename="resident")

urlpatterns = router.urls
