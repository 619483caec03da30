"""What the scoring pages share: turning domain errors into form errors, paging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404

from casework.errors import DomainError, NotFound

PAGE_SIZE = 50


def attempt(form, call: Callable[[], Any]) -> Any | None:
    """Run a service; a domain error becomes an error on the field it names (or the form).

    Returns the service's result, or ``None`` when it refused. Something out of the viewer's
    scope is a 404, as everywhere.
    """
    try:
        return call()
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return None


def attempt_or_say(request, call: Callable[[], Any]) -> Any | None:
    """Run a service for a button without a form; a domain error becomes a message."""
    try:
        return call()
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return None


def or_404(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except NotFound:
        raise Http404 from None


def page_of(request, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))
