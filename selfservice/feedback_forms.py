"""The forms of the resident's rating and of a supervisor's check, shared by the pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import Satisfaction
from casework.services.cases.resident import COMMENT_LIMIT
from selfservice.feedback import NOTE_LIMIT
from selfservice.models import DisagreementOutcome

YES, NO = "yes", "no"


class RatingForm(forms.Form):
    """Solved? How satisfied? A comment. Radios inside their labels, big enough for a thumb."""

    solved = forms.ChoiceField(
        label=_("Was the problem solved?"),
        choices=[(YES, _("Yes, solved")), (NO, _("No, not solved"))],
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with the result?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_LIMIT}),
        help_text=_("Please do not write your phone number or ID number here."),
    )

    def answer(self) -> dict:
        data = self.cleaned_data
        return {
            "solved": data["solved"] == YES,
            "satisfaction": data["satisfaction"],
            "comment": data.get("comment", ""),
        }


class CheckForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Who is right?"),
        choices=[
            (DisagreementOutcome.WORKER_STANDS, DisagreementOutcome.WORKER_STANDS.label),
            (DisagreementOutcome.RESIDENT_RIGHT, DisagreementOutcome.RESIDENT_RIGHT.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (required when the resident is right)"),
        required=False,
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_LIMIT}),
    )
