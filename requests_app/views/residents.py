"""The resident page: who they are (masked) and their history of requests."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from casework.errors import DomainError, NotFound
from requests_app.selectors import resident_get, resident_requests
from requests_app.services import resident_phone_reveal


def _resident_or_404(request, pk):
    try:
        return resident_get(viewer=request.user, pk=pk)
    except NotFound:
        raise Http404 from None


@login_required
def resident_detail(request, pk: int):
    resident = _resident_or_404(request, pk)
    page = Paginator(
        resident_requests(viewer=request.user, resident=resident).prefetch_related(None), 50
    ).get_page(request.GET.get("page"))
    return render(
        request, "requests_app/resident_detail.html", {"resident": resident, "page": page}
    )


@require_POST
@login_required
def resident_reveal(request, pk: int):
    resident = _resident_or_404(request, pk)
    try:
        phone = resident_phone_reveal(actor=request.user, resident=resident)
    except DomainError as exc:
        return HttpResponse(format_html('<span class="error">{}</span>', exc.message))
    return HttpResponse(format_html('<strong class="revealed">{}</strong>', phone))
