"""The OpenAPI schema and its Swagger UI, behind a login when ``MINQING_API_DOCS_LOGIN_REQUIRED``.

drf-spectacular's ``SERVE_PERMISSIONS`` is read once at import; these views read the setting on
each request, so one process (and the tests) can switch it.
"""

from django.conf import settings
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny, IsAuthenticated


class _DocsPermissionMixin:
    def get_permissions(self):
        if settings.MINQING_API_DOCS_LOGIN_REQUIRED:
            return [IsAuthenticated()]
        return [AllowAny()]


class SchemaView(_DocsPermissionMixin, SpectacularAPIView):
    """``/api/schema/``: the OpenAPI document."""


class SchemaDocsView(_DocsPermissionMixin, SpectacularSwaggerSplitView):
    """``/api/docs/``: Swagger UI, its set-up script served as a file (no inline script)."""

    template_name = "api/swagger_ui.html"
