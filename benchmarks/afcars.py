"""AFCARS benchmark: a synthetic tab-delimited file with planted problems, checked end to end.

Prints, per run, the time to check it, whether every planted bad value was found as a
data-quality finding naming its element (recall), and whether the totals reconcile. Figures
only, no pass/fail thresholds. Each run is a fresh process; with several worker counts or
``--baseline REF`` (REF's code against this checkout's), runs alternate in the same session
so a change in the machine's load hits every variant alike, and the load is printed beside
each run. The same digest of finding ids means the same findings in the same order.

    python benchmarks/afcars.py                          # 100,000 records, 1 and 2 workers
    python benchmarks/afcars.py --records 20000 --workers 1
    python benchmarks/afcars.py --baseline main --rounds 2
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # the checkout of another version

AS_OF = date(2026, 11, 1)

_RUN = """
import hashlib, json, sys, time
from datetime import date
from pathlib import Path
import pandas as pd
from permanency_rules.caseload import check_caseload
path, plants, workers, records = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
t0 = time.perf_counter()
r = check_caseload(path, date(2026, 11, 1), workers=workers)
took = time.perf_counter() - t0
t = r.totals
dq = r.findings[r.findings["rule_id"] == "DQ-AFCARS"]
found = set(zip(dq["case_id"], dq["message"].str.extract(r"element (\\w+) ")[0], strict=True))
p = pd.read_csv(plants, dtype=str)
planted = set(zip(p["RECNUMBR"], p["element"], strict=True))
reconciled = t["cases_in"] == t["cases_checked"] + t["cases_rejected"] == records
print(json.dumps({
    "seconds": took, "planted": len(planted), "found": len(planted & found),
    "missed": len(planted - found), "other_dq": len(found - planted),
    "cases": [t["cases_in"], t["cases_checked"], t["cases_rejected"]], "findings": t["findings"],
    "reconciled": bool(reconciled and int(r.cases["findings"].sum()) == t["findings"]),
    "digest": hashlib.sha256("\\n".join(r.findings["finding_id"].astype(str)).encode()).hexdigest()[:12],
}))
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--workers", default="1,2", help="worker counts to alternate, e.g. 1,2")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--baseline", help="a git ref: its code against this checkout's, alternating")
    args = ap.parse_args()
    from permanency_rules.synth import synth_afcars, write_afcars

    records, plants = synth_afcars(args.records, AS_OF, seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "FC2026v1.tab"
        write_afcars(records, path)
        plants.to_csv(Path(tmp) / "plants.csv", index=False)
        codes: dict[str, Path | None] = {"this": None}
        if args.baseline:
            (Path(tmp) / "base").mkdir()
            codes = {args.baseline: bench._checkout(args.baseline, Path(tmp) / "base"), "this": None}
        variants = [(c, int(w)) for c in codes for w in args.workers.split(",")]
        print(f"records {args.records:,}, cores {os.cpu_count()}")
        print(
            f"{'code':>8} {'w':>2} {'check s':>8} {'records/s':>10} {'load':>5} {'planted':>8} {'found':>7} "
            f"{'missed':>6} {'other DQ':>8} {'in/checked/rejected':>22} {'reconciled':>10} digest"
        )
        times: dict[tuple[str, int], list[float]] = {v: [] for v in variants}
        for i in range(args.rounds):
            for code, w in variants if i % 2 == 0 else list(reversed(variants)):
                env = dict(os.environ)
                if codes[code] is not None:  # another version of the library, ahead of this one
                    env["PYTHONPATH"] = str(codes[code])
                load = os.getloadavg()[0]
                argv = [str(path), str(Path(tmp) / "plants.csv"), str(w), str(args.records)]
                out = subprocess.run(
                    [sys.executable, "-c", _RUN, *argv],
                    capture_output=True,
                    text=True,
                    check=True,
                    env=env,
                )
                r = json.loads(out.stdout.strip().splitlines()[-1])
                times[code, w].append(r["seconds"])
                cases = "/".join(f"{x:,}" for x in r["cases"])
                print(
                    f"{code:>8} {w:>2} {r['seconds']:>8.1f} {args.records / r['seconds']:>10,.0f} "
                    f"{load:>5.1f} "
                    f"{r['planted']:>8,} {r['found']:>7,} {r['missed']:>6,} {r['other_dq']:>8,} {cases:>22} "
                    f"{r['reconciled']!s:>10} {r['digest']}",
                    flush=True,
                )
        if args.rounds > 1:
            print(f"median seconds over {args.rounds} rounds:")
            for (code, w), got in times.items():
                print(f"{code:>8} {w:>2} {statistics.median(got):>8.1f}")


if __name__ == "__main__":
    main()
