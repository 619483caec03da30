"""Photo intake: real images are re-encoded without EXIF; everything else is refused."""

import io

import pytest
from PIL import Image

from casework.errors import ValidationFailed
from casework.photos import TooLarge, clean_photo
from tests.requests_app.conftest import image_bytes, upload


def _exif_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "TabletMaker"  # Make
    exif[0x8825] = {1: "N", 2: (22.0, 37.0, 1.0), 3: "E", 4: (110.0, 9.0, 1.0)}  # GPS IFD
    return exif


def test_a_jpeg_is_re_encoded_without_exif_or_gps():
    raw = image_bytes("JPEG", exif=_exif_with_gps().tobytes())
    assert Image.open(io.BytesIO(raw)).getexif().get(0x010F) == "TabletMaker"
    clean = clean_photo(upload(raw))
    out = Image.open(io.BytesIO(clean.content))
    assert out.format == "JPEG"
    assert not out.getexif()
    assert b"TabletMaker" not in clean.content
    assert (clean.width, clean.height) == (64, 48)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted_and_stored_as_jpeg(fmt):
    clean = clean_photo(upload(image_bytes(fmt), name=f"p.{fmt.lower()}"))
    assert Image.open(io.BytesIO(clean.content)).format == "JPEG"


def test_bytes_appended_after_the_image_do_not_survive():
    raw = image_bytes("JPEG") + b"<?php system($_GET['c']); ?>"
    clean = clean_photo(upload(raw))
    assert b"php" not in clean.content


def test_large_photos_are_scaled_down_to_the_long_side_limit(settings):
    settings.MINQING_PHOTO_MAX_SIDE = 100
    clean = clean_photo(upload(image_bytes("JPEG", size=(400, 200))))
    assert (clean.width, clean.height) == (100, 50)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"#!/bin/sh\nrm -rf /\n", "photo.jpg"),  # a renamed script
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "p.svg"),
        (b"GIF89a" + b"\x00" * 40, "p.gif"),
        (b"", "empty.jpg"),
    ],
)
def test_what_is_not_a_jpeg_png_or_webp_is_refused(content, name):
    with pytest.raises(ValidationFailed) as caught:
        clean_photo(upload(content, name=name))
    assert caught.value.field == "photos"
    assert caught.value.status == 400


def test_a_gif_that_is_a_real_image_is_still_refused():
    with pytest.raises(ValidationFailed):
        clean_photo(upload(image_bytes("GIF"), name="p.gif"))


def test_a_truncated_jpeg_is_refused():
    raw = image_bytes("JPEG", size=(300, 300))
    with pytest.raises(ValidationFailed):
        clean_photo(upload(raw[: len(raw) // 2]))


def test_a_decompression_bomb_is_refused_before_decoding(settings):
    # A 20000 × 20000 PNG of one colour compresses to a few hundred kilobytes.
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")
    assert len(out.getvalue()) < 2_000_000
    with pytest.raises(ValidationFailed) as caught:
        clean_photo(upload(out.getvalue(), name="bomb.png"))
    assert caught.value.code in ("too_many_pixels", "invalid_image")


def test_an_oversized_file_is_a_413(settings):
    settings.MINQING_PHOTO_MAX_BYTES = 1000
    with pytest.raises(TooLarge) as caught:
        clean_photo(upload(image_bytes("JPEG", size=(300, 300), quality=100)))
    assert caught.value.status == 413
    assert caught.value.field == "photos"
