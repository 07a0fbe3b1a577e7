"""Form engine benchmark (issue 4), measured against a baseline in the same run.

1. On a generated 500-question XLSForm (50 chains of 10 questions: an answer, then
   calculations, relevance conditions and constraints each reading the one before, plus a repeat
   whose rows feed sums), the time to recalculate after one answer changes (only what depends
   on it) against a full re-evaluation of every expression of the same filling. Target: ratio
   <= 0.1.
2. Opening the largest instrument shipped in ``fieldkit/resources/forms`` ready for input
   (load + a new filling with its defaults, relevance and calculations), in this process and in
   a fresh one (interpreter start and imports included). Target: < 1 s.

    python benchmarks/forms.py [--chains 50] [--runs 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.resources import files
from pathlib import Path

from openpyxl import Workbook

from fieldkit.forms import FormState, load_form

HEADER = ("type", "name", "label", "relevant", "calculation", "constraint", "required")


def generated_form(folder: Path, chains: int) -> Path:
    """``chains`` chains of 10 questions (500 with the default 50): an answer, then links that
    each read the one before (calculations, answers that apply only when the previous value is
    large enough, constraints); every fifth chain sits in a group whose relevance reads the
    chain before. A repeat of 10 rows feeds a sum at the end."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "survey"
    ws.append(HEADER)
    for c in range(chains):
        grouped = c % 5 == 4
        if grouped:
            ws.append(("begin group", f"g{c}", f"Grupo {c}", f"${{c{c - 1}_9}} != 0"))
        ws.append(("integer", f"c{c}_0", f"Pregunta {c}.0", None, None, ". < 1000", "yes"))
        for i in range(1, 10):
            name, prev, before = f"c{c}_{i}", f"${{c{c}_{i - 1}}}", f"${{c{c}_{max(i - 2, 0)}}}"
            if i % 3 == 2:  # an answer that applies only when the previous value is large
                ws.append(
                    (
                        "integer",
                        name,
                        f"Pregunta {c}.{i}",
                        f"{prev} > {i}",
                        None,
                        f". != {prev}",
                        None,
                    )
                )
            elif i % 3 == 0:  # reads the answer before, or the link before it when empty
                ws.append(
                    (
                        "calculate",
                        name,
                        None,
                        None,
                        f"if(coalesce({prev}, {before}) > 100, coalesce({prev}, {before}) "
                        f"div 2, coalesce({prev}, {before}) + 1)",
                    )
                )
            else:
                ws.append(("calculate", name, None, None, f"{prev} * 2 + {i}"))
        if grouped:
            ws.append(("end group",))
    ws.append(("begin repeat", "filas", "Filas"))
    ws.append(("integer", "cantidad", "Cantidad", None, None, ". >= 0"))
    ws.append(("calculate", "ponderada", None, None, "${cantidad} * position(..) + ${c0_9}"))
    ws.append(("end repeat",))
    ws.append(("calculate", "suma", None, None, "sum(${ponderada}) + count(${filas})"))
    path = folder / "generado.xlsx"
    wb.save(path)
    return path


def timed(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def recalculation(chains: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = generated_form(Path(tmp), chains)
        start = time.perf_counter()
        form = load_form(path)
        loaded = time.perf_counter() - start
    questions = sum(1 for _ in form.questions())
    answered = sum(1 for q in form.questions() if q.is_input)
    state = FormState(form, seed=1)
    heads = [f"c{c}_0" for c in range(chains)]
    rng = random.Random(4)
    for name in heads:
        state.set_answer(name, rng.randint(1, 200))
    for _ in range(10):
        state.add_repeat("filas")
    for position in range(1, 11):
        state.set_answer("cantidad", position, (position,))

    counter = iter(range(10**9))

    def one_change() -> None:
        n = next(counter)
        state.set_answer(heads[n % len(heads)], 1 + n % 300)

    incremental = timed(one_change, runs)
    full = timed(state.recalculate, max(10, runs // 10))
    expressions = sum(1 for info in form.graph.info.values() if info.expression is not None)
    print(
        f"generated form: {questions} questions ({answered} answered, {questions - answered} "
        f"calculated), {len(form.elements) - questions} groups and repeats; "
        f"{len(form.graph)} graph nodes, {expressions} expressions; loaded in {loaded:.3f} s"
    )
    print(f"recalculation after one answer changes: {incremental * 1e3:.3f} ms (median)")
    print(f"full re-evaluation of every expression:  {full * 1e3:.3f} ms (median)")
    ratio = incremental / full
    print(f"ratio: {ratio:.4f} (target <= 0.1) {'OK' if ratio <= 0.1 else 'OVER TARGET'}")


def largest_instrument() -> Path | None:
    folder = Path(str(files("fieldkit") / "resources" / "forms"))
    forms = sorted(folder.glob("*.xlsx"))
    if not forms:
        return None
    return max(forms, key=lambda p: len(load_form(p).elements))


OPEN_COLD = """
import sys, time
start = time.perf_counter()
from fieldkit.forms import FormState, load_form
imported = time.perf_counter()
FormState(load_form(sys.argv[1]))
print(f"{imported - start:.6f} {time.perf_counter() - imported:.6f}")
"""


def opening(runs: int) -> None:
    path = largest_instrument()
    if path is None:
        print("no shipped instruments in fieldkit/resources/forms")
        return
    form = load_form(path)
    warm = timed(lambda: FormState(load_form(path)), runs)
    print(
        f"largest shipped instrument: {path.name} ({len(form.elements)} elements, "
        f"{sum(1 for _ in form.questions())} questions)"
    )
    print(
        f"open ready for input, in this process: {warm:.3f} s (median; target < 1 s) "
        f"{'OK' if warm < 1 else 'OVER TARGET'}"
    )
    totals = []
    for _ in range(3):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", OPEN_COLD, str(path)], check=True, capture_output=True, text=True
        ).stdout.split()
        totals.append((time.perf_counter() - start, float(out[0]), float(out[1])))
    total, imports, load = sorted(totals)[1]
    print(
        f"open ready for input, fresh process: {total:.3f} s (interpreter start, imports "
        f"{imports:.3f} s, load and filling {load:.3f} s; target < 1 s) "
        f"{'OK' if total < 1 else 'OVER TARGET'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chains", type=int, default=50, help="chains of 10 questions")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    recalculation(args.chains, args.runs)
    opening(max(3, args.runs // 40))


if __name__ == "__main__":
    main()
