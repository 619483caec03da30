from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Casework")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from casework.logins import session_mark_active
        from casework.sweeper import start_if_wanted

        user_logged_in.connect(session_mark_active, dispatch_uid="casework-session-active")

        start_if_wanted()
