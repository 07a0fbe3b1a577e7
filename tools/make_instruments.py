"""Seed the XLSForm instruments that ship with fieldkit.

    .venv/bin/python tools/make_instruments.py            # writes only missing files
    .venv/bin/python tools/make_instruments.py --force    # overwrites (loses manual edits!)
    .venv/bin/python tools/make_instruments.py --out DIR  # somewhere else, e.g. to compare

The spreadsheets in ``src/fieldkit/resources/forms/`` are the source of truth: methodologists edit
them directly and raise ``settings.version`` when they publish a change. These scripts only wrote
the first version of each instrument, so that its content could be reviewed as code; regenerating
over an edited spreadsheet would discard the methodologists' work, hence ``--force``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from instruments import (
    bitacora_visita,
    diagnostico_capacidad_institucional,
    encuesta_satisfaccion,
    modulo_consolidacion_paz,
    modulo_etnicos_inclusion_genero,
    modulo_innovacion_publica,
)
from instruments.common import write_form

MODULES = (
    diagnostico_capacidad_institucional,
    modulo_innovacion_publica,
    modulo_etnicos_inclusion_genero,
    modulo_consolidacion_paz,
    bitacora_visita,
    encuesta_satisfaccion,
)
FORMS_DIR = Path(__file__).resolve().parents[1] / "src" / "fieldkit" / "resources" / "forms"


def build_all(out: Path, force: bool = False) -> list[tuple[Path, str]]:
    """Write every instrument to ``out``; returns ``(path, "written" | "kept")`` per form."""
    done = []
    for module in MODULES:
        form_settings, survey, choice_rows = module.build()
        path = out / f"{form_settings['form_id']}.xlsx"
        if path.exists() and not force:
            done.append((path, "kept"))
            continue
        write_form(path, form_settings, survey, choice_rows)
        done.append((path, "written"))
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=FORMS_DIR)
    parser.add_argument("--force", action="store_true", help="overwrite existing spreadsheets")
    args = parser.parse_args(argv)
    for path, what in build_all(args.out, args.force):
        print(f"{what:8} {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
