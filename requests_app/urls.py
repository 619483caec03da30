"""requests_app pages."""

urlpatterns: list = []
