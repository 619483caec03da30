"""The public door's pages (namespace ``selfservice``): report a problem, and what was filed."""

from django.urls import path

from selfservice.views import door

urlpatterns = [
    path("report/", door.door_page, name="door"),
    path("report/done/", door.door_done, name="door-done"),
]
