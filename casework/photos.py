"""Photos of requests and cases: accept only real JPEG, PNG or WebP images; re-encode them.

Re-encoding drops EXIF (the GPS position of the worker's tablet), comments and anything appended
to the file, and normalises what is stored to one format. Limits are read from settings when
called: ``MINQING_PHOTO_MAX_BYTES`` (default 10 MB), ``MINQING_PHOTO_MAX_PIXELS`` (40 MP),
``MINQING_PHOTO_MAX_SIDE`` (the long side stored, 2048 px).
"""

from __future__ import annotations

import io
import logging
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from casework.errors import DomainError, ValidationFailed

logger = logging.getLogger(__name__)

ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})


class TooLarge(DomainError):
    """The upload is bigger than the limit (HTTP 413)."""

    status = 413
    default_code = "too_large"


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    width: int
    height: int
    extension: str = "jpg"


def max_bytes() -> int:
    return int(getattr(settings, "MINQING_PHOTO_MAX_BYTES", 10 * 1024 * 1024))


def _max_pixels() -> int:
    return int(getattr(settings, "MINQING_PHOTO_MAX_PIXELS", 40_000_000))


def _max_side() -> int:
    return int(getattr(settings, "MINQING_PHOTO_MAX_SIDE", 2048))


def clean_photo(upload, *, field: str = "photos") -> CleanPhoto:
    """Decode ``upload`` (a file-like object with ``size``) and return it re-encoded as JPEG.

    Raise ``TooLarge`` over the byte limit, ``ValidationFailed`` for anything that is not a
    JPEG, PNG or WebP image, is truncated, or would decode to too many pixels (a bomb).
    """
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes():
        raise TooLarge(
            _("The photo is too large (at most %(mb)s MB).") % {"mb": max_bytes() // 2**20},
            field=field,
        )
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise TooLarge(
            _("The photo is too large (at most %(mb)s MB).") % {"mb": max_bytes() // 2**20},
            field=field,
        )
    not_an_image = ValidationFailed(
        _("Only JPEG, PNG or WebP photos are accepted."), field=field, code="invalid_image"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(ALLOWED_FORMATS))
            if image.format not in ALLOWED_FORMATS:
                raise not_an_image
            # The header gives the size before any pixel is decoded: refuse bombs here.
            if image.width * image.height > _max_pixels():
                raise ValidationFailed(
                    _("The photo has too many pixels."), field=field, code="too_many_pixels"
                )
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise not_an_image from None
    except (OSError, SyntaxError, ValueError, EOFError):
        # Truncated or corrupt data.
        raise not_an_image from None
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    image.thumbnail((_max_side(), _max_side()))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return CleanPhoto(content=out.getvalue(), width=image.width, height=image.height)


def photo_save(clean: CleanPhoto, *, folder: str, now) -> str:
    """Store a cleaned photo under ``folder/YYYY/MM/`` with a random name; return its name."""
    return default_storage.save(
        f"{folder}/{now:%Y/%m}/{uuid.uuid4().hex}.{clean.extension}", ContentFile(clean.content)
    )


def photo_files_forget(names: list[str]) -> None:
    """Delete files written for a transaction that then failed (best effort)."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete photo file %s", name)
