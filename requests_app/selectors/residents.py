"""Residents as the viewer may see them."""

from __future__ import annotations

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from casework.errors import NotFound
from casework.selectors.scope import scope_for
from requests_app.models import Request, Resident
from requests_app.personal import InvalidPhone, normalise_phone, phone_hash
from requests_app.selectors.requests import request_list


def resident_visible(*, viewer) -> QuerySet[Resident]:
    """Residents who live in the viewer's scope or asked for something there, unannotated
    (so a service can lock the rows it finds)."""
    scope = scope_for(viewer)
    if scope.everything:
        return Resident.objects.all()
    asked_here = Request.objects.filter(scope.units_q("unit__"), resident=OuterRef("pk"))
    return Resident.objects.filter(
        Exists(asked_here) | (Q(unit__isnull=False) & scope.units_q("unit__"))
    )


def resident_list(
    *, viewer, phone: str | None = None, search: str | None = None
) -> QuerySet[Resident]:
    """Residents who live in the viewer's scope or asked for something there.

    ``phone`` is normalised and matched exactly, through its keyed hash (a repeat caller);
    ``search`` matches the name. Each row has ``request_count`` and ``last_collected_at`` over
    the requests the viewer may see, so nothing outside the scope shows through.
    """
    scope = scope_for(viewer)
    qs = resident_visible(viewer=viewer)
    if phone:
        try:
            qs = qs.filter(phone_hash=phone_hash(normalise_phone(phone)))
        except InvalidPhone:
            return qs.none()
    if search:
        qs = qs.filter(name__icontains=search.strip())
    visible = None if scope.everything else scope.units_q("requests__unit__")
    return (
        qs.select_related("unit")
        .annotate(
            request_count=Count("requests", filter=visible),
            last_collected_at=Max("requests__collected_at", filter=visible),
        )
        .order_by("-last_collected_at", "-id")
    )


def resident_get(*, viewer, pk) -> Resident:
    """The resident ``pk`` if the viewer may see them; ``NotFound`` otherwise."""
    try:
        return resident_list(viewer=viewer).get(pk=pk)
    except (Resident.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such resident.")) from None


def resident_requests(*, viewer, resident: Resident) -> QuerySet[Request]:
    """The resident's requests that the viewer may see, newest first."""
    return request_list(viewer=viewer).filter(resident=resident)
