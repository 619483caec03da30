"""Appeal pages (申诉): file one from "why these points", my appeals and the county's queue,
one appeal with its history, the county's decision and the appellant's withdrawal."""

from __future__ import annotations

from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework.views.errors import or_404, refusal_as_form_error, refusal_as_message
from casework.views.files import photo_response
from casework.views.paging import page_of
from scoring import services
from scoring.access import appeal_decider_paths, decides_appeals_over
from scoring.models import AppealStatus, ScoreEntry
from scoring.selectors.appeals import (
    appeal_closes_on,
    appeal_get,
    appeal_list,
    appeal_window_refusal,
    pending_appeal_count,
)
from scoring.selectors.explain import entry_reason
from scoring.selectors.results import quarter_get
from scoring.sources import source_label


class AppealForm(forms.Form):
    reason = forms.CharField(
        max_length=2000, label=gettext_lazy("Why these points are wrong"), widget=forms.Textarea
    )
    evidence_text = forms.CharField(
        required=False,
        max_length=4000,
        label=gettext_lazy("Evidence"),
        help_text=gettext_lazy("Dates, case numbers, who can confirm it."),
        widget=forms.Textarea,
    )
    evidence_photo = forms.FileField(
        required=False,
        label=gettext_lazy("Photo of the evidence"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("rejected", gettext_lazy("Reject: the points stand")),
            ("upheld", gettext_lazy("Uphold: correct the points")),
        ],
        widget=forms.RadioSelect,
        label=gettext_lazy("Decision"),
    )
    corrected_points = forms.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=2,
        label=gettext_lazy("Corrected points"),
        help_text=gettext_lazy(
            "What the entry should be worth, when upheld. Empty: the disputed points are "
            "cancelled."
        ),
    )
    reason = forms.CharField(
        max_length=2000, label=gettext_lazy("Reason for the decision"), widget=forms.Textarea
    )


@login_required
def appeal_new(request, code, pk):
    """File an appeal of one of the viewer's own entries."""
    quarter = or_404(quarter_get, code=code)
    entry = (
        ScoreEntry.objects.select_related("indicator")
        .filter(pk=pk, quarter=quarter, person=request.user)
        .first()
    )
    if entry is None:
        raise Http404
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form) as refused:
            appeal = services.appeal_file(actor=request.user, entry=entry, **form.cleaned_data)
        if not refused:
            messages.success(request, _("Appeal filed. The county will decide it."))
            return redirect("scoring:appeal", pk=appeal.pk)
    return render(
        request,
        "scoring/appeal_new.html",
        {
            "quarter": quarter,
            "entry": entry,
            "label": source_label(entry.source),
            "reason": entry_reason(entry),
            "form": form,
            "closed": appeal_window_refusal(quarter),
            "closes_on": appeal_closes_on(quarter),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def appeals(request):
    """My appeals and, for the county's deciders, the queue: pending first."""
    deciding = bool(appeal_decider_paths(request.user))
    view = request.GET.get("view") or ("queue" if deciding else "mine")
    if view not in ("queue", "mine", "all"):
        view = "mine"
    status = request.GET.get("status")
    if status not in AppealStatus.values:
        status = None
    quarter = None
    if request.GET.get("quarter"):
        quarter = or_404(quarter_get, code=request.GET["quarter"])
    rows = appeal_list(
        viewer=request.user,
        quarter=quarter,
        status=status,
        mine=view == "mine",
        deciding=view == "queue",
    )
    return render(
        request,
        "scoring/appeals.html",
        {
            "page": page_of(request, rows),
            "view": view,
            "deciding": deciding,
            "status": status,
            "quarter": quarter,
            "statuses": AppealStatus.choices,
        },
    )


def _detail(request, appeal, *, form=None, status=200):
    may_decide = (
        appeal.is_pending
        and appeal.person_id != request.user.pk
        and decides_appeals_over(request.user, appeal.unit.path)
    )
    return render(
        request,
        "scoring/appeal.html",
        {
            "appeal": appeal,
            "form": (form or DecideForm()) if may_decide else None,
            "may_withdraw": appeal.is_pending and appeal.person_id == request.user.pk,
        },
        status=status,
    )


@login_required
def appeal_detail(request, pk):
    return _detail(request, or_404(appeal_get, viewer=request.user, pk=pk))


@login_required
@require_POST
def appeal_decide(request, pk):
    appeal = or_404(appeal_get, viewer=request.user, pk=pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with refusal_as_form_error(form) as refused:
            services.appeal_decide(
                actor=request.user,
                appeal=appeal,
                upheld=data["decision"] == "upheld",
                reason=data["reason"],
                corrected_points=data["corrected_points"],
            )
        if not refused:
            messages.success(request, _("Appeal decided."))
            return redirect("scoring:appeal", pk=appeal.pk)
        if refused.error.status in (403, 409):
            messages.error(request, refused.error.message)
            return redirect("scoring:appeal", pk=appeal.pk)
    return _detail(request, appeal, form=form, status=400)


@login_required
@require_POST
def appeal_withdraw(request, pk):
    appeal = or_404(appeal_get, viewer=request.user, pk=pk)
    with refusal_as_message(request) as refused:
        services.appeal_withdraw(actor=request.user, appeal=appeal)
    if not refused:
        messages.success(request, _("Appeal withdrawn."))
    return redirect("scoring:appeal", pk=appeal.pk)


@login_required
def appeal_photo(request, pk):
    """The evidence photo, to those who may see the appeal."""
    appeal = or_404(appeal_get, viewer=request.user, pk=pk)
    if not appeal.evidence_photo:
        raise Http404
    return photo_response(SimpleNamespace(image=appeal.evidence_photo))


def appeals_context(viewer, quarter) -> dict:
    """What a quarter's page shows of its appeals: how many are pending (publishing waits for
    them) and the first pending ones the viewer may see, with links."""
    return {
        "appeals_pending": pending_appeal_count(quarter),
        "pending_appeals": list(
            appeal_list(viewer=viewer, quarter=quarter, status=AppealStatus.PENDING)[:10]
        ),
    }
