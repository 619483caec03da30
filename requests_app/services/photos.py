"""Photos of a request: decoded and re-encoded on the way in, files removed if the write fails."""

from __future__ import annotations

import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import ValidationFailed
from requests_app import events
from requests_app.models import Request, RequestPhoto
from requests_app.photos import clean_photo
from requests_app.services._common import check_may_act_on, lock_request

logger = logging.getLogger(__name__)

MAX_PHOTOS = 6


def store_photo(request: Request, actor, upload, stored: list[str]) -> RequestPhoto:
    clean = clean_photo(upload)
    now = timezone.now()
    name = default_storage.save(
        f"requests/photos/{now:%Y/%m}/{uuid.uuid4().hex}.{clean.extension}",
        ContentFile(clean.content),
    )
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
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete photo file %s after a failed write", name)


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
