"""Call-back pages (抽查回访): the checkers' work list with the outcome form, the samples of each
month with the draw, and the phone shown in full for the call."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework.errors import DomainError, NotFound
from casework.selectors.scope import scope_for
from casework.views.errors import or_404, refusal_as_fragment
from casework.views.paging import page_of
from requests_app.models import CallbackOutcome
from requests_app.selectors.callbacks import (
    callback_get,
    callback_list,
    callback_rows,
    may_check_anywhere,
    sample_list,
)
from requests_app.services.callbacks import (
    DRAWER_ROLES,
    NOTE_MAX,
    callback_phone_reveal,
    callback_record,
    callback_samples_draw,
    month_before,
    month_parse,
    month_start,
)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("What the resident said"),
        choices=[
            (CallbackOutcome.CONFIRMED, gettext_lazy("Confirmed: answered as recorded")),
            (CallbackOutcome.FAILED, gettext_lazy("Failed: did not happen or not answered")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note (required when failed)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DrawForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month"}),
    )


def _work_list(request, *, status=200, form_for=None, form=None):
    outcome = request.GET.get("outcome") or CallbackOutcome.PENDING
    if outcome not in CallbackOutcome.values:
        outcome = CallbackOutcome.PENDING
    page = page_of(request, callback_list(viewer=request.user, outcome=outcome))
    rows = callback_rows(page.object_list)
    for row in rows:
        row.form = form if form is not None and row.pk == form_for else OutcomeForm()
    flagged = sample_list(viewer=request.user, flagged=True).exclude(worker_id=request.user.pk)
    return render(
        request,
        "requests_app/callback_list.html",
        {
            "page": page,
            "rows": rows,
            "outcome": outcome,
            "outcomes": CallbackOutcome.choices,
            "flagged": list(flagged[:20]),
        },
        status=status,
    )


@login_required
def callback_index(request):
    """The call-backs to make in the viewer's places (pending first), and the flagged workers."""
    if not may_check_anywhere(request.user):
        raise Http404
    return _work_list(request)


@require_POST
@login_required
def callback_record_view(request, pk: int):
    """Record what the resident said; a refusal shows the list with the reason and its status."""
    callback = or_404(callback_get, viewer=request.user, pk=pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _work_list(request, status=400, form_for=callback.pk, form=form)
    try:
        callback_record(
            callback=callback,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        if exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        else:
            messages.error(request, exc.message)
        return _work_list(request, status=exc.status, form_for=callback.pk, form=form)
    messages.success(request, _("Call-back recorded."))
    return redirect("requests_app:callbacks")


@require_POST
@login_required
def callback_reveal(request, pk: int):
    """htmx: the resident's phone in full for the call, with the reason (recorded)."""
    try:
        callback = callback_get(viewer=request.user, pk=pk)
        phone = callback_phone_reveal(
            actor=request.user, callback=callback, reason=request.POST.get("reason", "")
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        return refusal_as_fragment(request, exc)
    return HttpResponse(format_html('<strong class="revealed">{}</strong>', phone))


@login_required
def sample_index(request):
    """Each month's samples: seed, population, size, rate, raised or not, status; a worker
    sees their own."""
    month = None
    if request.GET.get("month"):
        try:
            month = month_parse(request.GET["month"])
        except DomainError:
            month = None
    samples = sample_list(viewer=request.user, month=month)
    can_draw = scope_for(request.user).has_role(*DRAWER_ROLES)
    last_month = month_before(month_start(timezone.localdate()))
    return render(
        request,
        "requests_app/callback_samples.html",
        {
            "page": page_of(request, samples),
            "month": month,
            "can_draw": can_draw,
            "draw_form": DrawForm(initial={"month": f"{last_month:%Y-%m}"}),
        },
    )


@require_POST
@login_required
def sample_draw(request):
    """Draw a month's samples (supervisors and admins); a month drawn already draws nothing."""
    form = DrawForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Choose a month."), field="month")
        result = callback_samples_draw(
            month=month_parse(form.cleaned_data["month"]), actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("requests_app:callback-samples")
    messages.success(
        request,
        _("Drawn: %(n)d samples; %(already)d were drawn already.")
        % {"n": len(result.drawn), "already": result.already},
    )
    return redirect(f"{reverse('requests_app:callback-samples')}?month={result.month:%Y-%m}")
