"""Two installs of the command give the same finding ids on every fixture (run by `make test313`).

Usage: python tests/same_findings.py A/bin/permanency-rules B/bin/permanency-rules
Each fixture is evaluated through `permanency-rules evaluate --format json` by both commands, from
a directory outside the checkout, with the repository's rules folder; exit 1 on any difference.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def ids(command: str, path: Path, cwd: str) -> tuple[str, list[str]]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    args = [command, "evaluate", str(path), "--as-of", str(doc["as_of"]), "--rules", str(ROOT / "rules")]
    if doc.get("profile"):
        args += ["--profile", str(ROOT / "rules" / "profiles" / f"{doc['profile']}.yaml")]
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{command} failed on {path.name}: {done.stderr.strip()[:500]}")
    report = json.loads(done.stdout)
    return report["engine"], sorted(f["finding_id"] for f in report["findings"])


def main(a: str, b: str) -> int:
    fixtures = sorted((ROOT / "fixtures" / "cases").glob("*.yaml"))
    differ, total, engines = [], 0, set()
    with tempfile.TemporaryDirectory() as elsewhere:
        for path in fixtures:
            (ea, ia), (eb, ib) = ids(a, path, elsewhere), ids(b, path, elsewhere)
            engines |= {ea, eb}
            total += len(ia)
            if ia != ib:
                differ.append(path.name)
    print(f"{len(fixtures)} fixtures, {total} findings, engines {sorted(engines)}: {len(differ)} differ")
    for name in differ:
        print(f"  differs: {name}")
    return 1 if differ or not total else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    # the commands run from a directory outside the checkout: make relative paths absolute
    a, b = (str(Path(c).absolute()) if "/" in c else c for c in sys.argv[1:])
    raise SystemExit(main(a, b))
