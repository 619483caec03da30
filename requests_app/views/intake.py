"""The intake page: a one-handed form that also works offline (static/requests_app/intake.js
queues submissions and sends them through the API with an Idempotency-Key)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from casework.errors import DomainError, ValidationFailed
from casework.idempotency import fingerprint
from casework.models import Category, OrgUnit
from casework.selectors import category_list
from casework.selectors.scope import scope_for
from casework.views.errors import refusal_as_form_error
from requests_app.models import Request, Visit
from requests_app.selectors import request_duplicate_candidates, resident_list, visit_get
from requests_app.services import Outcome, idempotent_call, request_intake
from requests_app.services._common import INTAKE_ROLES
from requests_app.views.forms import IntakeForm


def _check_collector(user) -> None:
    if not scope_for(user).has_role(*INTAKE_ROLES):
        raise PermissionDenied(_("You do not collect requests."))


def _categories():
    rows = list(category_list())
    groups = {c.pk: c for c in rows if c.parent_id is None}
    leaves = [c for c in rows if c.parent_id is not None]
    return [
        {
            "id": c.pk,
            "name": c.name,
            "group": groups[c.parent_id].name if c.parent_id in groups else "",
            "needs_id": c.requires_id_number,
            # Name, pinyin initials and full pinyin, English, code: what "wy" or "lift" finds.
            "search": " ".join(
                [c.name, c.pinyin, c.name_en, c.code, c.parent.name, c.parent.pinyin]
            ).lower(),
        }
        for c in leaves
    ]


def _visit_from(request, raw):
    if not raw:
        return None
    try:
        return visit_get(viewer=request.user, pk=raw)
    except DomainError:
        return None


@never_cache
@login_required
def intake(request):
    _check_collector(request.user)
    visit = _visit_from(request, request.GET.get("visit") or request.POST.get("visit"))
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, viewer=request.user)
        if form.is_valid():
            done = _submit(request, form)
            if done is not None:
                return done
    else:
        initial = {"visit": visit.pk if visit else None}
        if visit is not None:
            initial["channel"] = "onsite"
            if visit.unit.kind != "community":
                initial["unit"] = visit.unit
        form = IntakeForm(viewer=request.user, initial=initial)
    return render(
        request,
        "requests_app/intake.html",
        {"form": form, "categories": _categories(), "visit": visit},
    )


def _submit(request, form):
    data = form.cleaned_data
    outcome = request.POST.get("outcome", "")
    merge_into_id = request.POST.get("merge_into") or None
    if merge_into_id:
        outcome = Outcome.MERGE
    key = data["idempotency_key"]
    body = {k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    body["photos"] = [f"{f.name}:{f.size}" for f in data["photos"]]

    def run():
        category = Category.objects.filter(pk=data["category"]).first()
        if category is None:
            raise ValidationFailed(_("Choose a category."), field="category")
        merge_into = None
        if merge_into_id:
            merge_into = Request.objects.filter(pk=merge_into_id).first()
            if merge_into is None:
                raise ValidationFailed(_("No such request."), field="merge_into")
        visit = Visit.objects.select_related("unit").filter(pk=data.get("visit")).first()
        created = request_intake(
            actor=request.user,
            channel=data["channel"],
            category=category,
            unit=data["unit"],
            urgency=data["urgency"],
            description=data["description"],
            resident={
                "name": data["resident_name"],
                "phone": data["resident_phone"],
                "address": data["resident_address"],
            },
            id_number=data["id_number"],
            visit=visit,
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            photos=data["photos"],
            outcome=outcome,
            answer=data["answer"],
            merge_into=merge_into,
        )
        return 201, {"id": created.pk, "tracking_code": created.tracking_code}

    with refusal_as_form_error(form, fields=form.FIELD_MAP) as refused:
        _code, answer, _replayed = idempotent_call(
            user=request.user,
            key=key,
            endpoint="page.intake",
            fingerprint=fingerprint(body),
            run=run,
        )
    if refused:
        return None
    messages.success(
        request,
        _("Saved. Tracking code for the resident: %(code)s")
        % {"code": Request(tracking_code=answer["tracking_code"]).tracking_code_display},
    )
    return redirect("requests_app:detail", pk=answer["id"])


@require_POST
@login_required
def duplicates(request):
    """The htmx partial listing earlier requests the one being typed may duplicate.

    A POST: the description is free text and may hold a phone or ID number, which must not
    travel in a URL (URLs end up in access logs)."""
    data = request.POST
    candidates = []
    category = Category.objects.filter(pk=_int(data.get("category"))).first()
    unit = OrgUnit.objects.filter(pk=_int(data.get("unit"))).first()
    if category and unit:
        candidates = request_duplicate_candidates(
            viewer=request.user,
            category=category,
            unit=unit,
            description=data.get("description", "")[:2000],
            latitude=_float(data.get("latitude")),
            longitude=_float(data.get("longitude")),
            exclude=_int(data.get("exclude")),
        )
    return render(
        request,
        "requests_app/partials/duplicates.html",
        {"candidates": candidates, "pick": data.get("pick", "submit")},
    )


@require_POST
@login_required
def resident_lookup(request):
    """The htmx partial that recognises a repeat caller by phone, among the residents the
    viewer may see. A POST, so the phone never appears in a URL or an access log."""
    phone = request.POST.get("resident_phone") or request.POST.get("phone") or ""
    resident = resident_list(viewer=request.user, phone=phone).first() if phone.strip() else None
    return render(request, "requests_app/partials/resident_hint.html", {"resident": resident})


@require_GET
def service_worker(request):
    """The service worker that keeps the intake page and its files for offline use.

    Served from /requests/ so that its scope covers the intake page."""
    body = render_to_string("requests_app/sw.js", request=request)
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def _int(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _float(raw):
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if -180 <= value <= 180 else None
