"""Need facts hand-written twice vs written once as operations (``facts.ops``): prints figures.

Both forms run in this one process, alternating rounds, so a busy machine slows both alike:
single-case ``evaluate`` latency (durable-rules, typical generated cases) and the column-wise
facts of a 100,000-case caseload (``column_facts``), with the need facts from either form.

    python benchmarks/ops_prototype.py                  # 2,000 single cases, 100,000-case caseload
    python benchmarks/ops_prototype.py --cases 10000 --single 500 --rounds 3
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

AS_OF = date(2026, 11, 1)


@contextmanager
def _needs(form: str) -> Iterator[None]:
    """``facts.build`` with the need facts of ``form`` (``hand`` or ``ops``)."""
    from permanency_rules.facts import build, family, ops

    per_case: Callable[..., Any] = ops.need_facts if form == "ops" else family.need_facts
    columns: Callable[..., Any] = ops.need_columns if form == "ops" else family.need_columns
    saved = build.need_facts, build.need_columns
    build.need_facts, build.need_columns = per_case, columns  # type: ignore[assignment]
    try:
        yield
    finally:
        build.need_facts, build.need_columns = saved


def _single(cases: list[Any]) -> list[float]:
    from permanency_rules import evaluate

    times = []
    for c in cases:
        t = time.perf_counter()
        evaluate(c, AS_OF)
        times.append((time.perf_counter() - t) * 1000)
    return times


def _need_only(cases: list[Any], form: str) -> float:
    """Microseconds per case spent on need facts alone (median over the cases)."""
    from permanency_rules.facts import family, ops

    f = ops.need_facts if form == "ops" else family.need_facts
    times = []
    for c in cases:
        t = time.perf_counter()
        f(c, AS_OF)
        times.append((time.perf_counter() - t) * 1e6)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000, help="caseload size for the column-wise figure")
    ap.add_argument("--single", type=int, default=2000, help="cases for the single-case figure")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()

    from permanency_rules import evaluate
    from permanency_rules.adapters.tables import read_arrow
    from permanency_rules.clocks.compute import column_clocks
    from permanency_rules.columnar.typed import type_tables
    from permanency_rules.conventions import to_day
    from permanency_rules.facts import build, family, ops
    from permanency_rules.facts.columns import Scope
    from permanency_rules.language.parameters import ParameterSet, load_parameters
    from permanency_rules.model.io import parse_and_check
    from permanency_rules.synth import synth_case

    cases = [parse_and_check(synth_case(random.Random(s), s, AS_OF), AS_OF) for s in range(a.single)]
    evaluate(cases[0], AS_OF)
    single: dict[str, list[float]] = {"hand": [], "ops": []}
    need: dict[str, list[float]] = {"hand": [], "ops": []}
    for r in range(a.rounds + 1):  # round 0 warms up and is not counted
        for form in ("hand", "ops") if r % 2 else ("ops", "hand"):
            with _needs(form):
                times = _single(cases)
            per_need = _need_only(cases, form)
            if r:
                single[form] += times
                need[form].append(per_need)

    import bench  # the benchmark's generated caseloads

    t = type_tables(read_arrow(bench._ensure(a.cases)))
    clocks = column_clocks(t, AS_OF, ParameterSet(load_parameters()).resolve(AS_OF))
    s = Scope.of(t, to_day(AS_OF))
    whole: dict[str, list[float]] = {"hand": [], "ops": []}
    frame: dict[str, list[float]] = {"hand": [], "ops": []}
    for r in range(a.rounds + 1):
        for form in ("hand", "ops") if r % 2 else ("ops", "hand"):
            with _needs(form):
                start = time.perf_counter()
                build.column_facts(t, clocks, AS_OF)
                took = time.perf_counter() - start
            f = ops.need_columns if form == "ops" else family.need_columns
            start = time.perf_counter()
            f(s)
            if r:
                whole[form].append(took)
                frame[form].append(time.perf_counter() - start)

    print("need facts: hand-written per case and column-wise (hand) vs one definition, two executors (ops)")
    print(f"{'':>34} {'hand':>10} {'ops':>10} {'change':>8}")

    def row(label: str, h: float, o: float, unit: str) -> None:
        print(f"{label:>34} {h:>9.3f}{unit} {o:>9.3f}{unit} {(o / h - 1) * 100:>+7.1f}%")

    for q, name in ((0.5, "median"), (0.99, "p99")):
        h, o = (sorted(single[f])[int(q * (len(single[f]) - 1))] for f in ("hand", "ops"))
        row(f"single-case evaluate {name} (ms)", h, o, " ")
    row("need facts per case (us)", statistics.median(need["hand"]), statistics.median(need["ops"]), " ")
    row(f"column_facts, {a.cases} cases (s)", min(whole["hand"]), min(whole["ops"]), " ")
    row(f"need frame, {a.cases} cases (s)", min(frame["hand"]), min(frame["ops"]), " ")
    print(f"({a.rounds} rounds after a warm-up, in alternating order; {a.single} single cases each;")
    print(" per-case need facts: median round; column figures: best round)")


if __name__ == "__main__":
    main()
