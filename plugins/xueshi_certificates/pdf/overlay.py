"""Where the per-certificate text goes: read off a WeasyPrint layout of the operator's template.

The certificate's variable values reach the template wrapped in ``<span data-xs=KEY>`` (no style,
so the layout is WeasyPrint's own). Two layouts are compared: the probe (A) and the same
certificate with every one-line value one character shorter and a larger QR code (B). Every box
that holds no variable text must stay where it was (else the template's layout depends on the
values and the overlay cannot express it: full rendering); each line holding a variable value is
anchored where A and B agree (its left edge, right edge or centre). Lines with variable text and
the QR code are then taken out of A's boxes and A is written once: the static page (ADR 0360).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.text.line_break import split_first_line

from .cidfont import FontMetrics
from .fonts import COMPACT_FAMILY
from .marks import PARAGRAPH_KEYS

MARK_ATTR = "data-xs"

EPSILON = 0.02  # px: layouts of the same template agree to far better than this
SVG_TAG = "{http://www.w3.org/2000/svg}svg"
_MARKED = re.compile(rf"<span {MARK_ATTR}=([\w.-]+)>(.*?)</span>")


class NotExpressible(Exception):
    """The template's layout cannot be reproduced by stamping: render it in full (with the reason)."""


@dataclass(frozen=True)
class Run:
    """Text in one style: fixed text (``key`` is None) or the value named ``key``."""

    key: str | None
    text: str
    size: float  # px
    spacing: float  # px after each glyph (letter-spacing)
    color: tuple[float, float, float]
    baseline: float  # px from the top of the page


@dataclass(frozen=True)
class Line:
    """One line holding a variable value, redrawn whole: its runs, anchor and room."""

    runs: tuple[Run, ...]
    anchor: str  # "left" | "right" | "center"
    x: float  # the anchored edge (or the centre), px
    limit: float  # widest the line may get before WeasyPrint would have wrapped it, px


@dataclass(frozen=True)
class Paragraph:
    """A block holding one value over several lines (the sentence citing the rule)."""

    key: str
    style: Any  # WeasyPrint's computed style: lines are broken by WeasyPrint's own function
    x: float
    width: float
    indent: float
    run: Run  # style of its text; baseline of the first line
    baselines: tuple[float, ...]


@dataclass
class Recipe:
    """A static page and what to print on it."""

    static_pdf: bytes
    lines: list[Line] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    qr: tuple[float, float, float] | None = None  # x, y, side of the QR code's box, px
    info: dict[str, str] = field(default_factory=dict)  # document info with marked values


def _key(box: Any) -> str | None:
    element = getattr(box, "element", None)
    return None if element is None or not hasattr(element, "get") else element.get(MARK_ATTR)


def _text_boxes(line: Any) -> list[Any]:
    found: list[Any] = []
    for child in line.children:
        if isinstance(child, boxes.TextBox):
            found.append(child)
        elif isinstance(child, boxes.InlineBox):
            found += _text_boxes(child)
        else:
            raise NotExpressible(f"a line with variable text also holds a {type(child).__name__}")
    return found


def _run(box: Any, key: str | None, font: FontMetrics) -> Run:
    style = box.style
    if (
        style["font_family"][0] != COMPACT_FAMILY
        or style["font_weight"] != 400
        or style["font_style"] != "normal"
    ):
        raise NotExpressible(f"text {box.text!r} is not in the regular compact font")
    color = style["color"].to("srgb")
    if color.alpha != 1:
        raise NotExpressible("translucent variable text")
    if font.glyphs(box.text) is None:
        raise NotExpressible(f"text {box.text!r} needs the fallback font")
    spacing = style["letter_spacing"]
    return Run(
        key=key,
        text=box.text,
        size=style["font_size"],
        spacing=0.0 if spacing == "normal" else float(spacing),
        color=tuple(color.coordinates),
        baseline=box.position_y + box.baseline,
    )


def _walk(box: Any, parent: Any, found: list[tuple[Any, Any]]) -> None:
    """Every (box, parent) pair of the page, in tree order."""
    found.append((box, parent))
    for child in getattr(box, "children", ()):
        _walk(child, box, found)


def _same_place(a: Any, b: Any) -> bool:
    return all(
        abs(getattr(a, name) - getattr(b, name)) < EPSILON
        for name in ("position_x", "position_y", "width", "height")
        if isinstance(getattr(a, name), int | float)
    )


def _edges(line: Any) -> tuple[float, float]:
    texts = _text_boxes(line)
    return texts[0].position_x, texts[-1].position_x + texts[-1].width


def _anchor(line_a: Any, line_b: Any, block: Any) -> str:
    (left_a, right_a), (left_b, right_b) = _edges(line_a), _edges(line_b)
    if abs((right_a - left_a) - (right_b - left_b)) < EPSILON:  # no value got shorter: CSS says
        align = block.style["text_align_all"]
        return "center" if align == "center" else "right" if align in ("right", "end") else "left"
    if abs(left_a - left_b) < EPSILON:
        return "left"
    if abs(right_a - right_b) < EPSILON:
        return "right"
    if abs((left_a + right_a) - (left_b + right_b)) < 2 * EPSILON:
        return "center"
    raise NotExpressible("a line with variable text moves in a way no anchor explains")


def _limit(block: Any, page_width: float) -> float:
    """How wide the line may grow: its block, or the page for a shrink-to-fit positioned box."""
    if block.style["position"] in ("absolute", "fixed") and block.style["width"] == "auto":
        return page_width
    return float(block.width)


def _line(line_a: Any, line_b: Any, block: Any, font: FontMetrics, page_width: float) -> Line:
    runs = tuple(_run(box, _key(box), font) for box in _text_boxes(line_a))
    left, right = _edges(line_a)
    measured = sum(font.width(font.glyphs(r.text) or [], r.size, r.spacing) for r in runs)
    if abs(measured - (right - left)) > 0.05:
        raise NotExpressible(f"line {''.join(r.text for r in runs)!r} measures differently")
    anchor = _anchor(line_a, line_b, block)
    x = left if anchor == "left" else right if anchor == "right" else (left + right) / 2
    return Line(runs=runs, anchor=anchor, x=x, limit=max(_limit(block, page_width), right - left))


def split_lines(text: str, style: Any, width: float, indent: float) -> list[str]:
    """``text`` broken into lines as WeasyPrint breaks it (its own function, same style)."""
    lines, first = [], True
    context = type("Context", (), {"dictionaries": {}})()
    while text:
        _, length, resume, *_ = split_first_line(text, style, context, width - (indent if first else 0), 0)
        encoded = text.encode()
        lines.append(encoded[:length].decode().rstrip(" "))
        if resume is None:
            break
        text, first = encoded[resume:].decode(), False
    return lines


def _paragraph(block: Any, lines: list[Any], value: str, font: FontMetrics) -> Paragraph:
    if block.style["text_align_all"] not in ("start", "left"):
        raise NotExpressible("a variable paragraph that is not left-aligned")
    texts = [_text_boxes(line) for line in lines]
    if any(len(t) != 1 for t in texts):
        raise NotExpressible("a variable paragraph with more than one run on a line")
    x, width, indent = block.content_box_x(), block.width, lines[0].text_indent
    style = texts[0][0].style
    if split_lines(value, style, width, indent) != [t[0].text for t in texts]:
        raise NotExpressible("a variable paragraph breaks differently from WeasyPrint")
    return Paragraph(
        key=_key(texts[0][0]) or "",
        style=style,
        x=x,
        width=width,
        indent=indent,
        run=_run(texts[0][0], _key(texts[0][0]), font),
        baselines=tuple(t[0].position_y + t[0].baseline for t in texts),
    )


def analyse(doc_a: Any, doc_b: Any, values: dict[str, str], font: FontMetrics) -> tuple[Recipe, list[Any]]:
    """The recipe read off layouts A and B, and the boxes to drop from A before writing it."""
    if len(doc_a.pages) != 1 or len(doc_b.pages) != 1:
        raise NotExpressible("the probe layouts are not one page each")
    page_a, page_b = doc_a.pages[0]._page_box, doc_b.pages[0]._page_box
    flat_a: list[tuple[Any, Any]] = []
    flat_b: list[tuple[Any, Any]] = []
    _walk(page_a, None, flat_a)
    _walk(page_b, None, flat_b)
    if [type(b) for b, _ in flat_a] != [type(b) for b, _ in flat_b]:
        raise NotExpressible("the layout's structure depends on the values")
    recipe, drop = Recipe(static_pdf=b""), []
    paragraphs: dict[int, tuple[Any, list[Any]]] = {}
    inside_line: set[int] = set()
    moved: list[tuple[Any, Any]] = []
    for (box_a, parent_a), (box_b, _) in zip(flat_a, flat_b, strict=True):
        if id(box_a) in inside_line:
            inside_line.update(id(c) for c in getattr(box_a, "children", ()))
            continue
        if isinstance(box_a, boxes.LineBox) and any(_key(t) for t in _text_boxes_or_none(box_a)):
            inside_line.update(id(c) for c in box_a.children)
            keys = {_key(t) for t in _text_boxes(box_a)}
            if keys & PARAGRAPH_KEYS:
                if len(keys) != 1:
                    raise NotExpressible("a variable paragraph shares a line with other text")
                paragraphs.setdefault(id(parent_a), (parent_a, []))[1].append(box_a)
            else:
                recipe.lines.append(_line(box_a, box_b, parent_a, font, page_a.width))
            drop.append(box_a)
        elif (
            isinstance(box_a, boxes.ReplacedBox)
            and box_a.element.tag == SVG_TAG
            and "qr" in (box_a.element.get("class") or "").split()
        ):
            if not _same_place(box_a, box_b) or recipe.qr is not None or box_a.width != box_a.height:
                raise NotExpressible("the QR code's box depends on its content")
            recipe.qr = (box_a.content_box_x(), box_a.content_box_y(), box_a.width)
            drop.append((parent_a, box_a))
        elif not _same_place(box_a, box_b):
            moved.append((box_a, box_b))
    parents = {id(box): parent for box, parent in flat_a}
    holders = {id(p) for line in drop if not isinstance(line, tuple) for p in _ancestors(line, parents)}
    for box_a, box_b in moved:
        if id(box_a) not in holders or not _plain_shrink(box_a, box_b):
            raise NotExpressible(f"a {type(box_a).__name__} moves with the values")
    stamped = [run.key for line in recipe.lines for run in line.runs if run.key]
    if len(stamped) != len(set(stamped)):
        raise NotExpressible("a one-line value wraps onto a second line")
    recipe.paragraphs = [
        _paragraph(block, lines, values[_key(_text_boxes(lines[0])[0]) or ""], font)
        for block, lines in paragraphs.values()
    ]
    return recipe, drop


def _ancestors(box: Any, parents: dict[int, Any]) -> list[Any]:
    found = []
    while (box := parents.get(id(box))) is not None:
        found.append(box)
    return found


def _plain_shrink(a: Any, b: Any) -> bool:
    """A box holding a variable line that only moved sideways and draws nothing of its own.

    A right-anchored shrink-to-fit box (the serial in the corner) follows its text; the stamped
    line is anchored for that, and the box itself paints nothing, so the static page is the same.
    """
    style = a.style
    invisible = all(style[f"border_{side}_width"] == 0 for side in ("top", "right", "bottom", "left"))
    invisible = (
        invisible and style["background_color"].alpha == 0 and not any(style["background_image"][0][1:])
    )
    same_rows = abs(a.position_y - b.position_y) < EPSILON and abs(a.height - b.height) < EPSILON
    return invisible and same_rows


def _text_boxes_or_none(line: Any) -> list[Any]:
    try:
        return _text_boxes(line)
    except NotExpressible:  # an image on a line: fine if no variable text is on it
        return [c for c in line.children if isinstance(c, boxes.TextBox)]


def page_text(document: Any) -> str:
    """All text of the first page in box order (marks add boxes, never characters)."""
    found: list[tuple[Any, Any]] = []
    _walk(document.pages[0]._page_box, None, found)
    return "".join(box.text for box, _ in found if isinstance(box, boxes.TextBox))


def strip(drop: list[Any]) -> None:
    """Take variable lines (their content) and the QR code out of the laid-out page."""
    for item in drop:
        if isinstance(item, tuple):
            parent, box = item
            parent.children = [c for c in parent.children if c is not box]
        else:
            item.children = []


def unmark(text: str, values: dict[str, str]) -> str:
    """Document info written with marked values (``<span data-xs=k>…</span>``), filled for one doc."""
    return _MARKED.sub(lambda m: values.get(m.group(1), m.group(2)), text)
