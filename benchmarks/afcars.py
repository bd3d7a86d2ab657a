"""AFCARS benchmark: a synthetic tab-delimited file with planted problems, checked end to end.

Prints the time to check it, whether every planted bad value was found as a data-quality finding
naming its element, and whether the totals reconcile. Figures only, no pass/fail thresholds.

    python benchmarks/afcars.py                 # 100,000 records
    python benchmarks/afcars.py --records 20000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from permanency_rules.caseload import check_caseload
from permanency_rules.synth import synth_afcars, write_afcars

AS_OF = date(2026, 11, 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    records, plants = synth_afcars(args.records, AS_OF, seed=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "FC2026v1.tab"
        write_afcars(records, path)
        t0 = time.perf_counter()
        r = check_caseload(path, AS_OF, workers=args.workers)
        took = time.perf_counter() - t0
    t = r.totals
    dq = r.findings[r.findings["rule_id"] == "DQ-AFCARS"]
    found = set(zip(dq["case_id"], dq["message"].str.extract(r"element (\w+) ")[0], strict=True))
    planted = set(zip(plants["RECNUMBR"], plants["element"], strict=True))
    print(f"records            {args.records:>10,}")
    print(
        f"check (s)          {took:>10.1f}   ({args.records / took:,.0f} records/s, {args.workers} worker(s))"
    )
    print(
        f"planted bad values {len(planted):>10,}   "
        f"found: {len(planted & found):,}, missed: {len(planted - found):,}"
    )
    print(f"other DQ findings  {len(found - planted):>10,}")
    reconciled = t["cases_in"] == t["cases_checked"] + t["cases_rejected"] == args.records
    print(
        f"cases in/checked/rejected {t['cases_in']:,}/{t['cases_checked']:,}/{t['cases_rejected']:,}"
        f"  reconciled: {reconciled and int(r.cases['findings'].sum()) == t['findings']}"
    )


if __name__ == "__main__":
    main()
