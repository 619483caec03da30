"""Serving a stored photo to someone already allowed to see it (requests' and cases' alike)."""

from __future__ import annotations

from django.http import FileResponse, Http404


def photo_response(photo) -> FileResponse:
    """The re-encoded JPEG of ``photo`` (any model with an ``image`` file), privately cacheable;
    a missing photo or file is a 404. The caller has checked that the viewer may see it."""
    if photo is None:
        raise Http404
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    # Never kept by the browser: the next person on a shared tablet must not find it by its URL.
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
