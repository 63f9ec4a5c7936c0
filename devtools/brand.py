"""Draw the integration's brand images with Pillow.

Writes ``icon.png`` (256x256), ``icon@2x.png`` (512x512), ``logo.png``
(landscape, 256 px high) and ``logo@2x.png`` (512 px high) to
``custom_components/quephong_office/brand/``.  The design is a stylised office
building (trụ sở) whose facade holds a camera lens, in red ``#C8102E`` and gold
``#F2B705`` on a transparent background.

CLI::

    python -m devtools.brand [--out DIR]
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

__all__ = ["draw_icon", "draw_logo", "main", "write_brand"]

RED = (200, 16, 46)
RED_DARK = (150, 8, 32)
RED_LIGHT = (222, 36, 64)
GOLD = (242, 183, 5)
GOLD_DARK = (196, 138, 0)
WHITE = (255, 255, 255)

BRAND_DIR = (
    Path(__file__).resolve().parent.parent / "custom_components" / "quephong_office" / "brand"
)
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/Library/Fonts/DejaVuSans-Bold.ttf",
)
TITLE = "Quế Phong"
SUBTITLE = "Office"
_SS = 4  # supersampling factor


def _font(size: int) -> ImageFont.FreeTypeFont:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    raise FileNotFoundError(
        "DejaVu Sans Bold not found (Debian: apt-get install fonts-dejavu-core)"
    )


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    pts = []
    for k in range(10):
        rad = r if k % 2 == 0 else r * 0.40
        ang = math.radians(-90 + 36 * k)
        pts.append((cx + rad * math.cos(ang), cy + rad * math.sin(ang)))
    return pts


def _vertical_gradient(
    size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]
) -> Image.Image:
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(height - 1, 1)
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    return column.resize((width, height))


def _icon_hires(n: int) -> Image.Image:
    """The icon drawn at ``n`` x ``n`` pixels (already supersampled)."""
    img = Image.new("RGBA", (n, n), (0, 0, 0, 0))

    def p(v: float) -> float:
        return v * n

    # tile: rounded square with a soft vertical gradient
    mask = Image.new("L", (n, n), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, n - 1, n - 1), radius=round(p(0.22)), fill=255)
    tile = _vertical_gradient((n, n), RED_LIGHT, RED_DARK).convert("RGBA")
    img.paste(tile, (0, 0), mask)

    # soft shadow under the building
    shadow = Image.new("L", (n, n), 0)
    sd = ImageDraw.Draw(shadow)
    off = p(0.015)
    sd.polygon(
        [(p(0.5), p(0.135) + off), (p(0.86), p(0.345) + off), (p(0.14), p(0.345) + off)],
        fill=110,
    )
    sd.rectangle((p(0.15), p(0.35) + off, p(0.85), p(0.84) + off), fill=110)
    shadow = shadow.filter(ImageFilter.GaussianBlur(p(0.018)))
    shadow = ImageChops.multiply(shadow, mask)
    img.paste((60, 0, 10, 255), (0, 0), shadow)

    d = ImageDraw.Draw(img)
    # pediment (roof) with a red star
    d.polygon([(p(0.5), p(0.135)), (p(0.86), p(0.345)), (p(0.14), p(0.345))], fill=GOLD)
    d.polygon([(p(0.5), p(0.2)), (p(0.745), p(0.318)), (p(0.255), p(0.318))], fill=RED)
    d.polygon(_star(p(0.5), p(0.262), p(0.047)), fill=GOLD)
    # entablature
    d.rectangle((p(0.15), p(0.355), p(0.85), p(0.405)), fill=GOLD)
    # columns on both sides of the lens
    for cx in (0.215, 0.315, 0.685, 0.785):
        d.rectangle((p(cx - 0.032), p(0.435), p(cx + 0.032), p(0.715)), fill=GOLD)
    # base steps
    d.rectangle((p(0.15), p(0.735), p(0.85), p(0.775)), fill=GOLD)
    d.rectangle((p(0.11), p(0.795), p(0.89), p(0.84)), fill=GOLD)
    # camera lens / eye in the middle of the facade
    cx, cy = p(0.5), p(0.575)
    r_out, r_glass = p(0.135), p(0.092)
    d.ellipse((cx - r_out, cy - r_out, cx + r_out, cy + r_out), fill=GOLD)
    d.ellipse((cx - r_glass, cy - r_glass, cx + r_glass, cy + r_glass), fill=RED_DARK)
    r_pupil = p(0.047)
    d.ellipse((cx - r_pupil, cy - r_pupil, cx + r_pupil, cy + r_pupil), fill=GOLD)
    gx, gy, gr = cx - p(0.042), cy - p(0.042), p(0.02)
    d.ellipse((gx - gr, gy - gr, gx + gr, gy + gr), fill=WHITE)
    return img


def draw_icon(size: int = 256) -> Image.Image:
    """Return the square icon as an RGBA image of ``size`` x ``size``."""
    return _icon_hires(size * _SS).resize((size, size), Image.Resampling.LANCZOS)


def draw_logo(height: int = 256) -> Image.Image:
    """Return the landscape logo (icon and name) as an RGBA image ``height`` high."""
    n = height * _SS
    icon = _icon_hires(n)
    title_font = _font(round(n * 0.36))
    sub_font = _font(round(n * 0.24))
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    tb = probe.textbbox((0, 0), TITLE, font=title_font, anchor="ls")
    sb = probe.textbbox((0, 0), SUBTITLE, font=sub_font, anchor="ls")
    gap = round(n * 0.12)
    text_w = round(max(tb[2] - tb[0], sb[2] - sb[0]))
    width = n + gap + text_w + round(n * 0.02)
    img = Image.new("RGBA", (width, n), (0, 0, 0, 0))
    img.paste(icon, (0, 0), icon)
    d = ImageDraw.Draw(img)
    x0 = n + gap
    # Baselines chosen so that the stacked diacritics of "Quế" stay inside.
    title_base = round(n * 0.50)
    sub_base = round(n * 0.86)
    d.text((x0 - tb[0], title_base), TITLE, font=title_font, fill=RED, anchor="ls")
    d.text((x0 - sb[0], sub_base), SUBTITLE, font=sub_font, fill=GOLD_DARK, anchor="ls")
    # gold accent rule between the lines
    rule_y = round(n * 0.60)
    d.rounded_rectangle(
        (x0, rule_y, x0 + round(text_w * 0.42), rule_y + round(n * 0.035)),
        radius=round(n * 0.017),
        fill=GOLD,
    )
    out = img.resize((max(1, round(width / _SS)), height), Image.Resampling.LANCZOS)
    bbox = out.getbbox()
    if bbox is not None:
        out = out.crop((0, 0, bbox[2], height))
    return out


def write_brand(out_dir: Path = BRAND_DIR) -> list[Path]:
    """Write icon.png, icon@2x.png, logo.png and logo@2x.png; return the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    logo2x = draw_logo(512)
    if logo2x.width % 2:  # keep logo@2x exactly twice the size of logo
        padded = Image.new("RGBA", (logo2x.width + 1, logo2x.height), (0, 0, 0, 0))
        padded.paste(logo2x, (0, 0))
        logo2x = padded
    logo = logo2x.resize((logo2x.width // 2, 256), Image.Resampling.LANCZOS)
    images = {
        "icon.png": draw_icon(256),
        "icon@2x.png": draw_icon(512),
        "logo.png": logo,
        "logo@2x.png": logo2x,
    }
    paths = []
    for name, image in images.items():
        path = out_dir / name
        image.save(path, format="PNG", optimize=True)
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m devtools.brand", description="Draw the brand images."
    )
    parser.add_argument("--out", type=Path, default=BRAND_DIR)
    args = parser.parse_args(argv)
    for path in write_brand(args.out):
        with Image.open(path) as image:
            print(f"{path}: {image.size[0]}x{image.size[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
