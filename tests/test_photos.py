"""Uploaded photos: checked by content, limited in size, turned upright, re-encoded as JPEG,
their GPS position dropped unless asked for."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image, ImageFile

from programs.photos import GPS_IFD, process_upload

GPS = {1: "N", 2: (21.0, 56.0, 12.0), 3: "E", 4: (105.0, 10.0, 30.0)}


def image_bytes(fmt="JPEG", size=(120, 80), color="green", exif=None, **options) -> bytes:
    mode = "RGBA" if fmt == "PNG" else "RGB"
    buffer = io.BytesIO()
    if exif is not None:
        options["exif"] = exif.tobytes()
    Image.new(mode, size, color).save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(content: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def opened(content_file) -> Image.Image:
    content_file.seek(0)
    image = Image.open(io.BytesIO(content_file.read()))
    image.load()
    return image


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "a.jpg"), ("PNG", "b.png"), ("WEBP", "c.webp")])
def test_accepted_formats_are_re_encoded_as_jpeg_within_the_size_limit(settings, fmt, name):
    settings.PHOTO_MAX_SIDE = 100
    result = process_upload(upload(image_bytes(fmt, size=(300, 150)), name=name))
    image = opened(result.image)
    thumbnail = opened(result.thumbnail)
    assert image.format == "JPEG"
    assert image.size == (100, 50)
    assert thumbnail.format == "JPEG"
    assert max(thumbnail.size) <= 400
    assert result.image.name.endswith(".jpg")
    assert result.thumbnail.name.endswith("-thumb.jpg")


def test_small_photo_is_not_enlarged():
    result = process_upload(upload(image_bytes(size=(60, 40))))
    assert opened(result.image).size == (60, 40)


def test_text_file_renamed_jpg_is_refused_in_the_users_language():
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        process_upload(upload(b"<?php echo 'hello'; ?>\n" * 20, name="holiday.jpg"))
    assert caught.value.code == "not_an_image"
    assert "holiday.jpg is not a photo" in caught.value.messages[0]


def test_gif_is_refused():
    with pytest.raises(ValidationError) as caught:
        process_upload(upload(image_bytes("GIF"), name="anim.gif", content_type="image/gif"))
    assert caught.value.code == "not_an_image"


def _truncated_jpeg() -> bytes:
    content = image_bytes(size=(400, 300))
    return content[: len(content) // 3]  # an upload cut off by a weak connection


def test_truncated_jpeg_is_refused(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)  # Pillow's default
    with pytest.raises(ValidationError) as caught:
        process_upload(upload(_truncated_jpeg()))
    assert caught.value.code == "not_an_image"


def test_truncated_jpeg_is_refused_even_after_weasyprint_was_imported(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what weasyprint does
    with pytest.raises(ValidationError):
        process_upload(upload(_truncated_jpeg()))


def test_oversized_upload_is_refused_before_decoding(settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1000
    content = image_bytes(size=(400, 300), quality=95)
    assert len(content) > 1000
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        process_upload(upload(content, name="big.jpg"))
    assert caught.value.code == "too_large"
    assert "big.jpg is too large" in caught.value.messages[0]


def _exif_with_gps_and_date(orientation=None) -> Image.Exif:
    exif = Image.Exif()
    exif[GPS_IFD] = GPS
    exif[0x8769] = {0x9003: "2026:03:07 08:15:00"}  # DateTimeOriginal
    if orientation:
        exif[0x0112] = orientation
    return exif


def test_gps_position_is_stripped_by_default():
    source = image_bytes(exif=_exif_with_gps_and_date())
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(GPS_IFD)
    result = process_upload(upload(source))
    assert opened(result.image).getexif().get_ifd(GPS_IFD) == {}
    assert opened(result.thumbnail).getexif().get_ifd(GPS_IFD) == {}


def test_gps_position_is_kept_on_request_but_nothing_else():
    result = process_upload(upload(image_bytes(exif=_exif_with_gps_and_date())), keep_location=True)
    exif = opened(result.image).getexif()
    gps = exif.get_ifd(GPS_IFD)
    assert gps[1] == "N"
    assert gps[3] == "E"
    assert [float(v) for v in gps[2]] == [21.0, 56.0, 12.0]
    assert exif.get_ifd(0x8769) == {}  # the date and camera details are not kept
    assert opened(result.thumbnail).getexif().get_ifd(GPS_IFD) == {}


def test_taken_on_comes_from_date_time_original():
    result = process_upload(upload(image_bytes(exif=_exif_with_gps_and_date())))
    assert result.taken_on == datetime.date(2026, 3, 7)


def test_taken_on_is_none_without_exif():
    assert process_upload(upload(image_bytes())).taken_on is None


def test_orientation_is_applied():
    # Stored landscape 120×80, tagged "rotate 90° clockwise to display" (orientation 6).
    source = image_bytes(size=(120, 80), exif=_exif_with_gps_and_date(orientation=6))
    image = opened(process_upload(upload(source)).image)
    assert image.size == (80, 120)
    assert image.getexif().get(0x0112) is None


def test_multi_picture_jpeg_from_a_phone_is_accepted():
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (120, 80), "red"), Image.new("RGB", (60, 40), "blue")
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    result = process_upload(upload(buffer.getvalue(), name="PXL_20260307.jpg"))
    assert opened(result.image).format == "JPEG"
