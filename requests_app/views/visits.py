"""Visit pages: my visits with their counts, a new visit, one visit and what it collected."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from casework.views.errors import or_404, refusal_as_form_error
from casework.views.paging import page_of
from requests_app.selectors import request_list, visit_counts, visit_get, visit_list
from requests_app.services import visit_create
from requests_app.views.forms import VisitForm
from requests_app.views.intake import _check_collector


@login_required
def visit_index(request):
    page = page_of(request, visit_list(viewer=request.user), size=30)
    for visit in page:
        visit.counts = visit_counts(visit)
    return render(request, "requests_app/visit_list.html", {"page": page})


@login_required
def visit_new(request):
    _check_collector(request.user)
    form = VisitForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        with refusal_as_form_error(form) as refused:
            visit = visit_create(actor=request.user, **form.cleaned_data)
        if not refused:
            messages.success(request, _("Visit recorded."))
            return redirect("requests_app:visit", pk=visit.pk)
    return render(request, "requests_app/visit_new.html", {"form": form})


@login_required
def visit_detail(request, pk: int):
    visit = or_404(visit_get, viewer=request.user, pk=pk)
    requests = request_list(viewer=request.user).filter(visit=visit).prefetch_related(None)
    return render(
        request,
        "requests_app/visit_detail.html",
        {"visit": visit, "counts": visit_counts(visit), "requests": requests},
    )
