from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Requests")

    def ready(self):
        from casework.figures import register_figures
        from casework.panels import register_case_panel
        from requests_app.integration import case_requests_panel, request_figures

        register_case_panel(case_requests_panel)
        register_figures(request_figures)
