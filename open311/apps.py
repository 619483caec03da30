from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    """Open311 GeoReport v2 at ``/open311/v2/``: the categories as services, requests filed by
    integrations through the intake service, and a public, personal-data-free read of requests."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "open311"
    verbose_name = _("Open311")
