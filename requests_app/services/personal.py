"""Showing a resident's phone or ID number in full: an explicit act, always recorded."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from casework.errors import ValidationFailed
from requests_app.models import PersonalDataAccess, PersonalField, Request, Resident
from requests_app.personal import decrypt
from requests_app.selectors import request_get, resident_get


@transaction.atomic
def resident_phone_reveal(*, actor, resident: Resident, request: Request | None = None) -> str:
    """Return the resident's full phone and record who saw it (and from which request).

    The resident must be visible to the actor (``NotFound`` otherwise).
    """
    resident = resident_get(viewer=actor, pk=resident.pk)
    if not resident.phone:
        raise ValidationFailed(_("No phone is recorded."), field="phone", code="empty")
    PersonalDataAccess.objects.create(
        actor=actor, field=PersonalField.PHONE, resident=resident, request=request
    )
    return resident.phone


@transaction.atomic
def request_id_number_reveal(*, actor, request: Request) -> str:
    """Return the request's ID number decrypted, and record who saw it."""
    request = request_get(viewer=actor, pk=request.pk)
    if not request.id_number_encrypted:
        raise ValidationFailed(_("No ID number is recorded."), field="id_number", code="empty")
    clear = decrypt(request.id_number_encrypted)
    PersonalDataAccess.objects.create(
        actor=actor, field=PersonalField.ID_NUMBER, resident=request.resident, request=request
    )
    return clear
