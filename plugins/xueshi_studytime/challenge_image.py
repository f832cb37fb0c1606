"""Draw a challenge's code as a small noisy PNG: easy for a person, a chore for a script.

No text of the code leaves the server; each request draws new noise, jitter and tilt, so two
fetches of one code never give the same bytes to compare or average cheaply.
"""

from __future__ import annotations

import io
import secrets

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT, FONT_SIZE = 168, 64, 40
_rng = secrets.SystemRandom()


def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=FONT_SIZE)
    except (TypeError, OSError):  # Pillow without FreeType: the fixed bitmap font, scaled up below
        return ImageFont.load_default()


def _glyph(char: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> Image.Image:
    tile = Image.new("RGBA", (FONT_SIZE + 8, FONT_SIZE + 16), (0, 0, 0, 0))
    ImageDraw.Draw(tile).text((8, 4), char, font=font, fill=(20, 20, 90, 255))
    if tile.getbbox() and (tile.getbbox()[3] - tile.getbbox()[1]) < FONT_SIZE // 3:  # bitmap font
        tile = tile.resize((tile.width * 3, tile.height * 3)).crop((0, 0, tile.width, tile.height))
    return tile.rotate(_rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC, expand=False)


def render_png(code: str) -> bytes:
    """The code drawn with per-digit tilt and jitter, crossing lines and speckles."""
    image = Image.new("RGB", (WIDTH, HEIGHT), (235 + _rng.randrange(20), 235, 225))
    draw = ImageDraw.Draw(image)
    for _ in range(320):
        x, y = _rng.randrange(WIDTH), _rng.randrange(HEIGHT)
        draw.point((x, y), fill=tuple(_rng.randrange(90, 200) for _ in range(3)))
    font = _font()
    step = (WIDTH - 16) // max(1, len(code))
    for index, char in enumerate(code):
        glyph = _glyph(char, font)
        image.paste(glyph, (8 + index * step + _rng.randrange(-4, 5), _rng.randrange(-2, 6)), glyph)
    for _ in range(5):
        points = [(_rng.randrange(WIDTH), _rng.randrange(HEIGHT)) for _ in range(2)]
        draw.line(points, fill=tuple(_rng.randrange(60, 160) for _ in range(3)), width=2)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
