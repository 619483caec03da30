from django.urls import path

from dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("", views.index, name="index"),
    path("train/", views.train, name="train"),
    path("models/<int:pk>/activate/", views.activate, name="activate"),
]
