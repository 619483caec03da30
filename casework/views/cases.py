"""Case pages: the supervisor's queues, the handler's list, one case with its history."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from casework.actions import ACTIONS, action_offer
from casework.models import PhotoStage
from casework.panels import case_panels
from casework.policies import authorise
from casework.selectors.cases import (
    QUEUES,
    case_events,
    case_get,
    case_in_scope,
    case_list,
    case_photos,
    case_visible,
    my_cases,
    queue_counts,
)
from casework.views.action_forms import add_errors, form_for
from casework.views.errors import or_404, refusal_as_message
from casework.views.files import photo_response

QUEUE_LABELS = {
    "new": _("New"),
    "due_soon": _("Due soon"),
    "overdue": _("Overdue"),
    "awaiting_feedback": _("Awaiting feedback"),
    "reopened": _("Reopened"),
    "parked": _("Parked (挂账)"),
}
PAGE_SIZE = 50


def _case_or_404(request, pk):
    return or_404(case_get, viewer=request.user, pk=pk)


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


# --- Actions: the registry's inputs, rendered as forms ----------------------------------------


def _forms_for(request, case, names, *, bound=None, errors=None):
    """One form per action on offer; ``bound`` is the action just tried, with its input."""
    forms_ = []
    for name in names:
        entry = ACTIONS[name]
        serializer = entry.input(context={"case": case, "user": request.user})
        data = bound[1] if bound and bound[0] == name else None
        form = form_for(serializer, data=data, prefix=name)
        if data is not None and errors:
            add_errors(form, errors)
        forms_.append({"action": name, "label": entry.label, "form": form, "entry": entry})
    return forms_


#: How the case page groups its photos, in this order (the residents' own come with their
#: requests, in the requests panel).
PHOTO_GROUPS = (PhotoStage.BEFORE, PhotoStage.AFTER, PhotoStage.OTHER)


def _photo_groups(photos) -> list[dict]:
    by_stage = {stage: [] for stage in PHOTO_GROUPS}
    for photo in photos:
        by_stage.get(photo.stage, by_stage[PhotoStage.OTHER]).append(photo)
    return [
        {"stage": stage, "label": stage.label, "photos": by_stage[stage]}
        for stage in PHOTO_GROUPS
        if by_stage[stage]
    ]


def _photo_form(request, case, *, bound=None, errors=None):
    """The "photo" action's form, shown with the photos: the stage as big radio buttons."""
    (item,) = _forms_for(request, case, ["photo"], bound=bound, errors=errors)
    field = item["form"].fields["stage"]
    field.choices = [(value, label) for value, label in field.choices if value]  # no "choose"
    field.widget = forms.RadioSelect(choices=field.choices, attrs={"class": "stage-choices"})
    field.required = False
    return item


def _render_case(request, case, *, bound=None, errors=None, status=200):
    photos = list(case_photos(case=case))
    case.photo_count = len(photos)  # the photo action is not offered past the limit
    offer = action_offer(request.user, case)
    names = offer.available
    return render(
        request,
        "casework/case_detail.html",
        {
            "case": case,
            "events": case_events(case=case),
            "photos": photos,
            "photo_groups": _photo_groups(photos),
            # Adding a photo is offered with the photos, not among the other actions.
            "photo_form": (
                _photo_form(request, case, bound=bound, errors=errors)
                if "photo" in names
                else None
            ),
            "open_parts": [part for part in case.co_handling.all() if part.done_at is None],
            "action_forms": _forms_for(
                request, case, [n for n in names if n != "photo"], bound=bound, errors=errors
            ),
            # Actions this person could take, but not now, each with why (the API's "unavailable").
            "unavailable_actions": offer.unavailable,
            "panels": case_panels(request, case),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
def case_detail(request, pk: int):
    return _render_case(request, _case_or_404(request, pk))


@login_required
@require_POST
def case_act(request, pk: int, action: str):
    """Take one action of the registry from the case page.

    Success redirects to the case (or, when the action took it out of the actor's sight, to
    their own list) with a message. Bad input shows the form again (400); a refusal shows the
    case with the reason, answering 403 or 409 like the API.
    """
    case = _case_or_404(request, pk)
    entry = ACTIONS.get(action)
    if entry is None:
        raise Http404
    data = request.POST.copy()
    data.update(request.FILES)
    with refusal_as_message(request) as refused:
        authorise(case, request.user, action)
    if refused:
        return _render_case(request, case, status=refused.error.status)
    serializer = entry.input(data=data, context={"case": case, "user": request.user})
    if not serializer.is_valid():
        return _render_case(
            request, case, bound=(action, data), errors=serializer.errors, status=400
        )
    values = serializer.validated_data
    with refusal_as_message(request) as refused:
        entry.run(case, request.user, values, values.get("version"))
    if refused:
        error = refused.error
        fields = {error.field: [error.message]} if error.field else {}
        return _render_case(
            request, case, bound=(action, data), errors=fields, status=error.status
        )
    messages.success(request, entry.done)
    if case_visible(viewer=request.user, pk=case.pk):
        return redirect("case-detail", pk=case.pk)
    return redirect("case-mine")


@login_required
def case_photo(request, pk: int, photo_pk: int):
    """A photo of a case, served only to those who may see the case."""
    case = or_404(case_in_scope, viewer=request.user, pk=pk)
    return photo_response(case_photos(case=case).filter(pk=photo_pk).first())
