from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    """Dispatch suggested from the text (智能派单): a model learned from the county's own history
    proposes the category and the handling unit of a request; every suggestion and what the
    person chose are recorded."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "dispatch"
    verbose_name = _("Dispatch suggestions")

    def ready(self):
        from dispatch import receivers

        receivers.connect()
