"""How a page answers a service's refusal, the same way in every app.

A service raises a ``DomainError``; the page shows it where the person will read it: on the
form field it names (or on the form), or as a message after a button without a form. Something
out of the viewer's scope (``NotFound``) is a 404, as everywhere::

    with refusal_as_form_error(form) as refused:
        meeting = services.meeting_create(actor=request.user, **form.cleaned_data)
    if not refused:
        return redirect("meeting-detail", pk=meeting.pk)

The block may hold more than the service call (checking a second form, picking the service),
and a service that answers ``None`` is no different from one that answers its object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.utils.html import format_html

from casework.errors import DomainError, NotFound

T = TypeVar("T")


class Refusal:
    """What a ``refusal_as_*`` block learns: true when the service refused, with its error."""

    __slots__ = ("error",)

    def __init__(self) -> None:
        self.error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is not None


@contextmanager
def refusal_as_form_error(
    form, *, fields: Mapping[str, str | None] | None = None
) -> Iterator[Refusal]:
    """Run the block; a domain error becomes an error on the form field it names.

    ``fields`` maps a service's field names to the form's where they differ (``None``: the form's
    own errors). An error naming no field of the form goes on the form itself.
    """
    refusal = Refusal()
    try:
        yield refusal
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        refusal.error = exc
        name = exc.field
        if fields is not None and name in fields:
            name = fields[name]
        form.add_error(name if name in form.fields else None, exc.message)


@contextmanager
def refusal_as_message(request) -> Iterator[Refusal]:
    """Run the block; a domain error becomes an error message (for a button without a form)."""
    refusal = Refusal()
    try:
        yield refusal
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        refusal.error = exc
        messages.error(request, exc.message)


def or_404(call: Callable[..., T], /, **kwargs: Any) -> T:
    """``call(**kwargs)``, typically a ``*_get`` selector; ``NotFound`` becomes a 404."""
    try:
        return call(**kwargs)
    except NotFound:
        raise Http404 from None


def refusal_as_fragment(request, exc: DomainError) -> HttpResponse:
    """A domain error as an htmx fragment (``<span class="error">``) in place of the answer.

    htmx swaps only 2xx answers, so an htmx request gets 200 with the message; any other
    request gets the error's own status (403, 429…), so scripts and tests see the refusal.
    """
    body = format_html('<span class="error">{}</span>', exc.message)
    htmx = request.headers.get("HX-Request") == "true"
    return HttpResponse(body, status=200 if htmx else exc.status)
