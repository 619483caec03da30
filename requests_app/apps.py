from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Requests")

    def ready(self):
        from casework import figures
        from casework.panels import register_case_panel
        from requests_app import integration

        register_case_panel(integration.case_requests_panel)
        figures.register("figures", integration.request_figures)
        figures.register("volumes", integration.request_volumes)
        figures.register("hotspots", integration.request_hotspots)
