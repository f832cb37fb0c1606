"""The stamped text's font: advances of the compact CJK font, a per-PDF subset, its PDF objects.

Why our own: the overlay (ADR 0360) prints names, serials and hours onto a page WeasyPrint laid
out once, so each certificate needs the glyphs of *its* text embedded, as a subset, with a
``ToUnicode`` map so the text stays selectable and searchable. The objects are the ones WeasyPrint
writes for the same font (Type0 / CIDFontType0 / ``FontFile3`` OpenType, Identity-H), so viewers
treat both fonts alike. The compact font has no GSUB/GPOS (ADR 0129): shaping is the ``cmap`` and
the advances, which is what Pango does with it too. Subsetting is HarfBuzz's (the face is parsed
once per process), a few hundred microseconds for a certificate's ~60 glyphs.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

from .fonts import DROP_TABLES, hb_library

SETS_GLYPH_INDEX, SETS_DROP_TABLE = 0, 3
FLAG_NO_HINTING, FLAG_RETAIN_GIDS, FLAG_DESUBROUTINIZE, FLAG_PASSTHROUGH = 0x1, 0x2, 0x4, 0x20

VERTICAL_TABLES = (b"vhea", b"vmtx", b"VORG")  # horizontal text only: a third of the subset's bytes
_SUBSET_CDEF = """
hb_set_t *hb_subset_input_glyph_set(hb_subset_input_t *input);
typedef struct hb_subset_plan_t hb_subset_plan_t; typedef struct hb_map_t hb_map_t;
hb_subset_plan_t *hb_subset_plan_create_or_fail(hb_face_t *face, const hb_subset_input_t *input);
hb_face_t *hb_subset_plan_execute_or_fail(hb_subset_plan_t *plan);
const hb_map_t *hb_subset_plan_old_to_new_glyph_mapping(const hb_subset_plan_t *plan);
void hb_subset_plan_destroy(hb_subset_plan_t *plan);
unsigned int hb_map_get(const hb_map_t *map, unsigned int key);
"""


@dataclass(frozen=True)
class FontMetrics:
    """Glyph ids and advances (units per em) of the compact font, read once per process."""

    path: Path
    cmap: dict[int, int]  # code point → glyph id
    advances: tuple[int, ...]  # glyph id → advance
    upem: int
    ascent: int
    descent: int
    bbox: tuple[int, int, int, int]

    def glyphs(self, text: str) -> list[int] | None:
        """The glyph ids of ``text``, or ``None`` if the font lacks a character (then: full render)."""
        cmap = self.cmap
        try:
            return [cmap[ord(char)] for char in text]
        except KeyError:
            return None

    def width(self, gids: list[int], size: float, spacing: float) -> float:
        """Advance of ``gids`` at ``size`` with ``spacing`` after every glyph (CSS letter-spacing)."""
        advances = self.advances
        return sum(advances[g] for g in gids) * size / self.upem + spacing * len(gids)


@functools.lru_cache(maxsize=2)
def metrics(path: Path) -> FontMetrics:
    """The metrics of the font at ``path`` (fontTools, once)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    order = font.getGlyphOrder()
    widths = font["hmtx"].metrics
    head, hhea = font["head"], font["hhea"]
    return FontMetrics(
        path=path,
        cmap={code: font.getGlyphID(name) for code, name in font.getBestCmap().items()},
        advances=tuple(widths[name][0] for name in order),
        upem=head.unitsPerEm,
        ascent=hhea.ascent,
        descent=hhea.descent,
        bbox=(head.xMin, head.yMin, head.xMax, head.yMax),
    )


class Subsetter:
    """HarfBuzz subsets of one font file; the parsed face is kept and shared, calls are serialised."""

    def __init__(self, path: Path) -> None:
        """Parse ``path`` once."""
        self.hb, self.ffi = hb_library(_SUBSET_CDEF)
        self._blob = self.hb.hb_blob_create_from_file_or_fail(str(path).encode())
        if self._blob == self.ffi.NULL:
            raise OSError(f"cannot read font {path}")
        self._face = self.hb.hb_face_create(self._blob, 0)
        self._lock = threading.Lock()

    def subset(self, gids: list[int]) -> tuple[bytes, dict[int, int]]:
        """A font with the outlines of ``.notdef`` and ``gids`` only, and where each glyph went.

        The new ids come from HarfBuzz's plan, not from ranks: it also keeps glyphs the font's
        variation-sequence ``cmap`` reaches. Without the plan API (HarfBuzz < 6), ids are retained
        (as WeasyPrint does): a larger font, the same page.
        """
        hb, ffi = self.hb, self.ffi
        with self._lock:
            subset_input = hb.hb_subset_input_create_or_fail()
            try:
                glyphs = hb.hb_subset_input_glyph_set(subset_input)
                for gid in gids:
                    hb.hb_set_add(glyphs, gid)
                drop = hb.hb_subset_input_set(subset_input, SETS_DROP_TABLE)
                for tag in (*DROP_TABLES, *VERTICAL_TABLES):
                    hb.hb_set_add(drop, hb.hb_tag_from_string(tag, 4))
                flags = FLAG_NO_HINTING | FLAG_DESUBROUTINIZE | FLAG_PASSTHROUGH
                result, mapping = self._subset(subset_input, flags, gids)
                if result == ffi.NULL:
                    raise OSError("HarfBuzz could not subset the certificate font")
                blob = hb.hb_face_reference_blob(result)
                length = ffi.new("unsigned int *")
                data = bytes(ffi.buffer(hb.hb_blob_get_data(blob, length), length[0]))
                hb.hb_blob_destroy(blob)
                hb.hb_face_destroy(result)
            finally:
                hb.hb_subset_input_destroy(subset_input)
        return data, mapping

    def _subset(self, subset_input: Any, flags: int, gids: list[int]) -> tuple[Any, dict[int, int]]:
        hb = self.hb
        try:
            create = hb.hb_subset_plan_create_or_fail
        except AttributeError:
            hb.hb_subset_input_set_flags(subset_input, flags | FLAG_RETAIN_GIDS)
            return hb.hb_subset_or_fail(self._face, subset_input), {gid: gid for gid in gids}
        hb.hb_subset_input_set_flags(subset_input, flags)
        plan = create(self._face, subset_input)
        if plan == self.ffi.NULL:
            return self.ffi.NULL, {}
        try:
            old_to_new = hb.hb_subset_plan_old_to_new_glyph_mapping(plan)
            mapping = {gid: hb.hb_map_get(old_to_new, gid) for gid in gids}
            return hb.hb_subset_plan_execute_or_fail(plan), mapping
        finally:
            hb.hb_subset_plan_destroy(plan)


@functools.lru_cache(maxsize=2)
def subsetter(path: Path) -> Subsetter:
    """One subsetter per font file per process."""
    return Subsetter(path)


def _to_unicode(chars: dict[int, str]) -> bytes:
    """A ToUnicode CMap: new glyph id → the character it prints (copy, search, screen readers)."""
    lines = [
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        b"1 begincodespacerange <0000> <ffff> endcodespacerange",
    ]
    items = sorted(chars.items())
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{gid:04x}> <{char.encode('utf-16-be').hex()}>".encode() for gid, char in batch]
        lines.append(b"endbfchar")
    lines.append(b"endcmap CMapName currentdict /CMap defineresource pop end end")
    return b"\n".join(lines)


def font_object(pdf: pikepdf.Pdf, font: FontMetrics, used: dict[int, str]) -> tuple[Any, dict[int, int]]:
    """A Type0 font in ``pdf`` holding the glyphs of ``used`` (glyph id → character), and the codes.

    Returns the font and the code of each glyph id in the content stream (its id in the subset).

    The subset's name tag is derived from its glyphs, so the same text gives the same bytes.
    """
    gids = sorted(used)
    data, renumber = subsetter(font.path).subset(gids)
    scale = 1000 / font.upem
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(repr(gids).encode()).digest()[:6])
    name = pikepdf.Name(f"/{tag}+Xueshi-Serif-SC")
    file = pikepdf.Stream(pdf, data)
    file.Subtype = pikepdf.Name.OpenType
    widths: list[Any] = []
    for gid in gids:
        widths += [renumber[gid], pikepdf.Array([round(font.advances[gid] * scale, 3)])]
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=name,
        Flags=4,  # symbolic: glyphs outside the Latin set
        FontBBox=pikepdf.Array([round(v * scale) for v in font.bbox]),
        ItalicAngle=0,
        Ascent=round(font.ascent * scale),
        Descent=round(font.descent * scale),
        CapHeight=round(font.ascent * scale),
        StemV=80,
        FontFile3=pdf.make_indirect(file),
    )
    identity = pikepdf.Dictionary(
        Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0
    )
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.CIDFontType0,
        BaseFont=name,
        CIDSystemInfo=identity,
        CIDToGIDMap=pikepdf.Name.Identity,
        W=pikepdf.Array(widths),
        FontDescriptor=pdf.make_indirect(descriptor),
    )
    type0 = pikepdf.Dictionary(
        Type=pikepdf.Name.Font,
        Subtype=pikepdf.Name.Type0,
        BaseFont=name,
        Encoding=pikepdf.Name("/Identity-H"),
        DescendantFonts=pikepdf.Array([pdf.make_indirect(cid_font)]),
        ToUnicode=pdf.make_indirect(
            pikepdf.Stream(pdf, _to_unicode({renumber[g]: c for g, c in used.items()}))
        ),
    )
    return pdf.make_indirect(type0), renumber
