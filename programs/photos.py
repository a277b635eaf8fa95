"""Checking and re-encoding uploaded photos.

A phone photo is often 4–12 MB with the GPS position of the person's home in its EXIF data.
Every upload is opened with Pillow (so a renamed PDF or script is refused whatever its name),
limited in size, turned upright, shrunk to a sensible size, and saved again as JPEG without
its metadata — the position is kept only when the uploader asks for it.
"""

import datetime
import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

# MPO: the multi-picture JPEG of recent phones (Ultra HDR); Pillow names it apart from JPEG.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
GPS_IFD = 0x8825
DATETIME_ORIGINAL = 0x9003
EXIF_IFD = 0x8769
# Refuse images whose pixel count could exhaust memory when decoded ("decompression bombs").
MAX_PIXELS = 60_000_000


@dataclass
class ProcessedPhoto:
    image: ContentFile
    thumbnail: ContentFile
    taken_on: datetime.date | None


def _max_upload_bytes() -> int:
    return getattr(settings, "PHOTO_MAX_UPLOAD_BYTES", 15 * 1024 * 1024)


def validate_upload(upload) -> None:
    """Refuse what is too large or not a JPEG, PNG or WebP image, before any decoding."""
    limit = _max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is too large (%(size)s); the limit is %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
            code="too_large",
        )


def _open(upload) -> Image.Image:
    # Another library (WeasyPrint) turns on Pillow's global "load truncated images"; a photo cut
    # off by a weak connection must still be refused, so the flag is off while we read.
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        return _decode(upload)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _decode(upload) -> Image.Image:
    upload.seek(0)
    not_image = ValidationError(
        _("%(name)s is not a photo: only JPEG, PNG and WebP images are accepted.")
        % {"name": upload.name},
        code="not_an_image",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(upload)
            if probe.format not in ACCEPTED_FORMATS:
                raise not_image
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(
                    _("%(name)s has too many pixels to process.") % {"name": upload.name},
                    code="too_many_pixels",
                )
            probe.verify()
            upload.seek(0)
            image = Image.open(upload)
            image.load()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombWarning,
    ):
        raise not_image from None
    except Image.DecompressionBombError:
        raise ValidationError(
            _("%(name)s has too many pixels to process.") % {"name": upload.name},
            code="too_many_pixels",
        ) from None
    return image


def _taken_on(exif) -> datetime.date | None:
    raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(0x0132)
    if not raw:
        return None
    try:
        return datetime.datetime.strptime(str(raw).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S").date()
    except ValueError:
        return None


def _encode(image: Image.Image, *, max_side: int, exif: bytes | None) -> bytes:
    copy = image.copy()
    copy.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if copy.mode not in ("RGB", "L"):
        background = Image.new("RGB", copy.size, "white")
        rgba = copy.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        copy = background
    buffer = io.BytesIO()
    options = {"format": "JPEG", "quality": 85, "optimize": True}
    if exif:
        options["exif"] = exif
    copy.save(buffer, **options)
    return buffer.getvalue()


def process_upload(upload, *, keep_location: bool = False) -> ProcessedPhoto:
    """Validate and re-encode one uploaded photo. Raises ValidationError with a message in the
    active language for anything that is not an acceptable image."""
    validate_upload(upload)
    image = _open(upload)
    exif = image.getexif()
    taken_on = _taken_on(exif)
    kept = None
    if keep_location and exif.get_ifd(GPS_IFD):
        # Only the position survives; camera serial numbers and the rest are dropped.
        only_gps = Image.Exif()
        only_gps[GPS_IFD] = exif.get_ifd(GPS_IFD)
        kept = only_gps.tobytes()
    upright = ImageOps.exif_transpose(image)
    name = uuid.uuid4().hex
    max_side = getattr(settings, "PHOTO_MAX_SIDE", 1600)
    return ProcessedPhoto(
        image=ContentFile(_encode(upright, max_side=max_side, exif=kept), name=f"{name}.jpg"),
        thumbnail=ContentFile(_encode(upright, max_side=400, exif=None), name=f"{name}-thumb.jpg"),
        taken_on=taken_on,
    )


# The public copy of a photo on a share card: small enough that a card with two photos stays
# well under 200 KB on a phone's first load, large enough for Zalo's and Facebook's previews.
PUBLIC_COPY_SIDE = 720
PUBLIC_COPY_QUALITY = 70


def public_copy(file) -> bytes | None:
    """A smaller JPEG of a stored photo, without any metadata (the GPS position a photo kept on
    purpose stays private). None when the file cannot be read."""
    try:
        with file.storage.open(file.name, "rb") as handle:
            image = Image.open(handle)
            image.load()
    except (FileNotFoundError, OSError, ValueError, UnidentifiedImageError):
        return None
    copy = image.convert("RGB")
    copy.thumbnail((PUBLIC_COPY_SIDE, PUBLIC_COPY_SIDE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=PUBLIC_COPY_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()
