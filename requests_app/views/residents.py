"""The resident page: who they are (masked) and their history of requests."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from casework.errors import DomainError
from casework.views.errors import or_404, refusal_as_fragment
from casework.views.paging import page_of
from requests_app.selectors import resident_get, resident_requests
from requests_app.services import resident_phone_reveal


def _resident_or_404(request, pk):
    return or_404(resident_get, viewer=request.user, pk=pk)


@login_required
def resident_detail(request, pk: int):
    resident = _resident_or_404(request, pk)
    requests = resident_requests(viewer=request.user, resident=resident).prefetch_related(None)
    page = page_of(request, requests)
    return render(
        request, "requests_app/resident_detail.html", {"resident": resident, "page": page}
    )


@require_POST
@login_required
def resident_reveal(request, pk: int):
    resident = _resident_or_404(request, pk)
    try:
        phone = resident_phone_reveal(
            actor=request.user, resident=resident, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        return refusal_as_fragment(request, exc)
    return HttpResponse(format_html('<strong class="revealed">{}</strong>', phone))
