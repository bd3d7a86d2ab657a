"""Noise benchmark: how many findings a worker sees, how loud they are, and how often they stack.

Prints, for the narrated fixture cases and for a synthetic caseload (per case, durable-rules):
findings per case by severity, the share of cases with a critical finding, and stacked findings
(one case, one bound record such as a need, a parent or a deadline, more than one rule; rules
that bind only the case fact are grouped on the case). When the generator writes its ground
truth (``planted``), it also prints per-rule recall on the plants and how many cases with nothing
planted raise a warning or critical finding. Figures go into docs/noise.md.

    python benchmarks/noise.py                 # fixtures + 2,000 synthetic cases
    python benchmarks/noise.py --cases 10000
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

AS_OF = date(2026, 11, 1)
ROOT = Path(__file__).resolve().parents[1]
SEVERITIES = ("critical", "warning", "info")


def _stacks(findings: Iterable[Any]) -> tuple[int, int]:
    """(bound records other than the case fact that more than one rule reports, the findings
    on them)."""
    on_record: dict[str, set[str]] = defaultdict(set)
    for f in findings:
        for e in f.evidence:
            if e.fact_type != "case":
                on_record[e.fact_id].add(f.rule_id)
    stacked = [rules for rules in on_record.values() if len(rules) > 1]
    return len(stacked), sum(len(r) for r in stacked)


def measure(label: str, items: list[tuple[Any, date, str | None]]) -> dict[str, Any]:
    from permanency_rules import evaluate

    per_sev: Counter[str] = Counter()
    with_critical = groups = stacked = case_only_multi = 0
    for case, as_of, profile in items:
        report = evaluate(case, as_of, profile=profile)
        per_sev.update(f.severity for f in report.findings)
        with_critical += any(f.severity == "critical" for f in report.findings)
        g, s = _stacks(report.findings)
        groups += g
        stacked += s
        case_only = {f.rule_id for f in report.findings if all(e.fact_type == "case" for e in f.evidence)}
        case_only_multi += len(case_only) > 1
    n = len(items)
    out = {
        "label": label,
        "cases": n,
        **{f"{s}_per_case": per_sev[s] / n for s in SEVERITIES},
        "findings_per_case": sum(per_sev.values()) / n,
        "share_with_critical": with_critical / n,
        "stacked_groups": groups,
        "stacked_findings": stacked,
        "cases_with_several_case_level_findings": case_only_multi,
    }
    print(f"\n## {label}: {n} cases")
    print(
        "findings per case: "
        + ", ".join(f"{s} {per_sev[s] / n:.2f}" for s in SEVERITIES)
        + f" (all {sum(per_sev.values()) / n:.2f})"
    )
    print(f"share of cases with a critical finding: {100 * with_critical / n:.1f} %")
    print(
        f"stacked: {groups} record(s) with more than one rule, {stacked} findings on them "
        f"({stacked / n:.3f} per case)"
    )
    print(f"cases with more than one case-level finding: {case_only_multi}")
    return out


def fixtures() -> list[tuple[Any, date, str | None]]:
    from permanency_rules.model.io import load_case_document

    out = []
    for path in sorted((ROOT / "fixtures" / "cases").glob("*.yaml")):
        case, doc = load_case_document(path)
        out.append((case, doc["as_of"], doc.get("profile")))
    return out


def plants_report(cases: list[dict[str, Any]], planted: Any) -> None:
    """Per-rule recall on the planted problems, and loud findings on clean cases."""
    from permanency_rules import evaluate
    from permanency_rules.synth import PLANT_RULES

    found: dict[str, set[str]] = {}
    for case in cases:
        report = evaluate(case, AS_OF)
        found[case["case_id"]] = {
            f.rule_id for f in report.findings if f.severity in ("critical", "warning")
        } | {f"any:{f.rule_id}" for f in report.findings}
    by_case: dict[str, set[str]] = defaultdict(set)
    for cid, problem in zip(planted["case_id"], planted["problem"], strict=True):
        by_case[str(cid)].add(str(problem))
    print("\n## plants: recall per rule (cases where the planted problem is flagged by its rule)")
    for problem, rule_id in sorted(PLANT_RULES.items()):
        hits = [cid for cid, ps in by_case.items() if problem in ps]
        got = sum(f"any:{rule_id}" in found[c] for c in hits)
        if hits:
            print(f"{problem:32} {rule_id:10} {got}/{len(hits)} = {got / len(hits):.2f}")
    clean = [c["case_id"] for c in cases if c["case_id"] not in by_case]
    loud = [cid for cid in clean if any(not r.startswith("any:") for r in found[cid])]
    print(f"clean cases: {len(clean)}; with a warning or critical finding: {len(loud)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument(
        "--generator",
        type=Path,
        help="a synth.py to draw the caseload from instead (e.g. an older one, for before/after)",
    )
    args = ap.parse_args()
    from permanency_rules import synth
    from permanency_rules.language.catalogue import load_catalogue

    print(f"ruleset {load_catalogue().version}, synthetic seed {args.seed}, as_of {AS_OF}")
    measure("fixture cases", fixtures())
    if args.generator is not None:
        import importlib.util

        spec = importlib.util.spec_from_file_location("permanency_rules._synth_other", args.generator)
        assert spec and spec.loader
        synth = importlib.util.module_from_spec(spec)
        synth.__package__ = "permanency_rules"
        spec.loader.exec_module(synth)
        print(f"caseload drawn by {args.generator}")
    gen = getattr(synth, "synth_caseload", None)
    if gen is not None:
        cases, planted = gen(args.cases, AS_OF, seed=args.seed)
    else:
        cases, planted = list(synth.synth_cases(args.cases, AS_OF, seed=args.seed)), None
    measure("synthetic caseload", [(c, AS_OF, None) for c in cases])
    if planted is not None:
        plants_report(cases, planted)


if __name__ == "__main__":
    main()
