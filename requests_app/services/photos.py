"""Photos of a request: decoded and re-encoded on the way in, files removed if the write fails."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import ValidationFailed
from casework.photos import clean_photo, photo_files_forget, photo_save
from requests_app import events
from requests_app.models import Request, RequestPhoto
from requests_app.services._common import check_may_act_on, lock_request

logger = logging.getLogger(__name__)

MAX_PHOTOS = 6


def store_photo(request: Request, actor, upload, stored: list[str]) -> RequestPhoto:
    clean = clean_photo(upload)
    name = photo_save(clean, folder="requests/photos", now=timezone.now())
    stored.append(name)
    photo = RequestPhoto.objects.create(
        request=request,
        image=name,
        width=clean.width,
        height=clean.height,
        size=len(clean.content),
        uploaded_by=actor,
    )
    events.request_photo_added(request, actor=actor, photo_id=photo.pk)
    return photo


def forget_files(names: list[str]) -> None:
    photo_files_forget(names)


@transaction.atomic
def request_photo_add(*, request: Request, actor, upload) -> RequestPhoto:
    """Add a photo to a request (at most ``MAX_PHOTOS``), decoded and re-encoded."""
    request = lock_request(request)
    check_may_act_on(actor, request)
    if request.photos.count() >= MAX_PHOTOS:
        raise ValidationFailed(
            _("At most %(n)d photos.") % {"n": MAX_PHOTOS}, field="photos", code="too_many"
        )
    stored: list[str] = []
    try:
        return store_photo(request, actor, upload, stored)
    except BaseException:
        forget_files(stored)
        raise
