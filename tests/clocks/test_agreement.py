"""The findings and the deadlines list read one status model, so they cannot disagree.

For every deadline rule (a rule binding ``deadline`` with ``name == X`` and ``status in [...]``):
each of its findings names a deadline of the list with the same name, due date and status; and
each deadline of an open case whose status the rule flags has the rule's finding, or one of a
rule that suppresses it (``suppressed_by``). Checked on every fixture case and on generated
cases, per case (durable-rules) and column-wise (the pandas path over tables): 2,000 in CI, and
as many as ``AGREEMENT_CASES`` says (``AGREEMENT_CASES=10000`` for the issue's full run).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from permanency_rules.batch import check_caseload
from permanency_rules.clocks import compute_clocks
from permanency_rules.evaluation import plan_for, resolve_catalogue
from permanency_rules.model.io import parse_at
from permanency_rules.synth import synth_cases, write_caseload
from tests.conftest import PER_CASE, ROOT, load_yaml

AS_OF = date(2026, 11, 1)
#: Generated cases per backend (the full check is 10,000: AGREEMENT_CASES=10000).
N_CASES = int(os.environ.get("AGREEMENT_CASES", "2000"))


def _deadline_rules() -> dict[str, tuple[str, frozenset[str], frozenset[str]]]:
    """rule id -> (deadline name, statuses it flags, rules that suppress it)."""
    out = {}
    for path in sorted((ROOT / "rules").glob("*/PR-*/rule.yaml")):
        doc = load_yaml(path)
        for clause in doc["when"].get("facts", []):
            if clause.get("fact") != "deadline":
                continue
            tests = " ; ".join(clause.get("where", []))
            name = re.search(r"name == (\w+)", tests)
            statuses = re.search(r"status in \[([^\]]*)\]", tests)
            if name and statuses:
                flagged = frozenset(s.strip() for s in statuses.group(1).split(","))
                out[doc["id"]] = (name.group(1), flagged, frozenset(doc.get("suppressed_by", [])))
    return out


RULES = _deadline_rules()


def _check(deadlines: dict[str, list[dict[str, Any]]], findings: pd.DataFrame, open_cases: set[str]) -> None:
    by_case: dict[str, dict[str, list[tuple[str, Any, str]]]] = defaultdict(lambda: defaultdict(list))
    for f in findings.itertuples():
        by_case[f.case_id][f.rule_id].append(
            (f.deadline, None if pd.isna(f.due_date) else f.due_date, f.status)
        )
    for case_id, rows in deadlines.items():
        found = by_case.get(case_id, {})
        for rule_id, (name, flagged, suppressors) in RULES.items():
            listed = {(d["name"], d["due"], d["status"]) for d in rows if d["name"] == name}
            for item in found.get(rule_id, []):
                assert item in listed, (
                    f"{case_id} {rule_id}: finding {item} not in the deadlines list {listed}"
                )
            if case_id not in open_cases:
                continue
            for d in rows:
                if d["name"] != name or d["status"] not in flagged:
                    continue
                covered = (name, d["due"], d["status"]) in set(found.get(rule_id, []))
                covered = covered or any(found.get(s) for s in suppressors)
                assert covered, f"{case_id}: {name} {d['status']} due {d['due']} but no {rule_id} finding"


def _per_case_deadlines(
    cases: list[dict[str, Any]], as_of: date
) -> tuple[dict[str, list[dict[str, Any]]], set[str]]:
    params = plan_for(resolve_catalogue(), as_of).params
    out, open_cases = {}, set()
    for data in cases:
        case, _ = parse_at(data, as_of)
        clocks = compute_clocks(case, as_of, params)
        out[case.case_id] = [
            {"name": d.name.value, "due": d.due_date, "status": d.status.value} for d in clocks.deadlines
        ]
        if case.is_open and case.episode.removal_date <= as_of:
            open_cases.add(case.case_id)
    return out, open_cases


def test_the_rules_read_deadlines() -> None:
    assert len(RULES) >= 10


def test_fixtures_agree() -> None:
    for path in sorted((ROOT / "fixtures" / "cases").glob("*.yaml")):
        doc = load_yaml(path)
        deadlines, open_cases = _per_case_deadlines([doc["case"]], doc["as_of"])
        result = check_caseload([doc["case"]], doc["as_of"], backend=PER_CASE)
        _check(deadlines, result.findings, open_cases)


@pytest.mark.parametrize("backend", [PER_CASE, "pandas"])
def test_generated_cases_agree(tmp_path: Path, backend: str) -> None:
    cases = list(synth_cases(N_CASES, AS_OF, seed=9))
    deadlines, open_cases = _per_case_deadlines(cases, AS_OF)
    if backend == "pandas":
        write_caseload(cases, tmp_path / "t", "parquet")
        result = check_caseload(tmp_path / "t", AS_OF, backend="pandas")
    else:
        result = check_caseload(cases, AS_OF, backend=PER_CASE)
    assert (result.cases["status"] == "checked").all()
    _check(deadlines, result.findings, open_cases)
