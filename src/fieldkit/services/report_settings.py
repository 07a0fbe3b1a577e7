"""How this profile's reports look: the organization that issues them, its logo and the paper.

Kept as local profile values (never synced: each office prints on its own paper). The logo is
copied into the profile folder, reduced to a size fit for a header, so the report does not depend
on the file the person picked staying where it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import NamedTuple

from fieldkit.domain.errors import ValidationError
from fieldkit.services.profile import Profile

ORGANIZATION_KEY = "report_organization"
LOGO_KEY = "report_logo"
PAPER_KEY = "report_paper"
LETTER, A4 = "letter", "a4"
PAPERS = (LETTER, A4)
LOGO_FOLDER = "informes"
LOGO_MAX_SIDE = 600
LOGO_MAX_BYTES = 20 * 1024 * 1024
ORGANIZATION_MAX = 160


class ReportSettings(NamedTuple):
    organization: str
    logo: Path | None
    paper: str  # "letter" (Colombian default) or "a4"


def report_settings(profile: Profile) -> ReportSettings:
    values = profile.values
    logo = values.get(LOGO_KEY)
    paper = values.get(PAPER_KEY) or LETTER
    return ReportSettings(
        values.get(ORGANIZATION_KEY) or "",
        profile.data_dir / logo if logo else None,  # kept relative: the folder may move
        paper if paper in PAPERS else LETTER,
    )


def check_paper(paper: str) -> str:
    value = paper.strip().lower()
    aliases = {"carta": LETTER, "letter": LETTER, "a4": A4}
    if value not in aliases:
        raise ValidationError(
            "Tamaño de papel desconocido «{paper}». Use «letter» (carta) o «a4».", paper=paper
        )
    return aliases[value]


def _copy_logo(profile: Profile, source: Path) -> Path:
    """The logo as a PNG of at most 600 px in the profile folder (written whole, then renamed)."""
    from PIL import Image, UnidentifiedImageError

    source = Path(source).expanduser()
    if not source.is_file():
        raise ValidationError(
            "No existe el archivo del logo {path}. Elija una imagen PNG o JPEG.", path=str(source)
        )
    if source.stat().st_size > LOGO_MAX_BYTES:
        raise ValidationError(
            "El logo {path} pesa más de 20 MB. Elija una imagen más liviana (PNG o JPEG).",
            path=source.name,
        )
    folder = profile.data_dir / LOGO_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "logo.png"
    fd, tmp = tempfile.mkstemp(prefix=".logo-", suffix=".png", dir=folder)
    os.close(fd)
    try:
        with Image.open(source) as image:
            image.load()
            if image.mode not in ("RGB", "RGBA", "L", "LA"):
                image = image.convert("RGBA")
            image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
            image.save(tmp, "PNG")
        os.replace(tmp, target)
    except (OSError, ValueError, SyntaxError, UnidentifiedImageError, Image.DecompressionBombError):
        raise ValidationError(
            "No se pudo leer el logo {path}: no es una imagen válida. Elija un archivo PNG o JPEG.",
            path=source.name,
        ) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def set_report_settings(
    profile: Profile,
    *,
    organization: str | None = None,
    logo: Path | str | None = None,
    paper: str | None = None,
) -> ReportSettings:
    """Change what is given (None leaves it as it is; an empty organization or logo clears it)."""
    values: dict[str, object] = {}
    if organization is not None:
        name = " ".join(organization.split())
        if len(name) > ORGANIZATION_MAX:
            raise ValidationError(
                "El nombre de la organización es demasiado largo ({n} caracteres); use como "
                "máximo {max}.",
                n=len(name),
                max=ORGANIZATION_MAX,
            )
        values[ORGANIZATION_KEY] = name or None
    if paper is not None:
        values[PAPER_KEY] = check_paper(paper)
    if logo is not None:
        values[LOGO_KEY] = (
            _copy_logo(profile, Path(logo)).relative_to(profile.data_dir).as_posix()
            if str(logo).strip() not in ("", ".")
            else None
        )
    if values:
        profile.store.set_profile(**values)
    return report_settings(profile)
