"""双报到 cadence pages: who has not reported in, given a monthly account or attended a quarterly
meeting (per community and member), and the record forms on a registration's page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework.models import UnitKind
from casework.selectors.scope import scope_for
from casework.views.errors import or_404, refusal_as_form_error
from casework.workflow import SUPERVISORS
from scoring import services
from scoring.models import CadenceKind, DualCadenceRecord
from scoring.selectors.dual_cadence import dual_cadence, registration_cadence
from scoring.selectors.evidence import dual_registration_get, is_supervisor, places_for
from scoring.selectors.results import visible_unit

DATE = forms.DateInput(attrs={"type": "date"})


class CadenceForm(forms.Form):
    kind = forms.ChoiceField(choices=CadenceKind.choices, label=gettext_lazy("What"))
    held_on = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    note = forms.CharField(
        required=False,
        max_length=300,
        label=gettext_lazy("Note"),
        help_text=gettext_lazy("Required for a monthly account: what was reported."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()


class WithdrawForm(forms.Form):
    reason = forms.CharField(max_length=300, label=gettext_lazy("Why withdraw it"))


def cadence_context(request, registration) -> dict:
    """What the registration's page shows of its cadence (and its forms, for its staff)."""
    cadence, history = registration_cadence(registration)
    staff = scope_for(request.user).has_role(*SUPERVISORS, path=registration.community.path)
    return {
        "cadence": cadence,
        "cadence_history": history,
        "cadence_form": CadenceForm() if staff else None,
        "withdraw_form": WithdrawForm() if staff else None,
    }


@login_required
def cadence(request):
    """The members whose report-in, monthly account or quarterly meeting is missing."""
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2999 else today.year
    within = visible_unit(request.user, request.GET["unit"]) if request.GET.get("unit") else None
    missing_only = request.GET.get("all") != "1"
    groups = dual_cadence(
        viewer=request.user, year=year, today=today, within=within, missing_only=missing_only
    )
    return render(
        request,
        "scoring/dual_cadence.html",
        {
            "groups": groups,
            "year": year,
            "years": range(today.year, today.year - 4, -1),
            "within": within,
            "missing_only": missing_only,
            "filter_units": places_for(
                viewer=request.user,
                kinds=(UnitKind.COUNTY, UnitKind.TOWN, UnitKind.COMMUNITY),
            )
            if is_supervisor(request.user)
            else (),
        },
    )


@login_required
@require_POST
def cadence_record(request, pk):
    registration = or_404(dual_registration_get, viewer=request.user, pk=pk)
    form = CadenceForm(request.POST)
    if form.is_valid():
        with refusal_as_form_error(form) as refused:
            services.dual_cadence_record(
                actor=request.user, registration=registration, **form.cleaned_data
            )
        if not refused:
            messages.success(request, _("Recorded."))
            return redirect("scoring:dual-detail", pk=registration.pk)
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect("scoring:dual-detail", pk=registration.pk)


@login_required
@require_POST
def cadence_withdraw(request, pk):
    record = (
        DualCadenceRecord.objects.filter(pk=pk).values_list("registration_id", flat=True).first()
    )
    registration = or_404(dual_registration_get, viewer=request.user, pk=record or 0)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        with refusal_as_form_error(form) as refused:
            services.dual_cadence_withdraw(
                actor=request.user, record=pk, reason=form.cleaned_data["reason"]
            )
        if not refused:
            messages.success(request, _("Record withdrawn."))
            return redirect("scoring:dual-detail", pk=registration.pk)
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))
    return redirect("scoring:dual-detail", pk=registration.pk)
