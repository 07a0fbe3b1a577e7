"""Report benchmark (issue 6), measured against a baseline in the same run.

Twenty 12-megapixel JPEG photos (4000 × 3000, gradients, shapes and sensor-like noise, so they
weigh what a phone's pictures weigh) are attached to a deliverable of one assistance in a
temporary profile. Then:

- baseline: decoding and downscaling the same twenty files with Pillow alone (open, reduced-scale
  JPEG decoding with ``draft``, ``thumbnail`` to the size the report embeds them at — 300 dpi at
  their printed size, at most 1600 px: the least any report must do with them);
- report: ``services.reports.build(profile, "assistance", …)``, the whole informe de asistencia
  técnica (reading the profile, checking each photo's bytes, downscaling and re-encoding them,
  laying out and writing the PDF).

Prints both times (median of the runs, alternated), the ratio (target <= 2.0) and the size of the
PDF (target < 8 MB).

    python benchmarks/reports.py [--photos 20] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from fieldkit.services import assistances, deliverables, forms, persons, reports
from fieldkit.services.assistances import AssistanceInput, CounterpartInput
from fieldkit.services.deliverables import DeliverableInput
from fieldkit.services.profile import Profile

SIZE = (4000, 3000)
MAX_SIDE = 1600


def _texture() -> Image.Image:
    """Detail at every scale (leaves, walls, fabric): noise at three sizes, summed. It survives
    the downscaling the way a real scene does, where plain per-pixel noise would average away."""

    def octave(width: int, height: int, sigma: float) -> Image.Image:
        return Image.effect_noise((width, height), sigma).resize(SIZE, Image.Resampling.BICUBIC)

    channels = [
        ImageChops.add(
            ImageChops.add(octave(1000, 750, 60), octave(250, 188, 60), scale=2),
            octave(2000, 1500, 50),
            scale=1.4,
        )
        for _ in range(3)
    ]
    return Image.merge("RGB", channels)


def make_photos(folder: Path, count: int) -> list[Path]:
    """Phone-like pictures (3–5 MB each): a sky-to-ground gradient, shapes, and textured detail."""
    rng = random.Random(6)
    width, height = SIZE
    texture = _texture()
    ramp = Image.linear_gradient("L").resize(SIZE)
    out = []
    for n in range(count):
        top = [rng.randrange(60, 230) for _ in range(3)]
        bottom = [rng.randrange(20, 160) for _ in range(3)]
        bands = [
            ramp.point(lambda v, a=a, b=b: a + (b - a) * v // 255)
            for a, b in zip(top, bottom, strict=True)
        ]
        image = Image.merge("RGB", bands)
        draw = ImageDraw.Draw(image)
        for _ in range(40):
            x, y = rng.randrange(width), rng.randrange(height)
            box = (x, y, x + rng.randrange(80, 900), y + rng.randrange(80, 700))
            color = tuple(rng.randrange(256) for _ in range(3))
            if rng.random() < 0.5:
                draw.ellipse(box, fill=color)
            else:
                draw.rectangle(box, fill=color)
        shifted = ImageChops.offset(texture, rng.randrange(width), rng.randrange(height))
        image = Image.blend(image, shifted, rng.uniform(0.25, 0.4))
        path = folder / f"IMG_2026031{n % 10}_{n:04d}.jpg"
        image.save(path, "JPEG", quality=92)
        out.append(path)
    return out


def baseline(paths: list[Path], side: int) -> float:
    """Decode and downscale each photo with Pillow alone, to the size the report embeds."""
    start = time.perf_counter()
    for path in paths:
        with Image.open(path) as image:
            width, height = image.size
            scale = side / max(width, height)
            image.draft("RGB", (round(width * scale), round(height * scale)))
            image.load()
            image.thumbnail((side, side), Image.Resampling.BICUBIC)
    return time.perf_counter() - start


def embedded_side(pdf: Path) -> int:
    """The long side of the largest photo in the PDF."""
    from pypdf import PdfReader

    side = 0
    for page in PdfReader(pdf).pages:
        xobjects = page["/Resources"].get_object().get("/XObject")
        for xobject in xobjects.get_object().values() if xobjects else ():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Image":
                side = max(side, int(xobject["/Width"]), int(xobject["/Height"]))
    return side


def setup(folder: Path, photos: list[Path]) -> tuple[Profile, str]:
    profile = Profile(folder / "perfil", device_name="Banco de pruebas", role="coordinator")
    lead, _ = persons.save_person(profile, name="Luz Dary Angulo Cortés", role="field_professional")
    code, _ = assistances.create_assistance(
        profile,
        AssistanceInput(
            "52835",
            "PAZ",
            team=[lead],
            counterparts=[CounterpartInput("Dora Cabezas Quiñones", "Secretaria de Planeación")],
        ),
    )
    deliverable, _ = deliverables.create(
        profile, code, DeliverableInput("guide", "Guía de presupuesto participativo")
    )
    for n, path in enumerate(photos, start=1):
        deliverables.add_file(
            profile,
            deliverable,
            path,
            caption=f"Taller con las juntas de acción comunal ({n})",
            purpose=deliverables.PHOTO,
        )
    return profile, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "fotos").mkdir()
        start = time.perf_counter()
        photos = make_photos(folder / "fotos", args.photos)
        megabytes = sum(p.stat().st_size for p in photos) / 1e6
        print(
            f"{len(photos)} photos of {SIZE[0]}×{SIZE[1]} made in "
            f"{time.perf_counter() - start:.1f} s ({megabytes:.1f} MB, "
            f"{megabytes / len(photos):.1f} MB each)"
        )
        profile, code = setup(folder, photos)
        try:
            stored = [
                forms.attachment_path(profile, f.id)
                for d in deliverables.list_for(profile, code)
                for f in d.files
            ]
            out = folder / "informe.pdf"
            reports.build(profile, "assistance", code, out)  # warm-up; tells the embedded size
            side = embedded_side(out)
            base_times, report_times = [], []
            result = None
            for _ in range(args.runs):
                base_times.append(baseline(stored, side))
                start = time.perf_counter()
                result = reports.build(profile, "assistance", code, out)
                report_times.append(time.perf_counter() - start)
            assert result is not None
            base, report = statistics.median(base_times), statistics.median(report_times)
            ratio = report / base
            size = out.stat().st_size / 1e6
            print(
                f"baseline, decode + downscale to {side} px with Pillow alone: {base:.2f} s "
                "(median)"
            )
            print(
                f"report, build(profile, 'assistance', …): {report:.2f} s (median; "
                f"{result.pages} pages, {len(result.warnings)} warnings)"
            )
            print(f"ratio: {ratio:.2f} (target <= 2.0) {'OK' if ratio <= 2.0 else 'OVER TARGET'}")
            print(f"PDF size: {size:.2f} MB (target < 8 MB) {'OK' if size < 8 else 'OVER TARGET'}")
        finally:
            profile.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
