from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfServiceConfig(AppConfig):
    """The residents' own door (channel ``online``): a public page to report a problem, the
    tracking page's progress, and the resident's own rating of the result."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "selfservice"
    verbose_name = _("Residents' self-service")

    def ready(self):
        from casework import events
        from casework.panels import register_case_panel
        from requests_app.services.callbacks import register_failed_verifications
        from requests_app.views.track import register_track_panel
        from selfservice import feedback_panels, feedback_selectors, receivers_feedback

        # One way only, as webhooks does: selfservice knows casework and requests_app, never
        # the reverse. A result asks the resident; a 回访 is compared with their own answer.
        events.recorded.connect(
            receivers_feedback.case_events_recorded, dispatch_uid="selfservice.feedback"
        )
        register_track_panel(feedback_panels.track_rating_panel)
        register_case_panel(feedback_panels.case_answers_panel)
        # A resident found right against a 回访 is a failed verification of its worker.
        register_failed_verifications(feedback_selectors.failed_verifications)
