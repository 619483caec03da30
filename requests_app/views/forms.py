"""Page forms. They parse; the services decide."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.api.filters import IdField
from casework.models import Urgency
from casework.selectors import unit_list
from requests_app.models import Channel, VisitKind
from requests_app.services._common import REQUEST_PLACE_KINDS
from requests_app.services.visits import VISIT_PLACE_KINDS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        # Indent by depth so the tree reads in a plain <select>.
        return "\u3000" * max(unit.depth - 5, 0) + unit.name


def _units(viewer, kinds):
    return unit_list(viewer=viewer).filter(kind__in=kinds, is_active=True)


#: The channels a person collects through by hand: met on site, took the call, opened the box,
#: heard it as a volunteer or at a consultation. The online form and the public API arrive from
#: integrations (``/api/v1/requests/`` still takes every ``Channel``); the intake page never
#: offers them, and refuses them if posted.
FIELD_CHANNELS = (
    Channel.ONSITE,
    Channel.HOTLINE,
    Channel.MAILBOX,
    Channel.VOLUNTEER,
    Channel.CONSULTATION,
)


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c.value, c.label) for c in FIELD_CHANNELS],
        initial=Channel.ONSITE,
    )
    category = forms.IntegerField(label=_("Category"), widget=forms.HiddenInput)
    unit = UnitChoiceField(label=_("Place"), queryset=None, empty_label=None)
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("What the resident asks for"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    resident_phone = forms.CharField(
        label=_("Resident's phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    resident_name = forms.CharField(label=_("Resident's name"), max_length=64, required=False)
    resident_address = forms.CharField(label=_("Address"), max_length=200, required=False)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=32,
        required=False,
        help_text=_("Only for categories that need it."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    photos = MultipleFileField(label=_("Photos"), required=False)
    latitude = forms.DecimalField(
        max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        max_digits=9, decimal_places=6, required=False, widget=forms.HiddenInput
    )
    visit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("Answer given on the spot"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    #: Where a service's error field lands on this form (``None``: on the form itself).
    FIELD_MAP = {
        "resident.phone": "resident_phone",
        "resident.name": "resident_name",
        "resident.address": "resident_address",
        "merge_into": None,
        "outcome": None,
        "title": None,
        "collected_at": None,
    }

    def __init__(self, *args, viewer, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(viewer, REQUEST_PLACE_KINDS)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer given"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeForm(forms.Form):
    into = IdField(label=_("Merge into request"))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class VisitForm(forms.Form):
    unit = UnitChoiceField(label=_("Place"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices)
    visited_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, viewer, **kwargs):
        kwargs.setdefault("initial", {}).setdefault(
            "visited_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(viewer, VISIT_PLACE_KINDS)


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
