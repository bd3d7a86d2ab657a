"""Speed and memory benchmark: prints a table; targets live here, never in timed tests.

Runs, on generated Parquet caseloads: `check` end to end (Parquet in, findings Parquet out)
per size, each in a fresh process so peak memory is its own; single-case `evaluate` latency;
and the durable-rules backend on the same caseload for the ratio.

    python benchmarks/bench.py                       # 10,000 and 50,000 cases
    python benchmarks/bench.py --sizes 10000,100000,1000000
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

AS_OF = date(2026, 11, 1)
DATA = Path(__file__).resolve().parent / "data"


def _gen(n: int) -> Path:
    from permanency_rules.synth import synth_cases, write_caseload

    out = DATA / f"caseload_{n}"
    if not (out / "cases.parquet").exists():
        chunk, written = 100_000, 0
        parts = []
        while written < n:
            k = min(chunk, n - written)
            cases = [
                dict(c, case_id=f"C{written + i:08d}")
                for i, c in enumerate(synth_cases(k, AS_OF, seed=written))
            ]
            part = DATA / f"tmp_{n}_{written}"
            write_caseload(cases, part, "parquet")
            parts.append(part)
            written += k
        import pandas as pd

        out.mkdir(parents=True, exist_ok=True)
        for f in sorted(parts[0].glob("*.parquet")):
            pd.concat([pd.read_parquet(p / f.name) for p in parts]).to_parquet(out / f.name, index=False)
        for p in parts:
            for f in p.glob("*"):
                f.unlink()
            p.rmdir()
    return out


def _ensure(n: int) -> Path:
    """Generate the caseload in a child process, so this one stays small."""
    code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import bench; bench._gen({n})"
    subprocess.run([sys.executable, "-c", code], check=True)
    return _gen(n)


def _run_check(n: int, backend: str, workers: int = 1) -> dict[str, float]:
    """In a child process: check one caseload, report seconds and peak RSS."""
    code = (
        "import time, json, resource, sys\n"
        "from datetime import date\n"
        "from permanency_rules.caseload import check_caseload\n"
        "from permanency_rules.outputs.tables import write_table\n"
        "t = time.perf_counter()\n"
        f"r = check_caseload({str(_ensure(n))!r}, date(2026, 11, 1), backend={backend!r},"
        f" chunk_size=5000, workers={workers})\n"
        f"write_table(r.findings, __import__('pathlib').Path({str(DATA / 'findings.parquet')!r}))\n"
        "s = time.perf_counter() - t\n"
        # VmHWM is this process's own high-water mark (ru_maxrss survives exec on Linux and
        # would report the benchmark parent's memory); workers add their own peak
        "hwm = next(int(x.split()[1]) for x in open('/proc/self/status') if x.startswith('VmHWM'))\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "peak = (hwm + kids) / 1024\n"
        "print(json.dumps({'seconds': s, 'peak_mb': peak, 'findings': len(r.findings), **r.totals}))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def _rows(n: int) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(p).metadata.num_rows for p in _gen(n).glob("*.parquet"))


def _single(k: int) -> tuple[float, float]:
    from permanency_rules import evaluate
    from permanency_rules.model.io import parse_and_check
    from permanency_rules.synth import synth_case

    cases = [parse_and_check(synth_case(random.Random(s), s, AS_OF), AS_OF) for s in range(k)]
    evaluate(cases[0], AS_OF)
    times = []
    for c in cases:
        t = time.perf_counter()
        evaluate(c, AS_OF)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.99 * (len(times) - 1))]


def _matching_only(k: int) -> tuple[float, float, float]:
    """Seconds to match k cases' prebuilt facts: pandas (frames built, then matched) vs durable."""
    from permanency_rules.engines.frames import facts_to_frames
    from permanency_rules.evaluation import case_facts, plan_for, resolve_catalogue
    from permanency_rules.model.io import parse_and_check
    from permanency_rules.synth import synth_cases

    plan = plan_for(resolve_catalogue(), AS_OF)
    facts = [case_facts(parse_and_check(c, AS_OF), plan) for c in synth_cases(k, AS_OF, seed=99)]
    frames_engine, durable = plan.engine("pandas"), plan.engine("durable")
    t = time.perf_counter()
    frames = facts_to_frames(facts)
    built = time.perf_counter() - t
    frames_engine.match_frames(frames)  # type: ignore[attr-defined]
    matched = time.perf_counter() - t
    t = time.perf_counter()
    for f in facts:
        durable.match_case(f)
    return built, matched, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,50000")
    ap.add_argument("--durable-size", type=int, default=10000)
    ap.add_argument("--single", type=int, default=2000)
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    print(
        f"machine: {platform.processor() or platform.machine()}, {platform.python_version()}, "
        f"cores={__import__('os').cpu_count()}"
    )
    print(
        f"{'cases':>10} {'rows':>11} {'backend':>8} {'seconds':>8} {'us/case':>8} {'cases/s':>9} "
        f"{'peak MB':>8} {'findings':>9}"
    )
    per_case = {}
    for n in sizes:
        r = _run_check(n, "pandas")
        per_case[n] = r["seconds"] / n * 1e6
        print(
            f"{n:>10} {_rows(n):>11} {'pandas':>8} {r['seconds']:>8.1f} {per_case[n]:>8.0f} "
            f"{n / r['seconds']:>9.0f} {r['peak_mb']:>8.0f} {r['findings']:>9}"
        )
    big = sizes[-1]
    w = _run_check(big, "pandas", workers=2)
    print(
        f"{big:>10} {_rows(big):>11} {'pandas*2':>8} {w['seconds']:>8.1f} {w['seconds'] / big * 1e6:>8.0f} "
        f"{big / w['seconds']:>9.0f} {w['peak_mb']:>8.0f} {w['findings']:>9}"
        "   (2 workers; peak = parent + largest worker)"
    )
    d = _run_check(a.durable_size, "durable")
    p = _run_check(a.durable_size, "pandas")
    print(
        f"{a.durable_size:>10} {_rows(a.durable_size):>11} {'durable':>8} {d['seconds']:>8.1f} "
        f"{d['seconds'] / a.durable_size * 1e6:>8.0f} {a.durable_size / d['seconds']:>9.0f} "
        f"{d['peak_mb']:>8.0f} {d['findings']:>9}"
    )
    print(f"pandas / durable speed ratio at {a.durable_size} cases: {d['seconds'] / p['seconds']:.2f}x")
    if len(sizes) > 1:
        lo, hi = per_case[sizes[0]], per_case[sizes[-1]]
        print(
            f"time per case {sizes[0]} -> {sizes[-1]}: {lo:.0f} -> {hi:.0f} us ({(hi / lo - 1) * 100:+.0f} %)"
        )
    built, matched, dur = _matching_only(a.durable_size)
    print(
        f"matching only, {a.durable_size} cases: pandas {matched:.2f} s "
        f"({built:.2f} s of it building frames), "
        f"durable {dur:.2f} s: {dur / matched:.1f}x"
    )
    med, p99 = _single(a.single)
    print(f"single-case evaluate (durable, {a.single} typical cases): median {med:.2f} ms, p99 {p99:.2f} ms")


if __name__ == "__main__":
    main()
