"""Photos made small enough to embed: a 12-megapixel phone picture becomes at most 1600 pixels on
its long side — fewer when it is printed small: 300 dpi at the size it takes on paper is all a
printer uses —, turned as the camera said (EXIF orientation), and re-encoded as a JPEG of quality
80 that the PDF carries as it is.

JPEGs are decoded at a reduced scale (``Image.draft``): libjpeg skips most of the work for a
picture that will be shown a few centimetres wide.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

MAX_SIDE = 1600
PRINT_DPI = 300
QUALITY = 80
_ORIENTATION = 0x0112
_PASS_THROUGH_BYTES = 1_500_000  # a small JPEG already fit to embed is copied, not re-encoded


def _turn(orientation: int):  # type: ignore[no-untyped-def]
    """The transpose that shows the picture upright for an EXIF orientation (as ImageOps)."""
    from PIL import Image

    t = Image.Transpose
    return {
        2: t.FLIP_LEFT_RIGHT,
        3: t.ROTATE_180,
        4: t.FLIP_TOP_BOTTOM,
        5: t.TRANSPOSE,
        6: t.ROTATE_270,
        7: t.TRANSVERSE,
        8: t.ROTATE_90,
    }.get(orientation)


def pixels_for(points: float) -> int:
    """The long side in pixels a photo needs to print `points` long (1/72 in) at 300 dpi."""
    return max(64, min(MAX_SIDE, math.ceil(points / 72 * PRINT_DPI)))


class PhotoError(Exception):
    """The file is not an image Pillow can read (damaged, truncated, another format)."""


def _target(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, max_side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def prepare(source: Path, target: Path, max_side: int = MAX_SIDE) -> tuple[int, int]:
    """Write `source` downscaled to `target` (a .jpg); return its size in pixels."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(source) as image:
            orientation = image.getexif().get(_ORIENTATION, 1)
            if (
                image.format == "JPEG"
                and max(image.size) <= max_side
                and orientation in (0, 1)
                and image.mode in ("RGB", "L")
                and source.stat().st_size <= _PASS_THROUGH_BYTES
            ):
                shutil.copyfile(source, target)
                return image.size
            if image.format == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale when the result is still at least as big.
                image.draft("RGB", _target(image.size, max_side))
            image.load()
            image = _flatten(image)
            image.thumbnail((max_side, max_side), Image.Resampling.BICUBIC)
            turn = _turn(orientation)
            if turn is not None:
                image = image.transpose(turn)
            image.save(target, "JPEG", quality=QUALITY)
            return image.size
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError, Image.DecompressionBombError):
        target.unlink(missing_ok=True)
        raise PhotoError(str(source)) from None


def _flatten(image):  # type: ignore[no-untyped-def]
    """RGB (or grey) without transparency: a PNG with alpha goes onto white paper."""
    from PIL import Image

    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGB", rgba.size, "white")
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    return image.convert("RGB")
