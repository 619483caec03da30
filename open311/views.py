"""``/open311/v2/``: GeoReport v2 over the intake service and the public read of requests.

Views only parse, call one service or selector, and answer in the format the suffix names.
Reads need no key (the spec's rule) and are throttled per client address, like ``/track/``;
``POST requests`` needs an ``api_key`` (403 without a valid one). Not DRF views: the spec fixes
its own shapes, errors and XML, so these are left out of the OpenAPI schema on purpose.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from casework.errors import DomainError
from casework.throttle import over_budget
from open311 import selectors, services
from open311.formats import FORMATS, error_response, respond

#: The spec's own documents change when the fields served change.
CHANGESET = "2026-05-01T00:00:00+08:00"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
READ_WINDOW = 600
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]{1,64})\](\[\])?$")


def _refusal(fmt: str, exc: DomainError) -> HttpResponse:
    message = exc.message
    if exc.field and not message.startswith(exc.field):
        message = f"{exc.field}: {message}"
    status = exc.status if exc.status in (400, 403, 404, 429) else 400
    return error_response(fmt, status, message)


def _open311(*methods: str, throttle: bool = True):
    """Wrap a view: check the format and the method, throttle reads, answer refusals."""

    def wrap(view):
        def inner(request, *args, fmt: str, **kwargs):
            if fmt not in FORMATS:
                return error_response("xml", 404, _("Unknown format: use .xml or .json."))
            if request.method not in methods:
                response = error_response(fmt, 405, _("Method not allowed."))
                response["Allow"] = ", ".join(methods)
                return response
            if (
                throttle
                and request.method == "GET"
                and over_budget(
                    request,
                    "open311",
                    limit=settings.MINQING_OPEN311_READ_LIMIT,
                    window=READ_WINDOW,
                )
            ):
                return error_response(
                    fmt, 429, _("Too many requests; try again later."), Retry_After=READ_WINDOW
                )
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except DomainError as exc:
                return _refusal(fmt, exc)

        inner.__name__ = view.__name__
        inner.__doc__ = view.__doc__
        return csrf_exempt(inner)

    return wrap


@_open311("GET")
def discovery(request, fmt):
    """Service discovery: where the GeoReport v2 endpoint is and which formats it speaks."""
    services_url = reverse("open311:services", kwargs={"fmt": "xml"})
    base = request.build_absolute_uri(services_url.removesuffix("services.xml"))
    return respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": settings.MINQING_OPEN311_CONTACT,
            "key_service": _("Keys are issued by the administrators, one per integration."),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base.rstrip("/"),
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@_open311("GET")
def services_list(request, fmt):
    """GET Service List: the request categories as services."""
    return respond(fmt, "services", selectors.service_list())


@_open311("GET")
def service_definition(request, code, fmt):
    """GET Service Definition (no category has attributes)."""
    return respond(fmt, "service_definition", selectors.service_definition(code=code))


def _submission(post) -> services.Submission:
    fields = {
        name: post.get(name, "")
        for name in (
            "service_code",
            "lat",
            "long",
            "address_string",
            "address_id",
            "description",
            "media_url",
            "first_name",
            "last_name",
            "phone",
        )
    }
    attributes = []
    for name in post:
        found = _ATTRIBUTE.match(name)
        if found:
            attributes.extend((found.group(1), value) for value in post.getlist(name))
        elif name.startswith("attribute"):
            attributes.append((name, ""))
    return services.Submission(**fields, attributes=tuple(attributes))


@_open311("GET", "POST")
def requests_(request, fmt):
    """POST Service Request (with ``api_key``) or GET Service Requests (public)."""
    if request.method == "POST":
        key = services.open311_key_check(request.POST.get("api_key"))
        submission = services.open311_request_submit(key=key, data=_submission(request.POST))
        answer = {
            "service_request_id": submission.request_id,
            "service_notice": selectors.service_notice(submission.request.category),
            "account_id": None,
        }
        return respond(fmt, "service_requests", [answer], status=200)
    query = selectors.request_query(request.GET)
    return respond(fmt, "service_requests", selectors.request_public_list(query))


@_open311("GET")
def request_detail(request, pk, fmt):
    """GET Service Request: one request, by its id."""
    return respond(fmt, "service_requests", [selectors.request_public_get(pk=pk)])


@_open311("GET")
def token(request, token, fmt):
    """GET service_request_id from a token."""
    found = services.request_id_by_token(token)
    return respond(fmt, "service_requests", [{"service_request_id": found, "token": token}])
