from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks and group robots")

    def ready(self):
        from casework import events
        from webhooks import receivers

        # One way only: webhooks knows casework; casework sends its signal and knows nobody.
        events.recorded.connect(receivers.case_events_recorded, dispatch_uid="webhooks.events")
