"""One WeasyPrint set-up reused across documents: fonts, parsed CSS, images, a local-only fetcher.

Why a class: building a ``FontConfiguration``, parsing the stylesheet and, with WeasyPrint's
default fetcher, creating an HTTPS context cost more than laying out a certificate. A batch keeps
one ``Renderer`` and pays them once (ADR 0129). Documents never reach the network: the fetcher
serves ``data:`` URLs and files under the directories it was given, nothing else, so an operator's
template cannot leak a learner's data to a remote host or make the output depend on one.
"""

from __future__ import annotations

import ctypes
import functools
import mimetypes
import threading
import urllib.request
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .errors import PdfTemplateError
from .fonts import font_dir, font_face_css

TRIM_EVERY = 32  # documents between two returns of freed heap memory to the system

IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


class LocalFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """Serve ``data:`` URLs and files below ``roots``; refuse every other URL (fatal, with a reason)."""

    def __init__(self, roots: Iterable[Path]) -> None:
        urllib.request.OpenerDirector.__init__(self)
        self.add_handler(urllib.request.DataHandler())
        self._roots = tuple(Path(root).resolve() for root in roots)
        self._request = None
        self._timeout = 5
        self._http_headers: dict[str, str] = {}
        self._allowed_protocols = None
        self._fail_on_errors = True

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Return the resource at ``url`` if it is data or a file under a root."""
        if url.startswith("data:"):
            response = urllib.request.urlopen(url)  # DataHandler only: no network  # noqa: S310
            return URLFetcherResponse(url, response.read(), dict(response.headers))
        if url.startswith("file:"):
            path = Path(urllib.request.url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
            if any(path.is_relative_to(root) for root in self._roots) and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        raise FatalURLFetchingError(f"resource outside the certificate template's directories: {url}")


class DocumentImageCache(dict):  # type: ignore[type-arg]
    """WeasyPrint's image cache for one document: files are kept for the batch, the rest dropped.

    The template's files (logo, seal) are read and parsed once per batch through ``shared``;
    per-document images (the QR code as a ``data:`` URL) live only in this dict, which is
    discarded with the document, so a batch of 10,000 certificates does not keep 10,000 QR codes.
    """

    def __init__(self, shared: dict[str, Any]) -> None:
        """Read and write file images through ``shared``; keep the rest here."""
        super().__init__()
        self.shared = shared

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key) or key in self.shared

    def __getitem__(self, key: str) -> Any:
        return super().__getitem__(key) if super().__contains__(key) else self.shared[key]

    def __setitem__(self, key: str, value: Any) -> None:
        if str(key).startswith("file:"):
            self.shared[key] = value
        else:
            super().__setitem__(key, value)


class Renderer:
    """HTML → PDF with one font configuration, one parsed stylesheet list and one image cache.

    ``render`` is serialised by a lock: WeasyPrint's font configuration is not documented as
    thread-safe, and rendering is CPU-bound anyway (one core per process).
    """

    def __init__(self, stylesheets: Iterable[Path], roots: Iterable[Path], extra_css: str = "") -> None:
        """Parse ``stylesheets`` (and ``extra_css``, e.g. operator colours) once for every document."""
        self.roots = (*(Path(root) for root in roots), font_dir())
        extra_css = font_face_css() + extra_css
        self.fetcher = LocalFetcher(self.roots)
        self.font_config = FontConfiguration()
        self.lock = threading.Lock()
        self._images: dict[str, Any] = {}
        self._written = 0
        try:
            self.stylesheets = [
                CSS(filename=str(path), font_config=self.font_config, url_fetcher=self.fetcher)
                for path in stylesheets
            ]
            if extra_css:
                self.stylesheets.append(
                    CSS(string=extra_css, font_config=self.font_config, url_fetcher=self.fetcher)
                )
        except FatalURLFetchingError as error:
            raise PdfTemplateError("resource_outside_template", str(error)) from None
        except OSError as error:
            raise PdfTemplateError("template_not_found", f"stylesheet not readable: {error}") from None

    def layout(self, html: str, base: Path) -> Any:
        """Lay out ``html`` (relative URLs resolve against ``base``); returns WeasyPrint's Document."""
        with self.lock:
            try:
                document = HTML(string=html, base_url=str(base) + "/", url_fetcher=self.fetcher).render(
                    font_config=self.font_config,
                    stylesheets=self.stylesheets,
                    cache=DocumentImageCache(self._images),
                )
            except FatalURLFetchingError as error:
                raise PdfTemplateError("resource_outside_template", str(error)) from None
        return document

    def write(self, document: Any) -> bytes:
        """The PDF bytes of a laid-out document; the file identifier is a hash of the content."""
        with self.lock:
            pdf = bytes(document.write_pdf(pdf_identifier=True))
            self._written += 1
            if self._written % TRIM_EVERY == 0:
                release_freed_memory()
        return pdf


def pdf_dates(day: date) -> str:
    """``<meta>`` elements that fix the PDF's creation and modification dates to ``day``.

    Without them WeasyPrint writes no date at all; with them two renderings of one certificate
    carry the same dates, so the bytes are the same (reproducible certificates, ADR 0128).
    """
    iso = day.isoformat()
    return f'<meta name="dcterms.created" content="{iso}"><meta name="dcterms.modified" content="{iso}">'


@functools.cache
def _libc() -> Any:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to trim
        return None


def release_freed_memory() -> None:
    """Hand memory freed by past documents back to the system (glibc ``malloc_trim``).

    Each PDF copies the embedded font (a few MB) in and out of Python bytes. glibc raises its
    mmap threshold after the first such block is freed, so later copies come from the heap, and
    the heap's free holes kept the resident set growing (142 → 193 MB over 1,500 certificates).
    Trimming every ``TRIM_EVERY`` documents kept it flat (ADR 0129).
    """
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
