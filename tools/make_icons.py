"""Draw the web app's icons once: a brand-red square with a white 民 (run by hand, the PNGs are
kept under static/icons/).

    .venv/bin/python tools/make_icons.py [/path/to/font.ttc]
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

RED = (198, 40, 40)  # #c62828, the brand red
WHITE = (255, 255, 255)
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
OUT = Path(__file__).resolve().parent.parent / "static" / "icons"


def draw(size: int, *, glyph_share: float, rounded: bool, font_path: str) -> Image.Image:
    """One icon: ``glyph_share`` of the side is the glyph (a maskable icon keeps it inside the
    central safe zone, 80 %, and fills the whole square)."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if rounded:
        pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=RED)
    else:
        pen.rectangle((0, 0, size, size), fill=RED)
    font = ImageFont.truetype(font_path, int(size * glyph_share))
    left, top, right, bottom = pen.textbbox((0, 0), "民", font=font)
    x = (size - (right - left)) / 2 - left
    y = (size - (bottom - top)) / 2 - top
    pen.text((x, y), "民", font=font, fill=WHITE)
    return image


def main(font_path: str = FONT) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, glyph_share=0.62, rounded=True, font_path=font_path).save(
            OUT / f"icon-{size}.png", optimize=True
        )
    draw(512, glyph_share=0.46, rounded=False, font_path=font_path).save(
        OUT / "maskable-512.png", optimize=True
    )
    draw(180, glyph_share=0.6, rounded=False, font_path=font_path).save(
        OUT / "apple-touch-icon.png", optimize=True
    )
    small = [draw(s, glyph_share=0.78, rounded=True, font_path=font_path) for s in (16, 32, 48)]
    small[-1].save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    small[1].save(OUT / "favicon-32.png", optimize=True)


if __name__ == "__main__":
    main(*sys.argv[1:2])
