"""Monitoring workbook benchmark (issue 6), measured against a baseline in the same run.

A national demo year (`fieldkit demo --scale national --seed 7`, ~1,500 assistances) is exported
with services.workbook.export_workbook (queries, progress figures, labels, typed and guarded
cells, widths, filters). The baseline writes the same number of cells with openpyxl in
write-only mode, in the same shape (every sheet, every row with as many cells as the export
wrote there), as plain values of the same kind (a short text where the export wrote text, a
number where it wrote a number or a date) without styles: what openpyxl costs by itself.
Target: ratio <= 1.5.

Both are timed in this process, interleaved, as the best of a few runs, in wall-clock and in CPU
time (CPU time is steadier on a shared machine). The first export also parses the visit and
survey forms (loading the form engine), which the application then keeps: printed apart.

    python benchmarks/workbook.py [--runs 15] [--data-dir DIR]   (DIR: reuse a national profile)
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from openpyxl import Workbook, load_workbook


def run(*args: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [sys.executable, "-m", "fieldkit", *args], env=env, check=True, capture_output=True
    )


def shape(path: Path) -> list[tuple[str, list[str]]]:
    """Per sheet, per row, the kinds of the cells written: "s" text, "n" number (dates too)."""
    book = load_workbook(path, read_only=True)
    out = []
    for ws in book.worksheets:
        rows = []
        for row in ws.iter_rows(values_only=True):
            rows.append("".join("s" if isinstance(v, str) else "n" for v in row if v is not None))
        out.append((ws.title, rows))
    book.close()
    return out


def plain_cells(sheets: list[tuple[str, list[str]]], out: Path) -> float:
    """The same cells, plain values of the same kinds, openpyxl write-only."""
    values = {"s": "texto", "n": 1234}
    start = time.perf_counter()
    book = Workbook(write_only=True)
    for title, rows in sheets:
        ws = book.create_sheet(title)
        for kinds in rows:
            ws.append([values[k] for k in kinds])
    book.save(out)
    return time.perf_counter() - start


class Timing(NamedTuple):
    wall: float
    cpu: float


def timed(work) -> Timing:  # type: ignore[no-untyped-def]
    gc.collect()  # each run starts with the same heap, not with the garbage of the one before
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu)


def best_of(timings: list[Timing]) -> Timing:
    return Timing(min(t.wall for t in timings), min(t.cpu for t in timings))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--data-dir", type=Path, help="an existing national demo profile")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fieldkit-workbook-") as tmp:
        folder = Path(tmp)
        data = args.data_dir
        if data is None:
            data = folder / "nacional"
            start = time.perf_counter()
            run("--data-dir", str(data), "demo", "--scale", "national", "--seed", "7")
            print(f"national demo profile: {time.perf_counter() - start:.0f} s")

        from fieldkit.services.profile import Profile
        from fieldkit.services.workbook import export_workbook

        out = folder / "seguimiento.xlsx"
        plain = folder / "plano.xlsx"
        with Profile(data) as p:
            first = timed(lambda: export_workbook(p, out))
            result = export_workbook(p, out)
            sheets = shape(out)
            # Interleaved, so both see the same moments of a busy machine; best of each.
            exports, plains = [], []
            for _ in range(args.runs):
                exports.append(timed(lambda: export_workbook(p, out)))
                plains.append(timed(lambda: plain_cells(sheets, plain)))
        t_export, t_plain = best_of(exports), best_of(plains)
        cells = sum(len(kinds) for _title, rows in sheets for kinds in rows)
        rows = ", ".join(f"{title} {n}" for title, n in result.sheets.items())
        print(f"sheets (data rows): {rows}")
        print(f"cells written (headers included): {cells:,}; file {out.stat().st_size:,} bytes")
        print(f"first export (parses the forms): {first.wall:.2f} s")
        print(
            f"export_workbook {t_export.wall:.2f} s (CPU {t_export.cpu:.2f} s); the same cells"
            f" plain with openpyxl write-only {t_plain.wall:.2f} s (CPU {t_plain.cpu:.2f} s);"
            f" ratio {t_export.wall / t_plain.wall:.2f} (CPU {t_export.cpu / t_plain.cpu:.2f})"
            " (target <= 1.5)"
        )


if __name__ == "__main__":
    main()
