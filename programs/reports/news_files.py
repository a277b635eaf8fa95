"""The news item as files: a Word document (python-docx) and plain HTML to paste into a
portal's editor. Both read the saved or composed text and the chosen photos' public captions
(``reports.news.Figure``); neither adds anything the page does not show."""

import io
import re

from django.template.loader import render_to_string
from django.utils.text import slugify

from programs.photos import public_copy


def paragraphs_of(body: str) -> list[str]:
    """The body's paragraphs: blank lines separate them; single line breaks stay inside."""
    blocks = [block.strip() for block in body.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def file_stem(headline: str) -> str:
    return (slugify(headline) or "tin-bai")[:60]


# C0 control characters other than tab, line feed and carriage return: XML 1.0 cannot hold them
# and python-docx refuses them (ValueError), so a pasted \x0b or \x1b would break the download.
_C0_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_safe(text: str) -> str:
    return _C0_CONTROLS.sub("", text)


def news_docx(*, headline: str, lead: str, body: str, figures) -> bytes:
    """A .docx: the headline as the title, the lead in bold, the body, then each photo (a
    smaller copy, without metadata) with its caption in italics under it."""
    from docx import Document
    from docx.shared import Cm

    document = Document()
    document.add_heading(_xml_safe(headline), level=1)
    document.add_paragraph().add_run(_xml_safe(lead)).bold = True
    for paragraph in paragraphs_of(body):
        document.add_paragraph(_xml_safe(paragraph))
    for figure in figures:
        picture = public_copy(figure.photo.image)
        if picture is not None:
            document.add_picture(io.BytesIO(picture), width=Cm(15))
        if figure.caption:
            document.add_paragraph().add_run(_xml_safe(figure.caption)).italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def news_html(
    *, headline: str, lead: str, body: str, figures, language="vi", photo_urls=None
) -> str:
    """Plain HTML (headings, paragraphs, figures) that a portal's editor accepts pasted; the
    photos appear only where the share card gives them a public address (``photo_urls``, by
    figure number), otherwise as their captions, to be uploaded to the portal by hand."""
    return render_to_string(
        "news/export.html",
        {
            "language": language,
            "headline": headline,
            "lead": lead,
            "paragraphs": paragraphs_of(body),
            "figures": [(f, (photo_urls or {}).get(f.number)) for f in figures],
        },
    )
