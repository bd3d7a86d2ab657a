"""Speed and memory benchmark: prints a table; targets live here, never in timed tests.

Runs, on generated Parquet caseloads: `check` end to end (Parquet in, findings Parquet out)
per size with 2 worker processes (the 2-core target machine), each run in a fresh process so
peak memory is its own; the largest size again in one process; the durable-rules backend on
the same caseload for the ratio; and single-case `evaluate` latency.

    python benchmarks/bench.py                       # 10,000 and 100,000 cases
    python benchmarks/bench.py --sizes 10000,100000,1000000
    python benchmarks/bench.py --baseline main~3     # also: workers 1 and 2, before and after

``--baseline REF`` checks out REF's ``src`` and ``rules`` into a temporary folder and times the
column-wise path with 1 and 2 workers at ``--worker-sizes`` for both codes, interleaved in the
same run (the machine is shared and noisy: compare within a run, never across runs).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
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
            pd.concat([pd.read_parquet(p / f.name) for p in parts]).to_parquet(
                out / f.name, index=False
            )
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


def _run_check(
    n: int, backend: str, workers: int = 1, src: Path | None = None
) -> dict[str, float]:
    """In a child process: check one caseload, report seconds and peak RSS."""
    script = (
        "import time, json, resource, sys\n"
        "from datetime import date\n"
        "from permanency_rules.caseload import check_caseload\n"
        "from permanency_rules.outputs.tables import write_table\n"
        "t = time.perf_counter()\n"
        f"r = check_caseload({str(_ensure(n))!r}, date(2026, 11, 1), backend={backend!r},"
        f" workers={workers})\n"
        "c = time.perf_counter() - t\n"
        f"write_table(r.findings, __import__('pathlib').Path({str(DATA / 'findings.parquet')!r}))\n"
        "s = time.perf_counter() - t\n"
        # VmHWM is this process's own high-water mark (ru_maxrss survives exec on Linux and
        # would report the benchmark parent's memory); workers add their own peak
        "hwm = next(int(x.split()[1]) for x in open('/proc/self/status') if x.startswith('VmHWM'))\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "peak = (hwm + kids) / 1024\n"
        "print(json.dumps({'seconds': s, 'check_seconds': c, 'peak_mb': peak, **r.totals}))\n"
    )
    env = dict(os.environ)
    if src is not None:  # another version of the library, ahead of the installed one
        env["PYTHONPATH"] = str(src)
    res = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(res.stdout.strip().splitlines()[-1])


def _checkout(ref: str, into: Path) -> Path:
    """REF's src/ and rules/ (its code finds rules/ beside src/ or inside the package)."""
    root = Path(__file__).resolve().parents[1]
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", "--format=tar", ref, "src", "rules"],
        capture_output=True,
        check=True,
    ).stdout
    tar = into / "code.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as t:
        t.extractall(into, filter="data")
    return into / "src"


def _workers_table(ref: str, sizes: list[int], rounds: int) -> None:
    """Column-wise check with 1 and 2 workers, REF against this checkout, interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        before = _checkout(ref, Path(tmp))
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"workers, before ({ref}) and after (this checkout), check seconds,"
            f" median of {rounds}; load {load}:"
        )
        print(
            f"{'cases':>10} {'code':>7} {'1 worker':>9} {'2 workers':>10} {'2 vs 1':>7}"
        )
        codes = {"before": before, "after": None}
        for n in sizes:
            _ensure(n)
            times: dict[tuple[str, int], list[float]] = {
                (c, w): [] for c in codes for w in (1, 2)
            }
            for _ in range(
                rounds
            ):  # interleaved, so a change in load hits both codes alike
                for (label, w), got in times.items():
                    got.append(
                        _run_check(n, "pandas", w, codes[label])["check_seconds"]
                    )
            for label in codes:
                one, two = (
                    statistics.median(times[label, 1]),
                    statistics.median(times[label, 2]),
                )
                print(
                    f"{n:>10} {label:>7} {one:>9.1f} {two:>10.1f} {(two / one - 1) * 100:>+6.0f}%"
                )


def _rows(n: int) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(p).metadata.num_rows for p in _gen(n).glob("*.parquet"))


def _single(k: int) -> tuple[float, float]:
    from permanency_rules import evaluate
    from permanency_rules.model.io import parse_and_check
    from permanency_rules.synth import synth_case

    cases = [
        parse_and_check(synth_case(random.Random(s), s, AS_OF), AS_OF) for s in range(k)
    ]
    evaluate(cases[0], AS_OF)
    times = []
    for c in cases:
        t = time.perf_counter()
        evaluate(c, AS_OF)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.99 * (len(times) - 1))]


def _line(n: int, label: str, r: dict[str, float]) -> None:
    print(
        f"{n:>10} {_rows(n):>11} {label:>10} {r['seconds']:>8.1f} {r['check_seconds']:>8.1f} "
        f"{r['seconds'] / n * 1e6:>8.1f} {n / r['seconds']:>9.0f} {r['peak_mb']:>8.0f} {r['findings']:>9}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--durable-size", type=int, default=10000)
    ap.add_argument("--single", type=int, default=2000)
    ap.add_argument(
        "--baseline", help="a git ref: also time workers 1 and 2, before and after"
    )
    ap.add_argument("--worker-sizes", default="20000,100000")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument(
        "--workers-only", action="store_true", help="with --baseline: only that table"
    )
    a = ap.parse_args()
    if a.baseline and a.workers_only:
        _workers_table(
            a.baseline, [int(x) for x in a.worker_sizes.split(",")], a.rounds
        )
        return
    sizes = [int(x) for x in a.sizes.split(",")]
    w = a.workers
    print(
        f"machine: {platform.processor() or platform.machine()}, {platform.python_version()}, "
        f"cores={__import__('os').cpu_count()}"
    )
    print("seconds: Parquet in to findings Parquet written; check: without the write")
    print(
        f"{'cases':>10} {'rows':>11} {'backend':>10} {'seconds':>8} {'check':>8} {'us/case':>8} "
        f"{'cases/s':>9} {'peak MB':>8} {'findings':>9}"
    )
    per_case = {}
    for n in sizes:
        r = _run_check(n, "pandas", workers=w)
        per_case[n] = r["seconds"] / n * 1e6
        _line(n, f"pandas*{w}", r)
    big = sizes[-1]
    _line(big, "pandas*1", _run_check(big, "pandas", workers=1))
    d = _run_check(a.durable_size, "durable", workers=w)
    p = _run_check(a.durable_size, "pandas", workers=w)
    _line(a.durable_size, f"durable*{w}", d)
    print(
        f"pandas / durable speed ratio at {a.durable_size} cases: {d['seconds'] / p['seconds']:.1f}x"
    )
    if len(sizes) > 1:
        lo, hi = per_case[sizes[0]], per_case[sizes[-1]]
        print(
            f"time per case {sizes[0]} -> {sizes[-1]}: {lo:.1f} -> {hi:.1f} us ({(hi / lo - 1) * 100:+.0f} %)"
        )
    med, p99 = _single(a.single)
    print(
        f"single-case evaluate (durable, {a.single} typical cases): median {med:.2f} ms, p99 {p99:.2f} ms"
    )
    if a.baseline:
        _workers_table(
            a.baseline, [int(x) for x in a.worker_sizes.split(",")], a.rounds
        )


if __name__ == "__main__":
    main()
