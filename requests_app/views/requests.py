"""Request pages: my recent requests, one request with its decisions, its photos."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.errors import DomainError, NotFound
from casework.selectors.scope import scope_for
from casework.views.errors import or_404, refusal_as_fragment, refusal_as_message
from casework.views.files import photo_response
from casework.views.paging import page_of
from requests_app.models import Channel, Request, RequestStatus
from requests_app.selectors import (
    request_duplicate_candidates,
    request_get,
    request_list,
    request_read,
)
from requests_app.services import (
    request_answer_on_spot,
    request_id_number_reveal,
    request_merge,
    request_open_case,
    request_reject,
    resident_phone_reveal,
)
from requests_app.services._common import INTAKE_ROLES
from requests_app.services.requests import request_acknowledge
from requests_app.views.forms import AnswerForm, MergeForm, RejectForm


def _request_or_404(request, pk) -> Request:
    return or_404(request_get, viewer=request.user, pk=pk)


def voices_counted(request_ref: str = "pk"):
    """How many other residents added their voice to the request ``request_ref`` names, on the
    public page (附议): one correlated subquery. The voices are selfservice's, read through
    their reverse relation ``voices``: requests_app does not import selfservice."""
    voice = Request._meta.get_field("voices").related_model
    counted = (
        voice.objects.filter(request=OuterRef(request_ref))
        .order_by()
        .values("request")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted), 0)


def with_voices(qs: QuerySet[Request]) -> QuerySet[Request]:
    """Annotate ``voice_count`` on each request, in the list's own SQL (no query per row)."""
    return qs.annotate(voice_count=voices_counted())


#: The request list's filter for requests nobody has taken up yet (待受理).
UNACKNOWLEDGED = "unacknowledged"


@login_required
def request_index(request):
    """My recent requests (everyone's in scope for a supervisor, or with ``?all=1``)."""
    scope = scope_for(request.user)
    field_worker = not scope.has_role("supervisor", "admin")
    mine = request.GET.get("all") != "1" and field_worker
    qs = with_voices(request_list(viewer=request.user, mine=mine).prefetch_related(None))
    status = request.GET.get("status")
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    elif status == UNACKNOWLEDGED:
        qs = qs.filter(status=RequestStatus.COLLECTED, acknowledged_at__isnull=True)
    channel = request.GET.get("channel")
    if channel in Channel.values:
        qs = qs.filter(channel=channel)
    return render(
        request,
        "requests_app/request_list.html",
        {
            "page": page_of(request, qs),
            "mine": mine,
            "field_worker": field_worker,
            "status": status,
            "channel": channel,
            "statuses": RequestStatus.choices,
            "channels": Channel.choices,
            "unacknowledged": UNACKNOWLEDGED,
        },
    )


@login_required
def request_detail(request, pk: int):
    """One request: everything it offers to those whose scope covers its place; read-only, the
    resident masked, to a party to its case who sits elsewhere (``request_read``)."""
    obj = or_404(request_read, viewer=request.user, pk=pk)
    can_act = obj.in_scope and scope_for(request.user).has_role(*INTAKE_ROLES, path=obj.unit.path)
    # The history and the number of added voices in one query (every request has its
    # "collected" event, which carries the count).
    events = list(
        obj.events.select_related("actor").annotate(voice_count=voices_counted("request_id"))
    )
    candidates = []
    if can_act and obj.status == RequestStatus.COLLECTED:
        candidates = request_duplicate_candidates(
            viewer=request.user,
            category=obj.category,
            unit=obj.unit,
            description=obj.description,
            latitude=obj.latitude,
            longitude=obj.longitude,
            exclude=obj.pk,
        )
    return render(
        request,
        "requests_app/request_detail.html",
        {
            "obj": obj,
            "read_only": not obj.in_scope,
            "can_act": can_act and obj.status == RequestStatus.COLLECTED,
            "can_acknowledge": can_act
            and obj.status == RequestStatus.COLLECTED
            and obj.acknowledged_at is None,
            "events": events,
            "voices": events[0].voice_count if events else 0,
            "answer_form": AnswerForm(),
            "reject_form": RejectForm(),
            "candidates": candidates,
        },
    )


@require_POST
@login_required
def request_decide(request, pk: int, action: str):
    """One decision on a collected request: acknowledge (受理), answer, open a case, merge or
    reject."""
    obj = _request_or_404(request, pk)
    with refusal_as_message(request) as refused:
        if action == "acknowledge":
            request_acknowledge(request=obj, actor=request.user)
        elif action == "answer":
            form = AnswerForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Write the answer given."), field="answer")
            request_answer_on_spot(
                request=obj, actor=request.user, answer=form.cleaned_data["answer"]
            )
        elif action == "open-case":
            request_open_case(request=obj, actor=request.user)
        elif action == "merge":
            form = MergeForm(request.POST)
            # Not a number, or no request the viewer sees: the same answer either way.
            into = (
                request_list(viewer=request.user).filter(pk=form.cleaned_data["into"]).first()
                if form.is_valid()
                else None
            )
            if into is None:
                raise DomainError(_("No such request."), field="into")
            request_merge(request=obj, actor=request.user, into=into)
        elif action == "reject":
            form = RejectForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("Give a reason."), field="reason")
            request_reject(request=obj, actor=request.user, reason=form.cleaned_data["reason"])
        else:
            raise Http404
    if not refused:
        messages.success(request, _("Done."))
    return redirect("requests_app:detail", pk=obj.pk)


@require_POST
@login_required
def request_reveal(request, pk: int, field: str):
    """htmx: show the phone or ID number of a request in full, with the reason given (the
    access is recorded)."""
    obj = _request_or_404(request, pk)
    reason = request.POST.get("reason", "")
    try:
        if field == "id-number":
            value = request_id_number_reveal(actor=request.user, request=obj, reason=reason)
        elif field == "phone" and obj.resident is not None:
            value = resident_phone_reveal(
                actor=request.user, resident=obj.resident, request=obj, reason=reason
            )
        else:
            raise Http404
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        return refusal_as_fragment(request, exc)
    return HttpResponse(format_html('<strong class="revealed">{}</strong>', value))


@login_required
def photo(request, pk: int, photo_pk: int):
    """A photo of a request, served only to those who may read the request (in scope, or a
    party to its case)."""
    obj = or_404(request_read, viewer=request.user, pk=pk)
    return photo_response(obj.photos.filter(pk=photo_pk).first())
