"""scoring API, mounted under /api/v1/."""

urlpatterns: list = []
