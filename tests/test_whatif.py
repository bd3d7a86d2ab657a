"""What-if: the findings that appear, disappear and persist, and deadlines that change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from permanency_rules import CaseValidationError, evaluate
from permanency_rules.model.io import load_case_document
from permanency_rules.whatif import apply_changes, merge_patch, what_if
from tests.conftest import ROOT

CASES = sorted((ROOT / "fixtures" / "cases").glob("*.yaml"))
DRIFT = ROOT / "fixtures" / "cases" / "02_reunification_drift.yaml"
CONCURRENT = {
    "op": "add",
    "path": "/goals/-",
    "value": {"type": "adoption", "role": "concurrent", "start_date": "2026-10-01"},
}


def test_adding_a_concurrent_goal_removes_only_the_reunification_only_finding() -> None:
    case, doc = load_case_document(DRIFT)
    result = what_if(case, [CONCURRENT], doc["as_of"])
    assert [f.rule_id for f in result.disappeared] == ["PR-UG-003"]
    assert result.appeared == []
    expected = sorted(doc["expect"]["findings"])  # the fixture's own narrated findings
    assert "PR-UG-003" in expected and len(expected) >= 3
    assert sorted(f.rule_id for f in result.persisted) == [r for r in expected if r != "PR-UG-003"]
    before = {f.finding_id for f in result.before.findings}
    assert {f.finding_id for f in result.persisted} <= before
    assert "disappears  PR-UG-003" in result.text()
    json.loads(result.model_dump_json())


def test_merge_patch_follows_rfc_7386() -> None:
    assert merge_patch({"a": 1, "b": {"c": 2, "d": 3}}, {"b": {"c": None, "e": 4}, "f": [1]}) == {
        "a": 1,
        "b": {"d": 3, "e": 4},
        "f": [1],
    }
    assert merge_patch({"a": [1, 2]}, {"a": [3]}) == {"a": [3]}


def test_dropping_the_visits_changes_the_visit_deadline_status() -> None:
    case, doc = load_case_document(DRIFT)
    visit = next(d for d in evaluate(case, doc["as_of"]).deadlines if d.name == "caseworker_visit")
    removed = what_if(case, {"caseworker_visits": []}, doc["as_of"])
    changed = {d.name: (d.before, d.after) for d in removed.deadline_changes}
    assert changed["caseworker_visit"][0] == visit.status == "pending"
    assert changed["caseworker_visit"][1] == "overdue"
    assert "deadline    caseworker_visit: pending -> overdue" in removed.text()


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_an_empty_change_changes_nothing_on_every_fixture(path: Path) -> None:
    case, doc = load_case_document(path)
    result = what_if(case, {}, doc["as_of"], profile=doc.get("profile"))
    assert result.appeared == [] and result.disappeared == [] and result.deadline_changes == []
    assert len(result.persisted) == len(doc["expect"]["findings"])


def test_bad_changes_are_clear_errors() -> None:
    case, doc = load_case_document(DRIFT)
    with pytest.raises(ValueError, match="op must be one of"):
        apply_changes(case, [{"op": "move", "from": "/goals/0", "path": "/goals/1"}])
    with pytest.raises(ValueError, match="does not apply"):
        apply_changes(case, [{"op": "remove", "path": "/goals/9"}])
    with pytest.raises(ValueError, match="case_id"):
        apply_changes(case, {"case_id": "other"})
    with pytest.raises(CaseValidationError) as exc:
        what_if(case, {"goals": [{"type": "no_such_goal", "start_date": "2026-01-01"}]}, doc["as_of"])
    assert any(e.path.startswith("goals[0]") for e in exc.value.errors)
