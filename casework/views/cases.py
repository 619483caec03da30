"""Case pages: the supervisor's queues, the handler's list, one case with its history."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from casework import services
from casework.errors import DomainError, NotFound
from casework.models import OrgUnit, Satisfaction, User
from casework.panels import case_panels
from casework.policies import available_actions
from casework.selectors.cases import (
    QUEUES,
    case_events,
    case_get,
    case_list,
    my_cases,
    queue_counts,
)
from casework.services.cases import dispatch_units

QUEUE_LABELS = {
    "new": _("New"),
    "due_soon": _("Due soon"),
    "overdue": _("Overdue"),
    "awaiting_feedback": _("Awaiting feedback"),
    "reopened": _("Reopened"),
}
PAGE_SIZE = 50


def _case_or_404(request, pk):
    try:
        return case_get(viewer=request.user, pk=pk)
    except NotFound:
        raise Http404 from None


@login_required
def case_queues(request):
    queue = request.GET.get("queue") or "new"
    if queue not in QUEUES:
        queue = "new"
    now = timezone.now()
    counts = queue_counts(viewer=request.user, now=now)
    page = Paginator(case_list(viewer=request.user, queue=queue, now=now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    tabs = [{"name": q, "label": QUEUE_LABELS[q], "count": counts[q]} for q in QUEUES]
    return render(
        request,
        "casework/case_queues.html",
        {"tabs": tabs, "queue": queue, "page": page, "now": now},
    )


@login_required
def case_mine(request):
    page = Paginator(my_cases(viewer=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "casework/case_mine.html", {"page": page})


# --- Action forms ------------------------------------------------------------------------------


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("Handling unit"))
    handler = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Handler (optional)")
    )
    co_handlers = forms.ModelMultipleChoiceField(
        queryset=OrgUnit.objects.none(), required=False, label=_("Co-handling units")
    )
    due_at = forms.DateTimeField(
        required=False,
        label=_("Deadline (optional)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    note = forms.CharField(required=False, max_length=4000, label=_("Note"), widget=forms.Textarea)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        units = dispatch_units(case)
        self.fields["unit"].queryset = units
        self.fields["co_handlers"].queryset = units
        self.fields["handler"].queryset = User.objects.filter(
            memberships__role="handler", memberships__unit__in=units, is_active=True
        ).distinct()


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=4000, label=_("Reason"), widget=forms.Textarea)


class ResultForm(forms.Form):
    result = forms.CharField(max_length=4000, label=_("What was done"), widget=forms.Textarea)


class NoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=4000, label=_("Note"), widget=forms.Textarea)


class FeedbackForm(forms.Form):
    solved = forms.TypedChoiceField(
        label=_("Was it solved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("How satisfied is the resident?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(required=False, max_length=4000, label=_("Note"), widget=forms.Textarea)


ACTION_FORMS = {
    "assign": AssignForm,
    "accept": NoteForm,
    "return": ReasonForm,
    "resolve": ResultForm,
    "feedback": FeedbackForm,
    "reopen": ReasonForm,
    "close": NoteForm,
    "cancel": ReasonForm,
    "chase": NoteForm,
}
ACTION_LABELS = {
    "assign": _("Assign"),
    "accept": _("Sign for it"),
    "return": _("Return it"),
    "resolve": _("Report the result"),
    "feedback": _("Record the resident's feedback"),
    "reopen": _("Reopen for redo"),
    "close": _("Close"),
    "cancel": _("Cancel the case"),
    "chase": _("Chase the handler"),
}


def _run(action, case, user, data: dict, version: int | None):
    common = {"case": case, "actor": user, "version": version}
    if action == "assign":
        due_at: datetime | None = data.get("due_at")
        return services.case_assign(
            **common,
            unit=data["unit"],
            handler=data.get("handler"),
            co_handlers=data.get("co_handlers") or [],
            due_at=due_at,
            note=data.get("note", ""),
        )
    if action == "accept":
        return services.case_accept(**common, note=data.get("note", ""))
    if action == "return":
        return services.case_return(**common, reason=data["reason"])
    if action == "resolve":
        return services.case_resolve(**common, result=data["result"])
    if action == "feedback":
        return services.feedback_record(
            **common,
            solved=data["solved"],
            satisfaction=data["satisfaction"],
            note=data.get("note", ""),
        )
    if action == "reopen":
        return services.case_reopen(**common, reason=data["reason"])
    if action == "close":
        return services.case_close(**common, note=data.get("note", ""))
    if action == "cancel":
        return services.case_cancel(**common, reason=data["reason"])
    if action == "chase":
        return services.case_chase(case=case, actor=user, note=data.get("note", ""))
    raise Http404


def _forms_for(case, actions, bound=None):
    forms_ = []
    for action in actions:
        form_class = ACTION_FORMS[action]
        kwargs = {"case": case} if form_class is AssignForm else {}
        data = bound[1] if bound and bound[0] == action else None
        form = form_class(data, prefix=action, **kwargs)
        forms_.append({"action": action, "label": ACTION_LABELS[action], "form": form})
    return forms_


@login_required
def case_detail(request, pk: int, bound=None):
    case = _case_or_404(request, pk)
    actions = available_actions(request.user, case)
    return render(
        request,
        "casework/case_detail.html",
        {
            "case": case,
            "events": case_events(case=case),
            "action_forms": _forms_for(case, actions, bound),
            "panels": case_panels(request, case),
            "now": timezone.now(),
        },
        status=400 if bound else 200,
    )


@login_required
@require_POST
def case_act(request, pk: int, action: str):
    case = _case_or_404(request, pk)
    if action not in ACTION_FORMS:
        raise Http404
    form_class = ACTION_FORMS[action]
    kwargs = {"case": case} if form_class is AssignForm else {}
    form = form_class(request.POST, prefix=action, **kwargs)
    if not form.is_valid():
        return case_detail(request, pk, bound=(action, request.POST))
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        _run(action, case, request.user, form.cleaned_data, version)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("case-detail", pk=case.pk)
