from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring")

    def ready(self):
        # The dashboard's figures gather what each app knows without casework importing it.
        from casework import figures
        from scoring.selectors.figures import scoring_figures

        figures.register_figures(scoring_figures)
