"""Pages for the people who record evidence: service cards, pledges and their random checks,
dual registration, volunteer teams and activities. Each is a list with its form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.models import OrgUnit, UnitKind, User
from casework.selectors.scope import scope_for
from casework.views.errors import or_404, refusal_as_form_error
from casework.views.paging import page_of
from scoring import services
from scoring.models import ServiceCardKind, VerificationOutcome
from scoring.selectors.evidence import (
    commitment_list,
    draw_get,
    draw_list,
    dual_registration_get,
    dual_registration_list,
    is_supervisor,
    service_card_list,
    team_get,
    team_list,
    verification_get,
)
from scoring.views.dual_cadence import cadence_context
from scoring.views.forms import (
    ActivityForm,
    CheckForm,
    CommitmentForm,
    DrawForm,
    DualRegistrationForm,
    DualServiceForm,
    ServiceCardForm,
    TeamForm,
)


def _saved(request, message, *args, **kwargs):
    messages.success(request, message)
    return redirect(*args, **kwargs)


@login_required
def service_card(request):
    form = ServiceCardForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form) as refused:
            services.service_card_record(actor=request.user, **form.cleaned_data)
        if not refused:
            return _saved(request, _("Service card entry recorded."), "scoring:service-card-list")
    person = None
    if request.GET.get("person", "").isdigit():
        person = User.objects.filter(pk=request.GET["person"]).first()
    rows = service_card_list(viewer=request.user, person=person)
    return render(
        request,
        "scoring/service_card.html",
        {"form": form, "page": page_of(request, rows), "kinds": ServiceCardKind, "person": person},
    )


@login_required
def commitments(request):
    form = CommitmentForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form) as refused:
            services.commitment_create(actor=request.user, **form.cleaned_data)
        if not refused:
            return _saved(request, _("Pledge recorded."), "scoring:commitments")
    year = request.GET.get("year")
    rows = commitment_list(
        viewer=request.user, year=int(year) if year and year.isdigit() else None
    )
    public = None
    if is_supervisor(request.user):
        scope = scope_for(request.user)
        public = OrgUnit.objects.filter(
            scope.units_q(), kind=UnitKind.COMMUNITY, is_active=True
        ).order_by("path")[:200]
    return render(
        request,
        "scoring/commitments.html",
        {"form": form, "page": page_of(request, rows), "public_communities": public},
    )


@login_required
def draws(request):
    form = (
        DrawForm(request.POST or None, viewer=request.user)
        if is_supervisor(request.user)
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form) as refused:
            draw = services.verification_draw(actor=request.user, **form.cleaned_data)
        if not refused:
            return _saved(request, _("Pledges drawn."), "scoring:draw-detail", pk=draw.pk)
    return render(
        request,
        "scoring/draws.html",
        {"form": form, "page": page_of(request, draw_list(viewer=request.user))},
    )


@login_required
def draw_detail(request, pk):
    draw = or_404(draw_get, viewer=request.user, pk=pk)
    return render(
        request,
        "scoring/draw.html",
        {"draw": draw, "form": CheckForm(), "pending": VerificationOutcome.PENDING},
    )


@login_required
@require_POST
def check_record(request, pk):
    check = or_404(verification_get, viewer=request.user, pk=pk)
    form = CheckForm(request.POST)
    if form.is_valid():
        with refusal_as_form_error(form):
            services.verification_record(
                actor=request.user, verification=check, **form.cleaned_data
            )
    # The form now holds every reason for a refusal: its own checks' and the service's.
    if form.errors:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    else:
        messages.success(request, _("Check recorded."))
    return redirect(f"{_draw_url(check.draw_id)}#check-{check.pk}")


def _draw_url(pk):
    from django.urls import reverse

    return reverse("scoring:draw-detail", args=[pk])


@login_required
def dual_list(request):
    form = (
        DualRegistrationForm(request.POST or None, viewer=request.user)
        if is_supervisor(request.user)
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form) as refused:
            registration = services.dual_registration_create(
                actor=request.user, **form.cleaned_data
            )
        if not refused:
            return _saved(
                request, _("Member registered."), "scoring:dual-detail", pk=registration.pk
            )
    rows = dual_registration_list(viewer=request.user)
    return render(
        request, "scoring/dual_list.html", {"form": form, "page": page_of(request, rows)}
    )


@login_required
def dual_detail(request, pk):
    registration = or_404(dual_registration_get, viewer=request.user, pk=pk)
    form = DualServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form) as refused:
            services.dual_service_record(
                actor=request.user, registration=registration, **form.cleaned_data
            )
        if not refused:
            return _saved(request, _("Service recorded."), "scoring:dual-detail", pk=pk)
    return render(
        request,
        "scoring/dual_detail.html",
        {"registration": registration, "form": form, **cadence_context(request, registration)},
    )


@login_required
def teams(request):
    form = (
        TeamForm(request.POST or None, viewer=request.user)
        if is_supervisor(request.user)
        else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form) as refused:
            team = services.volunteer_team_create(actor=request.user, **form.cleaned_data)
        if not refused:
            return _saved(request, _("Team created."), "scoring:team-detail", pk=team.pk)
    return render(
        request,
        "scoring/teams.html",
        {"form": form, "page": page_of(request, team_list(viewer=request.user))},
    )


@login_required
def team_detail(request, pk):
    team = or_404(team_get, viewer=request.user, pk=pk)
    form = ActivityForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form) as refused:
            services.volunteer_activity_record(actor=request.user, team=team, **form.cleaned_data)
        if not refused:
            return _saved(request, _("Activity recorded."), "scoring:team-detail", pk=pk)
    return render(request, "scoring/team.html", {"team": team, "form": form})
