"""One worker against two, alternating in the same run: prints figures, never pass/fail.

Each run is a fresh process that checks a generated Parquet caseload (``bench.py`` makes and
caches it) with ``check_caseload(..., workers=N)``. Runs alternate (1, 2, 1, 2 ... and, with
``--baseline REF``, REF's code and this checkout's in turn), so a change in the machine's load
hits every variant alike; the load average is printed beside every run. Every run prints a
digest of its finding ids: the same digest means the same findings, in the same order.

    python benchmarks/workers.py                         # 20,000 and 100,000 cases, 3 rounds
    python benchmarks/workers.py --baseline main --rounds 4

``check`` is the call to ``check_caseload`` (tables read to results in memory); ``process`` is
the whole command, interpreter start and imports included, as a user of the CLI waits for it.
On a shared machine Linux gives each session (not each process) its share of the CPU, so while
others run, a second worker mostly splits this session's share: compare runs at the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # the caseload generator and the checkout of another version

_RUN = """
import hashlib, json, resource, sys, time
from datetime import date
t = time.perf_counter()
from permanency_rules.caseload import check_caseload
cpu = time.process_time()
r = check_caseload(sys.argv[1], date(2026, 11, 1), workers=int(sys.argv[2]))
check = time.perf_counter() - t
digest = hashlib.sha256("\\n".join(r.findings["finding_id"].astype(str)).encode()).hexdigest()[:12]
print(json.dumps({
    "check": check, "cpu": time.process_time() - cpu,
    "helpers_cpu": sum(resource.getrusage(resource.RUSAGE_CHILDREN)[:2]),
    "findings": len(r.findings), "digest": digest,
}))
"""


def _run(folder: Path, workers: int, src: Path | None) -> dict[str, float | str]:
    env = dict(os.environ)
    if src is not None:  # another version of the library, ahead of the installed one
        env["PYTHONPATH"] = str(src)
    load = os.getloadavg()[0]
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _RUN, str(folder), str(workers)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    got: dict[str, float | str] = json.loads(out.stdout.strip().splitlines()[-1])
    got["process"] = time.perf_counter() - t
    got["load"] = load
    return got


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="20000,100000")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--baseline", help="a git ref: its code against this checkout's, alternating")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        codes: dict[str, Path | None] = {"this": None}
        if a.baseline:
            codes = {a.baseline: bench._checkout(a.baseline, Path(tmp)), "this": None}
        print(f"cores {os.cpu_count()}, load at start {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(
            f"{'cases':>8} {'code':>8} {'w':>2} {'check s':>8} {'process s':>9} {'cpu s':>6} "
            f"{'helpers cpu':>11} {'load':>5} {'findings':>9} digest"
        )
        summary = []
        for n in [int(x) for x in a.sizes.split(",")]:
            folder = bench._ensure(n)
            times: dict[tuple[str, int], list[float]] = {(c, w): [] for c in codes for w in (1, 2)}
            for i in range(a.rounds):
                order = list(times) if i % 2 == 0 else list(reversed(times))
                for code, w in order:
                    r = _run(folder, w, codes[code])
                    times[code, w].append(float(r["check"]))
                    print(
                        f"{n:>8} {code:>8} {w:>2} {r['check']:>8.2f} {r['process']:>9.2f} {r['cpu']:>6.2f} "
                        f"{r['helpers_cpu']:>11.2f} {r['load']:>5.1f} {r['findings']:>9} {r['digest']}",
                        flush=True,
                    )
            for code in codes:
                one, two = statistics.median(times[code, 1]), statistics.median(times[code, 2])
                summary.append(f"{n:>8} {code:>8} {one:>9.2f} {two:>10.2f} {(two / one - 1) * 100:>+7.0f}%")
        print(f"load at end {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"median check seconds over {a.rounds} round(s)")
        print(f"{'cases':>8} {'code':>8} {'1 worker':>9} {'2 workers':>10} {'2 vs 1':>8}")
        print("\n".join(summary))


if __name__ == "__main__":
    main()
