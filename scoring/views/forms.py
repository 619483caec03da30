"""Forms of the scoring pages. They parse input only; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.api.filters import IdField
from casework.models import UnitKind, User
from scoring.calc import QuarterKey
from scoring.models import Grade, Indicator, ServiceCardKind, VerificationOutcome
from scoring.selectors.evidence import people_for, places_for

PLACES = (UnitKind.COMMUNITY, UnitKind.GRID, UnitKind.COMPOUND, UnitKind.BUILDING)
DATE = forms.DateInput(attrs={"type": "date"})


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return person.get_full_name()


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return person.get_full_name()


class ViewerForm(forms.Form):
    """A form whose choices depend on who is filling it in."""

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model is User:
                field.queryset = people_for(viewer=viewer)

    def places(self, name: str, kinds=PLACES):
        self.fields[name].queryset = places_for(viewer=self.viewer, kinds=kinds)


class ServiceCardForm(ViewerForm):
    person = PersonChoice(queryset=User.objects.none(), label=_("Party member"))
    unit = forms.ModelChoiceField(queryset=None, label=_("Where"))
    kind = forms.ChoiceField(choices=ServiceCardKind.choices, label=_("Kind"))
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    title = forms.CharField(max_length=120, label=_("What was done"))
    description = forms.CharField(
        required=False, max_length=2000, label=_("Details"), widget=forms.Textarea
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.places("unit")
        self.fields["person"].initial = self.viewer.pk
        self.fields["occurred_on"].initial = timezone.localdate()


class CommitmentForm(ViewerForm):
    person = PersonChoice(queryset=User.objects.none(), label=_("Party member"))
    unit = forms.ModelChoiceField(queryset=None, label=_("Community"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2999)
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.filter(is_common=True, is_active=True), label=_("Category")
    )
    text = forms.CharField(max_length=300, label=_("Pledge"), widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.places("unit")
        self.fields["person"].initial = self.viewer.pk
        self.fields["year"].initial = timezone.localdate().year


class DrawForm(ViewerForm):
    unit = forms.ModelChoiceField(queryset=None, label=_("Draw within"))
    year = forms.IntegerField(label=_("Pledges of year"), min_value=2000, max_value=2999)
    sample_size = forms.IntegerField(label=_("How many to check"), min_value=1, max_value=500)
    inspectors = PeopleChoice(
        queryset=User.objects.none(),
        required=False,
        label=_("Inspectors to draw from"),
        help_text=_(
            "Leave empty: each pledge's inspector is drawn from the supervisors of the other "
            "communities of its town."
        ),
    )
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        label=_("Seed"),
        help_text=_("Leave empty: the system draws one and logs it."),
    )
    note = forms.CharField(required=False, max_length=200, label=_("Note"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.places("unit", kinds=(UnitKind.CITY, UnitKind.COUNTY, UnitKind.TOWN, *PLACES))
        self.fields["inspectors"].queryset = people_for(viewer=self.viewer)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["sample_size"].initial = 10


class CheckForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            (VerificationOutcome.KEPT, VerificationOutcome.KEPT.label),
            (VerificationOutcome.BROKEN, VerificationOutcome.BROKEN.label),
        ],
        label=_("Outcome"),
    )
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    note = forms.CharField(
        required=False, max_length=2000, label=_("What residents said"), widget=forms.Textarea
    )


class DualRegistrationForm(ViewerForm):
    person = PersonChoice(queryset=User.objects.none(), label=_("Party member"))
    home_unit = forms.ModelChoiceField(queryset=None, label=_("Works at"))
    community = forms.ModelChoiceField(queryset=None, label=_("Registered with"))
    registered_on = forms.DateField(label=_("Registered on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from casework.models import OrgUnit

        # Members come from departments, usually outside the viewer's own subtree.
        self.fields["person"].queryset = (
            User.objects.filter(is_active=True, memberships__unit__kind=UnitKind.DEPARTMENT)
            .distinct()
            .order_by("name")
        )
        self.fields["home_unit"].queryset = OrgUnit.objects.filter(
            is_active=True, kind__in=[UnitKind.DEPARTMENT, UnitKind.COUNTY, UnitKind.TOWN]
        ).order_by("path")
        self.places("community", kinds=(UnitKind.COMMUNITY,))
        self.fields["registered_on"].initial = timezone.localdate()


class DualServiceForm(forms.Form):
    served_on = forms.DateField(label=_("Served on"), widget=DATE)
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=1)
    description = forms.CharField(max_length=200, label=_("What was done"))


class TeamForm(ViewerForm):
    name = forms.CharField(max_length=100, label=_("Team name"))
    unit = forms.ModelChoiceField(queryset=None, label=_("Serves"))
    leader = PersonChoice(queryset=User.objects.none(), required=False, label=_("Leader"))
    members = PeopleChoice(queryset=User.objects.none(), required=False, label=_("Members"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.places("unit", kinds=(UnitKind.COMMUNITY, UnitKind.GRID, UnitKind.COMPOUND))
        self.fields["members"].queryset = people_for(viewer=self.viewer)


class ActivityForm(forms.Form):
    title = forms.CharField(max_length=120, label=_("Activity"))
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    place = forms.CharField(max_length=120, label=_("Place"))
    people_served = forms.IntegerField(min_value=0, max_value=100_000, label=_("People served"))
    participants = PeopleChoice(queryset=User.objects.none(), label=_("Participants"))
    organiser = PersonChoice(queryset=User.objects.none(), required=False, label=_("Organiser"))

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        members = team.members.order_by("name", "username")
        self.fields["participants"].queryset = members
        self.fields["organiser"].queryset = members


class EvaluationForm(forms.Form):
    person = IdField(
        widget=forms.HiddenInput,
        label=_("Person"),
        error_messages={
            key: _("No such person.") for key in ("invalid", "min_value", "max_value")
        },
    )
    grade = forms.ChoiceField(choices=Grade.choices, label=_("Grade"))
    note = forms.CharField(required=False, max_length=2000, label=_("Comment"))


class InterviewForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    interviewee = forms.CharField(required=False, max_length=64, label=_("Talked with"))
    notes = forms.CharField(max_length=4000, label=_("Notes"), widget=forms.Textarea)
    follow_up = forms.CharField(
        required=False, max_length=2000, label=_("Follow-up"), widget=forms.Textarea
    )
    follow_up_due = forms.DateField(required=False, label=_("Follow-up due"), widget=DATE)
    annual_grade_lowered = forms.BooleanField(
        required=False, label=_("Annual evaluation one grade lower")
    )
    bonus_withheld = forms.BooleanField(required=False, label=_("Performance bonus withheld"))


class ReopenForm(forms.Form):
    reason = forms.CharField(max_length=2000, label=_("Why reopen it"), widget=forms.Textarea)


def quarter_choices(count: int = 6) -> list[tuple[str, str]]:
    """The quarter in progress and the ones before it, for the compute form."""
    key = QuarterKey.of(timezone.localdate())
    choices = []
    for _step in range(count):
        choices.append((key.code, key.code))
        key = key.previous()
    return choices


class ComputeForm(forms.Form):
    quarter = forms.ChoiceField(label=_("Quarter"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = quarter_choices()


class ManualEntryForm(forms.Form):
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.filter(is_active=True), label=_("Category")
    )
    points = forms.DecimalField(max_digits=6, decimal_places=2, label=_("Points (+ or −)"))
    reason = forms.CharField(max_length=2000, label=_("Reason"))
