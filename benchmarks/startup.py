"""Startup and search benchmark (issue 2), measured against a baseline in the same run.

1. Start `fieldkit` on a `--scale national` profile until the main window is shown and its first
   table is filled, against a bare PySide6 window started the same way. Each process prints a
   wall-clock "ready" time at the first turn of its event loop after showing (fieldkit: with its
   table filled; FIELDKIT_GUI_EXIT_WHEN_READY), so what is timed is spawn -> ready, interpreter
   start included, process teardown excluded (also printed, for the record). Runs alternate so
   machine noise hits both; prints both medians and the ratio. Target: ratio <= 2.0.
2. In one process with the real main window on that profile, time typing into the municipality
   search box: filter + model reset + repaint of the full table. Target: median <= 16 ms.

    python benchmarks/startup.py [--runs 9] [--profile DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QTableWidget(30, 6))
window.resize(1280, 800)
window.show()


def ready():
    import time

    print(f"fieldkit-ready {time.time():.6f}", flush=True)
    app.quit()


QTimer.singleShot(0, ready)
sys.exit(app.exec())
"""

QUERIES = [
    "n",
    "na",
    "nar",
    "nari",
    "narino",
    "san",
    "san jose",
    "bogota",
    "santa",
    "zzz",
    "",
    "puerto",
]


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.setdefault("QT_QPA_PLATFORM", "offscreen")
    e.pop("FIELDKIT_LANG", None)
    return e


def timed(cmd: list[str], extra_env: dict[str, str] | None = None) -> tuple[float, float]:
    """(seconds from spawn to the printed ready time, seconds from spawn to exit)."""
    start = time.time()
    result = subprocess.run(cmd, env={**env(), **(extra_env or {})}, capture_output=True, text=True)
    ended = time.time()
    if result.returncode != 0:
        raise SystemExit(f"{cmd} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    marks = [
        line.split()[1] for line in result.stdout.splitlines() if line.startswith("fieldkit-ready ")
    ]
    if not marks:
        raise SystemExit(f"{cmd} printed no ready time:\n{result.stdout[-500:]}")
    return float(marks[0]) - start, ended - start


def make_profile(folder: Path) -> None:
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "fieldkit",
            "--data-dir",
            str(folder),
            "demo",
            "--scale",
            "national",
            "--seed",
            "7",
        ],
        env=env(),
        check=True,
        capture_output=True,
    )
    print(f"national profile created in {time.perf_counter() - start:.1f} s: {folder}")


def compile_bytecode() -> None:
    """Compile fieldkit's bytecode, as `pip install` does for a user's installation.

    Machines that set PYTHONDONTWRITEBYTECODE (this one does) would otherwise recompile every
    fieldkit module from source at each start, while PySide6's bytecode came with its install.
    """
    import compileall

    import fieldkit

    compileall.compile_dir(Path(fieldkit.__file__).parent, quiet=1)


def startup(profile: Path, runs: int) -> dict[str, float]:
    compile_bytecode()
    bare = [sys.executable, "-c", BARE_WINDOW]
    app = [sys.executable, "-m", "fieldkit", "--data-dir", str(profile)]
    ready = {"FIELDKIT_GUI_EXIT_WHEN_READY": "1"}
    # Warm the file cache and take today's backup once, as any second start of the day would.
    timed(bare)
    timed(app, ready)
    samples: dict[str, list[float]] = {"bare": [], "bare_exit": [], "ours": [], "ours_exit": []}
    for _ in range(runs):
        to_ready, to_exit = timed(bare)
        samples["bare"].append(to_ready)
        samples["bare_exit"].append(to_exit)
        to_ready, to_exit = timed(app, ready)
        samples["ours"].append(to_ready)
        samples["ours_exit"].append(to_exit)
    return {name: statistics.median(values) for name, values in samples.items()}


def search(profile: Path, rounds: int) -> tuple[float, int]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from fieldkit.services.profile import Profile
    from fieldkit.ui.app import configure
    from fieldkit.ui.data import load_municipalities
    from fieldkit.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure(app)
    with Profile(profile) as p:
        window = MainWindow()
        window.resize(1280, 800)
        window.show()
        window.attach_profile(p, load_municipalities(p))
        app.processEvents()
        view = window.municipalities_view()
        total = view.model.rowCount()
        samples = []
        for _ in range(rounds):
            for q in QUERIES:
                start = time.perf_counter()
                view.search.setText(q)
                view.table.viewport().repaint()
                app.processEvents()
                samples.append((time.perf_counter() - start) * 1000)
        view.search.setText("")
        window.close()
    return statistics.median(samples), total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--profile", type=Path, help="an existing national profile (else one is made)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        profile = args.profile or Path(tmp) / "nacional"
        if args.profile is None:
            make_profile(profile)
        m = startup(profile, args.runs)
        base, ours = m["bare"], m["ours"]
        print(f"bare PySide6 window: ready after {base * 1000:.0f} ms (median of {args.runs})")
        print(f"fieldkit, national profile, first table filled: ready after {ours * 1000:.0f} ms")
        ratio = ours / base
        print(
            f"startup ratio fieldkit / bare window: {ratio:.2f} (target <= 2.0) {'OK' if ratio <= 2.0 else 'MISSED'}"
        )
        print(
            f"  (whole process including teardown: {m['ours_exit'] * 1000:.0f} ms vs "
            f"{m['bare_exit'] * 1000:.0f} ms, ratio {m['ours_exit'] / m['bare_exit']:.2f})"
        )
        per_key, rows = search(profile, args.rounds)
        print(
            f"municipality search over {rows} rows: median {per_key:.2f} ms per keystroke "
            f"(filter + model reset + repaint; target <= 16 ms) {'OK' if per_key <= 16 else 'MISSED'}"
        )
        return 0 if ratio <= 2.0 and per_key <= 16 else 1


if __name__ == "__main__":
    sys.exit(main())
