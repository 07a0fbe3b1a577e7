"""Photos before they go into a PDF: downscaled, turned upright, flattened onto white, small JPEGs
passed through untouched, and anything that is not an image refused with PhotoError."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from fieldkit.reports.photos import MAX_SIDE, PhotoError, pixels_for, prepare


def jpeg(path: Path, size: tuple[int, int], orientation: int = 1) -> Path:
    """Left half red, right half blue: where each half ends up shows how it was turned."""
    image = Image.new("RGB", size, (0, 0, 220))
    image.paste((220, 0, 0), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    if orientation != 1:
        exif[0x0112] = orientation
    image.save(path, "JPEG", quality=90, exif=exif.tobytes())
    return path


def near(color: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(color, expected, strict=False))


def test_a_12_megapixel_photo_becomes_1600_pixels_or_what_the_print_needs(tmp_path: Path) -> None:
    source = jpeg(tmp_path / "grande.jpg", (4000, 3000))
    assert prepare(source, tmp_path / "a.jpg") == (MAX_SIDE, 1200)
    with Image.open(tmp_path / "a.jpg") as image:
        assert image.format == "JPEG" and image.size == (1600, 1200) and image.mode == "RGB"
        assert near(image.getpixel((100, 600)), (220, 0, 0))
    side = pixels_for(8.7 / 2.54 * 72)  # 8,7 cm on paper at 300 dpi
    assert side == 1028
    assert prepare(source, tmp_path / "b.jpg", side) == (1028, 771)
    assert pixels_for(72) == 300 and pixels_for(100_000) == MAX_SIDE


def test_the_camera_orientation_is_applied(tmp_path: Path) -> None:
    # Orientation 6: stored sideways, shown turned 90° clockwise (the left edge goes on top).
    source = jpeg(tmp_path / "vertical.jpg", (1600, 1200), orientation=6)
    assert prepare(source, tmp_path / "out.jpg") == (1200, 1600)
    with Image.open(tmp_path / "out.jpg") as image:
        assert near(image.getpixel((600, 100)), (220, 0, 0))
        assert near(image.getpixel((600, 1500)), (0, 0, 220))
        assert image.getexif().get(0x0112) in (None, 1)  # not turned a second time by a viewer


def test_transparent_images_go_onto_white_paper(tmp_path: Path) -> None:
    source = tmp_path / "logo.png"
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((0, 128, 0, 255), (0, 0, 150, 200))
    image.save(source)
    assert prepare(source, tmp_path / "out.jpg") == (300, 200)
    with Image.open(tmp_path / "out.jpg") as out:
        assert out.format == "JPEG" and out.mode == "RGB"
        assert near(out.getpixel((250, 100)), (255, 255, 255))
        assert near(out.getpixel((50, 100)), (0, 128, 0))


def test_a_small_upright_jpeg_is_passed_through_as_it_is(tmp_path: Path) -> None:
    source = jpeg(tmp_path / "pequena.jpg", (800, 600))
    assert prepare(source, tmp_path / "out.jpg") == (800, 600)
    assert (tmp_path / "out.jpg").read_bytes() == source.read_bytes()


@pytest.mark.parametrize(
    "content",
    [
        b"esto no es una imagen",
        b"\xff\xd8\xff\xe0" + b"\x00" * 200,  # a JPEG header and nothing else
        b"",
    ],
)
def test_what_is_not_an_image_is_refused(tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "foto.jpg"
    source.write_bytes(content)
    with pytest.raises(PhotoError):
        prepare(source, tmp_path / "out.jpg")
    assert not (tmp_path / "out.jpg").exists()


def test_a_truncated_photo_is_refused(tmp_path: Path) -> None:
    whole = jpeg(tmp_path / "entera.jpg", (2000, 1500)).read_bytes()
    cut = tmp_path / "cortada.jpg"
    cut.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(PhotoError):
        prepare(cut, tmp_path / "out.jpg")
    with pytest.raises(PhotoError):
        prepare(tmp_path / "no-existe.jpg", tmp_path / "out.jpg")
