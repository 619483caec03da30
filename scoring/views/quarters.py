"""Quarter pages: the list, the ranking with its charts, explanations, the 约谈 list and notice,
the supervisors' evaluations, and the admin's compute / publish / reopen."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.models import UnitKind, User
from casework.views.errors import or_404, refusal_as_form_error, refusal_as_message
from casework.views.paging import page_of
from scoring import services
from scoring.access import is_top_admin
from scoring.models import Indicator, PointRule, Quarter, ScoreEntry, StarThreshold, Subject
from scoring.selectors.evidence import evaluation_sheet, is_supervisor, places_for
from scoring.selectors.explain import community_explanation, person_explanation
from scoring.selectors.results import (
    interview_get,
    interview_list,
    notice_groups,
    quarter_actions,
    quarter_get,
    quarter_latest,
    quarter_list,
    quarter_summary,
    result_list,
    visible_unit,
)
from scoring.selectors.rules import policy_get
from scoring.views.appeals import appeals_context
from scoring.views.forms import (
    ComputeForm,
    EvaluationForm,
    InterviewForm,
    ManualEntryForm,
    ReopenForm,
)


def _quarter(code):
    return or_404(quarter_get, code=code)


@login_required
def index(request):
    quarters = list(quarter_list())
    return render(
        request,
        "scoring/index.html",
        {
            "quarters": quarters,
            "compute_form": ComputeForm() if is_top_admin(request.user) else None,
            "supervisor": is_supervisor(request.user),
            "latest": quarter_latest(),
        },
    )


@login_required
def me(request):
    """The viewer's own explanation for the latest quarter."""
    quarter = quarter_latest()
    if quarter is None:
        messages.info(request, _("No quarter has been computed yet."))
        return redirect("scoring:index")
    return redirect("scoring:person", code=quarter.code, pk=request.user.pk)


def _ranking(request, code, subject, template):
    quarter = _quarter(code)
    within = (
        visible_unit(request.user, request.GET.get("unit")) if request.GET.get("unit") else None
    )
    stars = request.GET.get("stars")
    rows = result_list(
        viewer=request.user,
        quarter=quarter,
        subject=subject,
        within=within,
        stars=int(stars) if stars and stars.isdigit() else None,
    )
    top_admin = is_top_admin(request.user)
    return render(
        request,
        template,
        {
            "quarter": quarter,
            "page": page_of(request, rows),
            "within": within,
            "stars": stars,
            "summary": quarter_summary(viewer=request.user, quarter=quarter),
            "top_admin": top_admin,
            "reopen_form": ReopenForm() if top_admin and quarter.is_published else None,
            "actions": quarter_actions(quarter=quarter)[:10] if top_admin else (),
            "subject": subject,
            "filter_units": places_for(
                viewer=request.user,
                kinds=(UnitKind.COUNTY, UnitKind.TOWN, UnitKind.COMMUNITY),
            ),
            "query": urlencode({k: v for k, v in request.GET.items() if k in ("unit", "stars")}),
            **appeals_context(request.user, quarter),
        },
    )


@login_required
def quarter_detail(request, code):
    return _ranking(request, code, Subject.PERSON, "scoring/quarter.html")


@login_required
def community_ranking(request, code):
    return _ranking(request, code, Subject.COMMUNITY, "scoring/communities.html")


@login_required
def person_detail(request, code, pk):
    quarter = _quarter(code)
    explanation = or_404(person_explanation, viewer=request.user, quarter=quarter, person_id=pk)
    form = None
    if is_top_admin(request.user) and not quarter.is_published:
        form = ManualEntryForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with refusal_as_form_error(form) as refused:
                services.score_entry_add(
                    actor=request.user,
                    quarter=quarter,
                    person=explanation.person,
                    **form.cleaned_data,
                )
            if not refused:
                messages.success(request, _("Points recorded. Compute the quarter again."))
                return redirect(request.path)
    return render(
        request,
        "scoring/explanation.html",
        {"quarter": quarter, "x": explanation, "entry_form": form},
    )


@login_required
@require_POST
def entry_remove(request, code, pk):
    quarter = _quarter(code)
    entry = get_object_or_404(ScoreEntry, pk=pk, quarter=quarter, manual=True)
    with refusal_as_message(request) as refused:
        services.score_entry_remove(actor=request.user, entry=entry)
    if not refused:
        messages.success(request, _("Entry removed. Compute the quarter again."))
    if entry.person_id:
        return redirect("scoring:person", code=quarter.code, pk=entry.person_id)
    return redirect("scoring:community", code=quarter.code, pk=entry.unit_id)


@login_required
def community_detail(request, code, pk):
    quarter = _quarter(code)
    explanation = or_404(community_explanation, viewer=request.user, quarter=quarter, unit_id=pk)
    return render(
        request,
        "scoring/explanation.html",
        {"quarter": quarter, "x": explanation, "entry_form": None},
    )


@login_required
def interviews(request, code):
    quarter = _quarter(code)
    rows = interview_list(viewer=request.user, quarter=quarter)
    return render(
        request, "scoring/interviews.html", {"quarter": quarter, "page": page_of(request, rows)}
    )


@login_required
def interview_detail(request, pk):
    interview = or_404(interview_get, viewer=request.user, pk=pk)
    initial = {
        "held_on": interview.held_on,
        "interviewee": interview.interviewee or interview.subject_name,
        "notes": interview.notes,
        "follow_up": interview.follow_up,
        "follow_up_due": interview.follow_up_due,
        "annual_grade_lowered": interview.annual_grade_lowered,
        "bonus_withheld": interview.bonus_withheld,
    }
    form = InterviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form) as refused:
            services.interview_record(actor=request.user, interview=interview, **form.cleaned_data)
        if not refused:
            messages.success(request, _("The talk is recorded."))
            return redirect("scoring:interview", pk=interview.pk)
    return render(request, "scoring/interview.html", {"interview": interview, "form": form})


@login_required
def notice(request, code):
    quarter = _quarter(code)
    return render(
        request,
        "scoring/notice.html",
        {
            "quarter": quarter,
            "groups": notice_groups(viewer=request.user, quarter=quarter),
            "talks": interview_list(viewer=request.user, quarter=quarter),
        },
    )


@login_required
def evaluations(request, code):
    """The supervisor's quarterly evaluation of each worker they supervise (双向考评)."""
    quarter = _quarter(code)
    form = EvaluationForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        person = get_object_or_404(User, pk=form.cleaned_data["person"])
        with refusal_as_form_error(form) as refused:
            services.evaluation_record(
                actor=request.user,
                quarter=quarter,
                person=person,
                grade=form.cleaned_data["grade"],
                note=form.cleaned_data["note"],
            )
        if not refused:
            messages.success(
                request, _("Evaluation of %(name)s saved.") % {"name": person.get_full_name()}
            )
            return redirect("scoring:evaluations", code=quarter.code)
    if form.is_bound:
        # Not saved: the sheet again, with what was wrong above it.
        status = 400
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    rows = [
        (
            worker,
            evaluation,
            # One form per row: ids of its own (id_grade_12), the field names the POST reads.
            EvaluationForm(
                initial=_evaluation_initial(worker, evaluation), auto_id=f"id_%s_{worker.pk}"
            ),
        )
        for worker, evaluation in evaluation_sheet(viewer=request.user, quarter=quarter)
    ]
    return render(
        request, "scoring/evaluations.html", {"quarter": quarter, "rows": rows}, status=status
    )


def _evaluation_initial(worker, evaluation) -> dict:
    initial = {"person": worker.pk}
    if evaluation is not None:
        initial.update(grade=evaluation.grade, note=evaluation.note)
    return initial


@login_required
@require_POST
def compute(request, code=None):
    if code is None:
        form = ComputeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a quarter."))
            return redirect("scoring:index")
        code = form.cleaned_data["quarter"]
    quarter = None
    with refusal_as_message(request):
        quarter = services.quarter_compute(quarter=code, actor=request.user)
    return _after(request, quarter, code, _("Quarter %(quarter)s computed."))


@login_required
@require_POST
def publish(request, code):
    quarter = None
    with refusal_as_message(request):
        quarter = services.quarter_publish(quarter=_quarter(code), actor=request.user)
    return _after(request, quarter, code, _("Quarter %(quarter)s published."))


@login_required
@require_POST
def reopen(request, code):
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the quarter is reopened."))
        return redirect("scoring:quarter", code=_quarter(code).code)
    quarter = None
    with refusal_as_message(request):
        quarter = services.quarter_reopen(
            quarter=_quarter(code), actor=request.user, reason=form.cleaned_data["reason"]
        )
    return _after(request, quarter, code, _("Quarter %(quarter)s reopened."))


def _after(request, quarter, code, success):
    if quarter is None:
        exists = Quarter.objects.filter(code=code).exists()
        return redirect("scoring:quarter", code=code) if exists else redirect("scoring:index")
    messages.success(request, success % {"quarter": quarter.code})
    return redirect("scoring:quarter", code=quarter.code)


@login_required
def rules(request):
    """The rules in force, for anyone to read (admins change them in the admin site)."""
    return render(
        request,
        "scoring/rules.html",
        {
            "indicators": Indicator.objects.order_by("sort_order", "code"),
            "rules": PointRule.objects.select_related("indicator").order_by(
                "indicator__sort_order", "source"
            ),
            "thresholds": StarThreshold.objects.order_by("subject", "-stars"),
            "policy": policy_get(),
        },
    )
