"""One certificate from a static page: its text and QR code drawn on top, with pikepdf (ADR 0360).

The drawing repeats what WeasyPrint draws for the same boxes: the page in CSS pixels (y down),
text in the compact CJK font at the run's size, colour and letter-spacing, from the anchor the
layout gave the line; the QR code as filled module rectangles in its box. The text is embedded as
a subset with a ``ToUnicode`` map, so ``pdftotext`` and a viewer's search find it. Output is
deterministic: same certificate, same bytes (the file identifier is a hash of the content).
"""

from __future__ import annotations

import io
import itertools
from datetime import date
from typing import Any

import pikepdf

from .cidfont import FontMetrics, font_object
from .overlay import Line, Recipe, Run, unmark

FONT_NAME = "/XSstamp"
PX = 0.75  # points per CSS pixel


class TooWide(Exception):
    """A value would not fit where the static page leaves room for it: render in full."""


class Canvas:
    """Text pieces and rectangles in page pixels, encoded once the font subset is known."""

    def __init__(self, font: FontMetrics) -> None:
        """Collect pieces printed in ``font``."""
        self.font = font
        self.pieces: list[tuple[Run, list[int], float]] = []  # run, glyph ids, x
        self.used: dict[int, str] = {}

    def measure(self, run: Run, text: str) -> tuple[list[int], float]:
        """Glyph ids and width of ``text`` in ``run``'s style; ``KeyError`` if the font lacks one."""
        gids = self.font.glyphs(text)
        if gids is None:
            raise KeyError(text)
        self.used.update(zip(gids, text, strict=True))
        return gids, self.font.width(gids, run.size, run.spacing)

    def line(self, line: Line, values: dict[str, str]) -> None:
        """Redraw a whole line from its anchor with this certificate's values."""
        measured = [
            (run, *self.measure(run, run.text if run.key is None else values[run.key])) for run in line.runs
        ]
        width = sum(w for _, _, w in measured)
        if width > line.limit + 0.05:
            raise TooWide(line.runs[0].text)
        x = (
            line.x
            if line.anchor == "left"
            else line.x - width
            if line.anchor == "right"
            else line.x - width / 2
        )
        for run, gids, run_width in measured:
            self.pieces.append((run, gids, x))
            x += run_width

    def text(self, run: Run, text: str, x: float, baseline: float) -> None:
        """One left-aligned line of a paragraph."""
        gids, _ = self.measure(run, text)
        self.pieces.append((Run(run.key, text, run.size, run.spacing, run.color, baseline), gids, x))

    def content(self, renumber: dict[int, int], page_height: float, qr: bytes) -> bytes:
        """The overlay's content stream (PDF operators)."""
        out = [f"q 1 0 0 -1 0 {page_height:.6f} cm {PX} 0 0 {PX} 0 0 cm".encode(), qr]
        for run, gids, x in self.pieces:
            r, g, b = run.color
            codes = "".join(f"{renumber[gid]:04x}" for gid in gids)
            out.append(
                f"BT {FONT_NAME} {run.size:.6f} Tf {run.spacing:.6f} Tc {r:.6f} {g:.6f} {b:.6f} rg "
                f"1 0 0 -1 {x:.6f} {run.baseline:.6f} Tm <{codes}> Tj ET".encode()
            )
        out.append(b"Q")
        return b"\n".join(out)


def qr_operators(url: str, box: tuple[float, float, float]) -> bytes:
    """The QR code of ``url`` as black module rectangles filling ``box`` (x, y, side in px).

    Same symbol as the SVG the full rendering embeds (``qr.qr_svg``: error correction M, a quiet
    zone of four modules scaled into the box), drawn as one filled path.
    """
    from .qr import _qr

    x0, y0, side = box
    rows = list(_qr(url).matrix_iter(scale=1, border=4))
    module = side / len(rows)
    rects = []
    for r, row in enumerate(rows):
        c = 0
        for dark, run in itertools.groupby(row):
            width = len(list(run))
            if dark:
                x, y = x0 + c * module, y0 + r * module
                rects.append(f"{x:.4f} {y:.4f} {width * module:.4f} {module:.4f} re")
            c += width
    return ("0 0 0 rg\n" + "\n".join(rects) + "\nf").encode() if rects else b""


def stamp(
    recipe: Recipe,
    font: FontMetrics,
    values: dict[str, str],
    paragraphs: dict[str, list[str]],
    verify_url: str,
    issued_on: date,
) -> bytes:
    """The certificate's PDF; ``KeyError`` or ``TooWide`` when only a full rendering can print it."""
    canvas = Canvas(font)
    for line in recipe.lines:
        canvas.line(line, values)
    for para in recipe.paragraphs:
        for n, (text, baseline) in enumerate(zip(paragraphs[para.key], para.baselines, strict=True)):
            canvas.text(para.run, text, para.x + (para.indent if n == 0 else 0), baseline)
    with pikepdf.open(io.BytesIO(recipe.static_pdf)) as pdf:
        page = pdf.pages[0]
        if pikepdf.Name.Font not in page.Resources:  # a page with no fixed text at all
            page.Resources.Font = pikepdf.Dictionary()
        fonts: Any = page.Resources.Font
        fonts[FONT_NAME], renumber = font_object(pdf, font, canvas.used)
        height = float(page.MediaBox[3])
        qr = qr_operators(verify_url, recipe.qr) if recipe.qr else b""
        page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, b"Q\n" + canvas.content(renumber, height, qr)))
        for name, text in recipe.info.items():
            pdf.docinfo[name] = unmark(text, values)
        pdf.docinfo["/CreationDate"] = pdf.docinfo["/ModDate"] = f"D:{issued_on:%Y%m%d}"
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()
