"""Meeting pages: the list with the report's figures per type; recording one, its topics and
the decisions on them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from casework import services
from casework.errors import ValidationFailed
from casework.models import AgendaItem, Case, MeetingType, OrgUnit, ParticipantRole
from casework.models.consultations import FOUR_PARTIES, FOUR_PARTY
from casework.selectors.cases import case_list
from casework.selectors.consultations import (
    meeting_figures,
    meeting_get,
    meeting_list,
    meeting_period,
)
from casework.selectors.scope import scope_for
from casework.services.consultations import MEETING_PLACE_KINDS, TopicInput
from casework.views.errors import or_404, refusal_as_form_error, refusal_as_message
from casework.views.paging import page_of
from casework.workflow import SUPERVISORS


class PeriodForm(forms.Form):
    start = forms.DateField(
        required=False, label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def meeting_index(request):
    meetings = meeting_list(viewer=request.user)
    period = PeriodForm(request.GET or None)
    first = last = None
    if period.is_valid():
        first, last = period.cleaned_data["start"], period.cleaned_data["end"]
    try:
        start, end = meeting_period(first, last)
    except ValidationFailed as refused:
        period.add_error("end" if refused.field == "to" else "start", refused.message)
        start = end = None
    figures = meeting_figures(viewer=request.user, start=start, end=end)
    page = page_of(request, meetings, size=30)
    can_record = scope_for(request.user).has_role(*SUPERVISORS)
    return render(
        request,
        "casework/meeting_list.html",
        {"page": page, "figures": figures, "period": period, "can_record": can_record},
    )


class MeetingForm(forms.Form):
    # Left out, a meeting is a four-party consultation, as every meeting was before types.
    type = forms.ChoiceField(required=False, label=_("Meeting type"))
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Community or compound")
    )
    held_at = forms.DateTimeField(
        label=_("Held at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(max_length=120, label=_("Place"))
    topic = forms.CharField(max_length=120, label=_("Topic"))
    minutes = forms.CharField(
        max_length=10000, required=False, label=_("Minutes"), widget=forms.Textarea
    )
    cases = forms.ModelMultipleChoiceField(
        queryset=Case.objects.none(), required=False, label=_("Cases on the agenda")
    )
    other_topics = forms.CharField(
        max_length=10000,
        required=False,
        label=_("Other topics raised (one a line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_for(viewer)
        # The active types, read once (a select over a queryset would read them twice).
        self.fields["type"].choices = list(
            MeetingType.objects.filter(active=True).values_list("code", "name")
        )
        self.fields["type"].initial = FOUR_PARTY
        self.fields["unit"].queryset = OrgUnit.objects.filter(
            scope.units_q(), kind__in=MEETING_PLACE_KINDS
        ).order_by("path")
        self.fields["cases"].queryset = case_list(viewer=viewer).exclude(
            state__in=["closed", "cancelled"]
        )
        for role in FOUR_PARTIES:
            self.fields[f"party_{role}"] = forms.CharField(
                max_length=64, required=False, label=ParticipantRole(role).label
            )

    def participants(self):
        return [
            (role, self.cleaned_data[f"party_{role}"])
            for role in FOUR_PARTIES
            if self.cleaned_data.get(f"party_{role}")
        ]

    def topics(self):
        lines = self.cleaned_data.get("other_topics", "").splitlines()
        return [TopicInput(title=line.strip()) for line in lines if line.strip()]


@login_required
def meeting_new(request):
    form = MeetingForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form) as refused:
            meeting = services.meeting_create(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                held_at=form.cleaned_data["held_at"],
                place=form.cleaned_data["place"],
                topic=form.cleaned_data["topic"],
                minutes=form.cleaned_data["minutes"],
                participants=form.participants(),
                cases=list(form.cleaned_data["cases"]),
                type=form.cleaned_data["type"] or None,
                topics=form.topics(),
            )
        if not refused:
            messages.success(request, _("The meeting is recorded."))
            return redirect("meeting-detail", pk=meeting.pk)
    return render(request, "casework/meeting_form.html", {"form": form})


@login_required
def meeting_detail(request, pk: int):
    meeting = or_404(meeting_get, viewer=request.user, pk=pk)
    can_decide = scope_for(request.user).has_role(*SUPERVISORS, path=meeting.unit.path)
    return render(
        request, "casework/meeting_detail.html", {"meeting": meeting, "can_decide": can_decide}
    )


@login_required
@require_POST
def meeting_topic_view(request, pk: int):
    """Add a topic raised at the meeting, with a case of the viewer's or none, and its decision."""
    meeting = or_404(meeting_get, viewer=request.user, pk=pk)
    case = None
    if request.POST.get("case"):
        case_id = request.POST["case"]
        visible = case_list(viewer=request.user)
        case = visible.filter(pk=case_id).first() if case_id.isdigit() else None
        if case is None:
            raise Http404
    with refusal_as_message(request) as refused:
        services.meeting_add_topic(
            actor=request.user,
            meeting=meeting,
            topic=TopicInput(
                title=request.POST.get("title", ""),
                case=case,
                decision=request.POST.get("decision", ""),
                resolves=request.POST.get("resolves") == "on",
            ),
        )
    if not refused:
        messages.success(request, _("The topic is recorded."))
    return redirect("meeting-detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_decide_view(request, pk: int):
    meeting = or_404(meeting_get, viewer=request.user, pk=pk)
    item = AgendaItem.objects.filter(meeting=meeting, pk=request.POST.get("item") or 0).first()
    if item is None:
        raise Http404
    with refusal_as_message(request) as refused:
        services.meeting_decide(
            actor=request.user,
            item=item,
            decision=request.POST.get("decision", ""),
            resolves=request.POST.get("resolves") == "on",
        )
    if not refused:
        messages.success(request, _("The decision is recorded on the case."))
    return redirect("meeting-detail", pk=meeting.pk)
