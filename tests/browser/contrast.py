"""WCAG 2.x contrast of an element's text against what is painted behind it, from computed styles.

``COLOURS`` (run in the page) returns the text colour and the background layers from the element
up to the root; :func:`contrast_of` blends the translucent layers over white (the canvas) and
returns the ratio (1 to 21). AA asks 4.5:1 for normal text.
"""

from __future__ import annotations

import re
from typing import Any

COLOURS = """(selector) => {
  const node = document.querySelector(selector);
  const layers = [];
  for (let el = node; el; el = el.parentElement) { layers.push(getComputedStyle(el).backgroundColor); }
  return {text: getComputedStyle(node).color, layers};
}"""

RGBA = tuple[float, float, float, float]


def _parse(css: str) -> RGBA:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    red, green, blue = numbers[:3]
    return red, green, blue, numbers[3] if len(numbers) > 3 else 1.0


def _over(top: RGBA, below: tuple[float, float, float]) -> tuple[float, float, float]:
    alpha = top[3]
    return tuple(top[i] * alpha + below[i] * (1 - alpha) for i in range(3))  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_of(page: Any, selector: str) -> float:
    """The contrast ratio of the first element matching ``selector``, as painted."""
    found = page.evaluate(COLOURS, selector)
    background = (255.0, 255.0, 255.0)
    for layer in reversed(found["layers"]):  # root first, the element's own background last
        background = _over(_parse(layer), background)
    text = _over(_parse(found["text"]), background)
    lighter, darker = sorted((_luminance(text), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
