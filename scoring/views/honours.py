"""Pages of the yearly and cumulative rankings, the nomination of 星级社区工作者, the honour
roll, certificates and a worker's history. Thin: parse, call one selector or service, answer."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from casework.models import UnitKind, User
from casework.views.errors import or_404, refusal_as_form_error, refusal_as_message
from casework.views.paging import page_of
from scoring.honours_pdf import certificate_pdf, honour_roll_pdf
from scoring.models import NominationStatus, Subject
from scoring.models.honours import DEFAULT_TITLE
from scoring.selectors.evidence import places_for
from scoring.selectors.honours import (
    award_get,
    counties_for,
    county_visible,
    honour_roll,
    nomination_get,
    nomination_list,
    round_actions,
    round_get,
    round_list,
)
from scoring.selectors.rankings import (
    PERIOD_CUMULATIVE,
    PERIOD_YEAR,
    person_history,
    published_years,
    standing_list,
)
from scoring.selectors.results import quarter_latest, visible_unit
from scoring.services import honours as services


class OpenRoundForm(forms.Form):
    county = forms.TypedChoiceField(label=gettext_lazy("County"), coerce=int)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2999)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=64, initial=DEFAULT_TITLE)
    candidate_count = forms.IntegerField(
        label=gettext_lazy("Candidates proposed from cumulative points"),
        min_value=1,
        max_value=500,
    )

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [(c.pk, c.name) for c in counties]


class NominateForm(forms.Form):
    person = forms.TypedChoiceField(label=gettext_lazy("Worker"), coerce=int)
    reason = forms.CharField(
        label=gettext_lazy("Why this worker"), max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.get_full_name()) for p in people]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))],
    )
    stars = forms.TypedChoiceField(
        label=gettext_lazy("Stars"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "–")] + [(n, "★" * n) for n in range(5, 0, -1)],
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=2000)


def _year(request, years: list[int]) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2999:
        return int(raw)
    return years[0] if years else timezone.localdate().year


@login_required
def rankings(request):
    """The year's or the cumulative ranking (tabs beside the latest quarter's)."""
    years = published_years()
    year = _year(request, years)
    period = request.GET.get("period")
    if period not in (PERIOD_YEAR, PERIOD_CUMULATIVE):
        period = PERIOD_YEAR
    subject = (
        Subject.COMMUNITY if request.GET.get("subject") == Subject.COMMUNITY else Subject.PERSON
    )
    within = (
        visible_unit(request.user, request.GET.get("unit")) if request.GET.get("unit") else None
    )
    rows = standing_list(
        viewer=request.user, period=period, year=year, subject=subject, within=within
    )
    keep = {k: v for k, v in request.GET.items() if k in ("period", "year", "unit", "subject")}
    return render(
        request,
        "scoring/rankings.html",
        {
            "page": page_of(request, rows),
            "period": period,
            "year": year,
            "years": years,
            "subject": subject,
            "within": within,
            "latest": quarter_latest(),
            "filter_units": places_for(
                viewer=request.user,
                kinds=(UnitKind.COUNTY, UnitKind.TOWN, UnitKind.COMMUNITY),
            ),
            "query": urlencode(keep),
        },
    )


@login_required
def history(request, pk):
    """A worker's quarters, years, cumulative points, nominations and awards."""
    found = or_404(person_history, viewer=request.user, person_id=pk)
    return render(request, "scoring/history.html", {"h": found})


@login_required
def my_history(request):
    return redirect("scoring:history", pk=request.user.pk)


def _county_level_counties(user):
    return [c for c in counties_for(viewer=user) if services.is_county_level(user, c)]


@login_required
def honours(request):
    """The nomination rounds the viewer's county holds, and opening one (the county)."""
    counties = _county_level_counties(request.user)
    form = None
    if counties:
        years = published_years()
        form = OpenRoundForm(
            request.POST or None,
            counties=counties,
            initial={
                "year": years[0] if years else timezone.localdate().year,
                "candidate_count": settings.MINQING_HONOUR_CANDIDATES,
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            county = or_404(county_visible, viewer=request.user, county_id=data["county"])
            with refusal_as_form_error(form) as refused:
                round_ = services.honour_round_open(
                    actor=request.user,
                    county=county,
                    year=data["year"],
                    title=data["title"],
                    candidate_count=data["candidate_count"],
                )
            if not refused:
                messages.success(request, _("Round opened and candidates proposed."))
                return redirect("scoring:honour-round", pk=round_.pk)
    elif request.method == "POST":
        messages.error(
            request, _("Only the county (a supervisor or administrator over it) decides honours.")
        )
        return redirect("scoring:honours")
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(
        request,
        "scoring/honours.html",
        {
            "rounds": page_of(request, round_list(viewer=request.user)),
            "form": form,
            "counties": counties_for(viewer=request.user),
            "years": published_years(),
        },
        status=status,
    )


def _round_page(request, round_, *, nominate_form=None, status=200):
    county_level = services.is_county_level(request.user, round_.county)
    nominations = list(nomination_list(viewer=request.user, round=round_))
    if nominate_form is None and round_.is_open:
        nominate_form = NominateForm(people=_nominable(request.user, round_, nominations))
    return render(
        request,
        "scoring/honour_round.html",
        {
            "round": round_,
            "nominations": nominations,
            "county_level": county_level,
            "decide_form": DecideForm() if county_level and round_.is_open else None,
            "nominate_form": nominate_form if round_.is_open else None,
            "actions": round_actions(round=round_)[:20] if county_level else (),
            "pending": sum(1 for n in nominations if n.status == NominationStatus.PENDING),
        },
        status=status,
    )


def _nominable(user, round_, nominations):
    """Workers the viewer supervises in the round's county, not yet candidates."""
    taken = {n.person_id for n in nominations}
    rows = standing_list(viewer=user, period=PERIOD_CUMULATIVE, year=round_.year)
    return [
        s.person
        for s in rows
        if s.county_id == round_.county_id and s.key not in taken and s.key != user.pk
    ]


@login_required
def honour_round(request, pk):
    round_ = or_404(round_get, viewer=request.user, pk=pk)
    return _round_page(request, round_)


@login_required
@require_POST
def honour_nominate(request, pk):
    round_ = or_404(round_get, viewer=request.user, pk=pk)
    nominations = list(nomination_list(viewer=request.user, round=round_))
    people = _nominable(request.user, round_, nominations)
    if not people or not round_.is_open:
        # Nobody this viewer supervises could be nominated (or the round is closed).
        messages.error(
            request,
            _("This round is closed.") if not round_.is_open else _("You supervise nobody here."),
        )
        return redirect("scoring:honour-round", pk=round_.pk)
    form = NominateForm(request.POST, people=people)
    if form.is_valid():
        person = User.objects.filter(pk=form.cleaned_data["person"]).first()
        with refusal_as_form_error(form) as refused:
            services.nomination_add(
                actor=request.user,
                round=round_,
                person=person,
                reason=form.cleaned_data["reason"],
            )
        if not refused:
            messages.success(request, _("Candidate added."))
            return redirect("scoring:honour-round", pk=round_.pk)
        status = refused.error.status if refused.error else 400
    else:
        status = 400
    return _round_page(request, round_, nominate_form=form, status=status)


@login_required
@require_POST
def nomination_decide(request, pk):
    nomination = or_404(nomination_get, viewer=request.user, pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
        return redirect("scoring:honour-round", pk=nomination.round_id)
    data = form.cleaned_data
    with refusal_as_message(request) as refused:
        services.nomination_decide(
            actor=request.user,
            nomination=nomination,
            approve=data["decision"] == "approve",
            reason=data["reason"],
            stars=data["stars"],
        )
    if not refused:
        messages.success(
            request,
            _("Approved: the award is on the honour roll.")
            if data["decision"] == "approve"
            else _("Rejected."),
        )
    return redirect("scoring:honour-round", pk=nomination.round_id)


@login_required
@require_POST
def honour_close(request, pk):
    round_ = or_404(round_get, viewer=request.user, pk=pk)
    with refusal_as_message(request) as refused:
        services.honour_round_close(actor=request.user, round=round_)
    if not refused:
        messages.success(request, _("Round closed."))
    return redirect("scoring:honour-round", pk=round_.pk)


@login_required
def roll(request, county, year):
    county_unit = or_404(county_visible, viewer=request.user, county_id=county)
    return render(
        request,
        "scoring/honour_roll.html",
        {
            "county": county_unit,
            "year": year,
            "awards": honour_roll(county=county_unit, year=year),
        },
    )


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
def roll_pdf(request, county, year):
    county_unit = or_404(county_visible, viewer=request.user, county_id=county)
    awards = honour_roll(county=county_unit, year=year)
    return _pdf(
        honour_roll_pdf(county=county_unit, year=year, awards=awards),
        f"honour-roll-{county_unit.pk}-{year}",
    )


@login_required
def certificate(request, pk):
    award = or_404(award_get, viewer=request.user, pk=pk)
    return _pdf(certificate_pdf(award=award), f"certificate-{award.certificate_number}")
