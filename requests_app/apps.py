from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Requests")

    def ready(self):
        from casework import figures
        from casework.idempotency import register_store
        from casework.panels import register_case_detail, register_case_panel
        from requests_app import integration
        from requests_app.services.idempotency import idempotent_call

        register_case_panel(integration.case_requests_panel)
        # The case API's Idempotency-Key rows are kept with the intake's.
        register_store(idempotent_call)
        register_case_detail("linked_requests", integration.case_requests_detail)
        figures.register("figures", integration.request_figures)
        figures.register("volumes", integration.request_volumes)
        figures.register("hotspots", integration.request_hotspots)
