from django.urls import path

from casework.views.home import home
from casework.views.org import unit_detail

urlpatterns = [
    path("", home, name="home"),
    path("units/<int:pk>/", unit_detail, name="unit-detail"),
]
