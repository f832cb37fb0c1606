"""A compact copy of Noto Serif CJK SC for certificates: GB 2312 and punctuation, low glyph ids.

Why: WeasyPrint subsets the embedded font of every PDF while *retaining glyph ids*. Noto Serif
CJK SC has 65,535 glyphs, so each certificate carried tables sized for all of them (≈170 KB) and
spent more time subsetting and compressing the font than laying out the page. A copy holding the
GB 2312 set (the 6,763 characters of everyday Chinese, ~7,600 glyphs, renumbered from 1) makes
each subset small and fast. Characters outside it (rare characters in names) fall back to the
full Debian font through the CSS family list, so nothing prints as a missing glyph (ADR 0129).

The copy is made once per machine with HarfBuzz's subsetter (milliseconds, same library
WeasyPrint uses) from the font fontconfig finds, and cached in ``XUESHI_CERTIFICATES_PDF_FONT_DIR``
(default: the system temp directory). When HarfBuzz or the font is missing, certificates use the
full font: slower, same look.
"""

from __future__ import annotations

import functools
import logging
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)

FAMILY = "Noto Serif CJK SC"
COMPACT_FAMILY = "Xueshi Serif SC"
RANGES = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xFF),  # Latin-1 (·, ×, °)
    (0x2000, 0x206F),  # general punctuation (—, …, ‰)
    (0x2100, 0x218F),  # letterlike and number forms (℃, Ⅰ)
    (0x2460, 0x24FF),  # circled numbers
    (0x3000, 0x303F),  # CJK punctuation (、。《》「」)
    (0xFF00, 0xFFEF),  # full-width forms (（），：)
)
DROP_TABLES = (b"GSUB", b"GPOS", b"BASE", b"JSTF", b"DSIG")

_CDEF = """
typedef struct hb_blob_t hb_blob_t; typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t; typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
void hb_blob_destroy(hb_blob_t *blob); void hb_face_destroy(hb_face_t *face);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned value);
void hb_set_add(hb_set_t *set, unsigned int codepoint);
void hb_set_add_range(hb_set_t *set, unsigned int first, unsigned int last);
unsigned int hb_tag_from_string(const char *str, int len);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
SETS_UNICODE, SETS_DROP_TABLE = 1, 3
FLAG_NO_HINTING, FLAG_NO_LAYOUT_CLOSURE = 0x1, 0x200


@functools.lru_cache(maxsize=4)
def hb_library(extra_cdef: str = "") -> tuple[Any, Any]:
    """HarfBuzz's subsetter through cffi (the library WeasyPrint loads too), and its ``FFI``."""
    from cffi import FFI

    ffi = FFI()
    ffi.cdef(_CDEF + extra_cdef)
    return ffi.dlopen("libharfbuzz-subset.so.0"), ffi


def gb2312_characters() -> list[int]:
    """Every character of GB 2312 (hanzi and symbols), decoded from its two-byte table."""
    found = []
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.append(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def find_font(family: str = FAMILY) -> tuple[Path, int] | None:
    """The file and face index fontconfig uses for ``family`` (regular), or ``None``."""
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{family}\n%{file}\n%{index}", f"{family}:style=Regular"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(out) < 3 or family not in out[0].split(","):
        return None
    return Path(out[1]), int(out[2] or 0)


def subset_font(source: Path, index: int, codepoints: list[int], target: Path) -> None:
    """Write the face ``index`` of ``source``, cut to ``codepoints``, to ``target`` (atomically)."""
    hb, ffi = hb_library()
    blob = hb.hb_blob_create_from_file_or_fail(str(source).encode())
    if blob == ffi.NULL:
        raise OSError(f"cannot read font {source}")
    face = hb.hb_face_create(blob, index)
    subset_input = hb.hb_subset_input_create_or_fail()
    unicodes = hb.hb_subset_input_set(subset_input, SETS_UNICODE)
    for first, last in RANGES:
        hb.hb_set_add_range(unicodes, first, last)
    for codepoint in codepoints:
        hb.hb_set_add(unicodes, codepoint)
    drop = hb.hb_subset_input_set(subset_input, SETS_DROP_TABLE)
    for tag in DROP_TABLES:
        hb.hb_set_add(drop, hb.hb_tag_from_string(tag, 4))
    hb.hb_subset_input_set_flags(subset_input, FLAG_NO_HINTING | FLAG_NO_LAYOUT_CLOSURE)
    result = hb.hb_subset_or_fail(face, subset_input)
    try:
        if result == ffi.NULL:
            raise OSError(f"HarfBuzz could not subset {source}")
        out_blob = hb.hb_face_reference_blob(result)
        length = ffi.new("unsigned int *")
        data = ffi.buffer(hb.hb_blob_get_data(out_blob, length), length[0])[:]
        hb.hb_blob_destroy(out_blob)
    finally:
        if result != ffi.NULL:
            hb.hb_face_destroy(result)
        hb.hb_subset_input_destroy(subset_input)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    os.replace(partial, target)


def font_dir() -> Path:
    """Where the compact font is cached (``XUESHI_CERTIFICATES_PDF_FONT_DIR``)."""
    configured = getattr(settings, "XUESHI_CERTIFICATES_PDF_FONT_DIR", "")
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "xueshi-certificate-fonts"


@functools.lru_cache(maxsize=1)
def compact_font() -> Path | None:
    """The cached compact font, made on first use; ``None`` when it cannot be made (full font then)."""
    found = find_font()
    if found is None:
        log.warning(
            "font %s not found by fontconfig: certificates use whatever serif font is installed", FAMILY
        )
        return None
    source, index = found
    stat = source.stat()
    target = font_dir() / f"{source.stem}-{index}-{stat.st_size}-{int(stat.st_mtime)}-gb2312.otf"
    if not target.is_file():
        try:
            subset_font(source, index, gb2312_characters(), target)
        except (OSError, AttributeError, ImportError) as error:
            log.warning("compact certificate font not made (%s): using the full %s", error, FAMILY)
            return None
    return target


def font_face_css() -> str:
    """An ``@font-face`` rule naming the compact font, or nothing when there is none."""
    path = compact_font()
    if path is None:
        return ""
    return f'@font-face {{ font-family: "{COMPACT_FAMILY}"; src: url("{path.as_uri()}"); }}'
