"""The printed report as a PDF, made with WeasyPrint: the loader that tells whether WeasyPrint
(and the Pango library it needs) is there, the URL fetcher that serves static files without the
network, and the download response with its file name.
"""

import functools
import mimetypes
import warnings
from pathlib import Path
from urllib.parse import unquote

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static

from .periods import Period


@functools.cache
def load_weasyprint():
    """The weasyprint module, or None when it (or the Pango library it needs) is missing."""
    try:
        with warnings.catch_warnings():
            # Without libharfbuzz-subset, WeasyPrint warns at import that a future version will
            # need it; PDFs are still made (fonts are embedded whole), so it is not our error.
            warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
            import weasyprint
    except (ImportError, OSError):
        return None
    return weasyprint


def available() -> bool:
    return load_weasyprint() is not None


def _static_url_fetcher(module, base_url: str):
    """A WeasyPrint URL fetcher that serves the stylesheet (and any static file) from the
    static finders, so the PDF needs no network; every other URL is refused."""
    prefix = base_url.rstrip("/") + static("")

    def find(url: str) -> str:
        if url.startswith(prefix):
            name = unquote(url[len(prefix) :].split("?")[0])
            # Development: the source files; production: the collected (hashed) copies.
            path = finders.find(name)
            if not path and staticfiles_storage.exists(name):
                path = staticfiles_storage.path(name)
            if path and ".." not in Path(name).parts:
                return path
        raise ValueError(f"Not a static file: {url}")

    def mime(path: str) -> str:
        return mimetypes.guess_type(path)[0] or "application/octet-stream"

    if hasattr(module, "URLFetcher"):  # WeasyPrint 67 and later

        class StaticFetcher(module.URLFetcher):
            def fetch(self, url, headers=None):
                path = find(url)
                return module.urls.URLFetcherResponse(
                    url, Path(path).read_bytes(), {"Content-Type": mime(path)}
                )

        return StaticFetcher()

    def fetch(url):  # earlier versions take a function returning a dict
        path = find(url)
        return {"string": Path(path).read_bytes(), "mime_type": mime(path), "redirected_url": url}

    return fetch


def pdf_filename(period: Period) -> str:
    """ "bao-cao-2026-q1.pdf": ASCII, named by the period as the exports are."""
    return f"bao-cao-{period.slug()}.pdf"


def pdf_bytes(request, document_html: str) -> bytes:
    """The document (its HTML, as the print page shows it) as PDF bytes, set in the font the
    print stylesheet ships (static/fonts, loaded through its @font-face rules by the static
    URL fetcher), so no letter comes from a system font. Only call it when ``available()``."""
    module = load_weasyprint()
    base_url = request.build_absolute_uri("/")
    html = render_to_string("reports/print_pdf.html", {"document": document_html}, request=request)
    return module.HTML(
        string=html, base_url=base_url, url_fetcher=_static_url_fetcher(module, base_url)
    ).write_pdf()


def pdf_download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pdf_response(request, period: Period, document_html: str) -> HttpResponse:
    """The document as a PDF download. Only call it when ``available()``."""
    return pdf_download(pdf_bytes(request, document_html), pdf_filename(period))
