from django.urls import path
from rest_framework.routers import SimpleRouter

from casework.api import views

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("people", views.PersonViewSet, basename="person")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    *router.urls,
]
