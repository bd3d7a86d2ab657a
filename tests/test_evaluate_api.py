"""The single-case API as a case system uses it: JSON in, JSON out, stable and explained."""

from __future__ import annotations

import json
from datetime import date

import pytest

from permanency_rules import CaseValidationError, evaluate, evaluate_json
from permanency_rules.model.io import load_case_document
from tests.conftest import ROOT

DRIFT = ROOT / "fixtures" / "cases" / "02_reunification_drift.yaml"
AS_OF = date(2026, 11, 1)


def _case() -> dict:
    case, _ = load_case_document(DRIFT)
    return case.model_dump(mode="json")


def test_dict_json_and_case_give_the_same_report() -> None:
    data = _case()
    a = evaluate(data, AS_OF)
    b = evaluate(json.dumps(data), AS_OF)
    c = evaluate(load_case_document(DRIFT)[0], AS_OF)
    assert a == b == c
    assert a.findings and a.deadlines


def test_finding_explains_itself() -> None:
    report = evaluate(_case(), AS_OF)
    for f in report.findings:
        assert f.citations and f.principle and f.remediation and f.message
        assert f.evidence and all(e.fact_id for e in f.evidence)
        assert len(f.summary) <= 140
    timeline = [f for f in evaluate(_case(), date(2027, 3, 1)).findings if f.family == "overdue_timeline"]
    assert timeline and all(
        f.deadline and f.due_date and f.status in ("overdue", "due_soon") for f in timeline
    )


def test_finding_ids_are_stable_across_days_while_the_problem_persists() -> None:
    a = {f.rule_id: f.finding_id for f in evaluate(_case(), AS_OF).findings}
    b = {f.rule_id: f.finding_id for f in evaluate(_case(), date(2026, 11, 8)).findings}
    shared = set(a) & set(b)
    assert shared and all(a[r] == b[r] for r in shared)


def test_evaluate_json_never_raises_on_bad_case() -> None:
    bad = json.dumps({"case_id": "b-1", "child": {}, "episode": {"removal_date": "2026-02-30"}})
    out = json.loads(evaluate_json(bad, AS_OF))
    assert out["ok"] is False and out["case_id"] == "b-1"
    assert out["errors"][0]["path"] == "episode.removal_date"
    assert json.loads(evaluate_json("{not json", AS_OF))["ok"] is False
    good = json.loads(evaluate_json(json.dumps(_case()), AS_OF))
    assert good["ok"] is True and good["report"]["case_id"] == "fx-02"


def test_as_of_must_be_a_date() -> None:
    with pytest.raises(TypeError):
        evaluate(_case(), "2026-11-01")  # type: ignore[arg-type]


def test_bad_case_lists_every_problem() -> None:
    data = _case()
    data["services"][0]["need"] = "missing"
    data["hearings"].append({"type": "permanency", "date": "2029-01-01"})  # > 2 years after as_of
    with pytest.raises(CaseValidationError) as exc:
        evaluate(data, AS_OF)
    paths = {e.path for e in exc.value.errors}
    assert "services[0].need" in paths and any(p.startswith("hearings[") for p in paths)


def test_profile_changes_clocks_and_findings() -> None:
    path = ROOT / "fixtures" / "cases" / "10_state_profile_shorter_clock.yaml"
    case, doc = load_case_document(path)
    federal = evaluate(case, doc["as_of"])
    state = evaluate(case, doc["as_of"], profile="example_state")
    assert state.profile == "example_state"
    assert {f.rule_id for f in state.findings} != {f.rule_id for f in federal.findings}


def test_findings_built_without_validation_are_valid_and_complete() -> None:
    """Findings skip pydantic validation for speed; every fixture's report must still
    validate to an equal report, with every field set."""
    from permanency_rules.outputs.findings import Evidence, Finding, Report

    checked = 0
    for path in sorted((ROOT / "fixtures" / "cases").glob("*.yaml")):
        case, doc = load_case_document(path)
        report = evaluate(case, doc["as_of"])
        for f in report.findings:
            assert f.model_fields_set == set(Finding.model_fields)
            assert all(e.model_fields_set == set(Evidence.model_fields) for e in f.evidence)
            checked += 1
        again = Report.model_validate_json(report.model_dump_json())
        assert again == report
        assert again.model_dump_json() == report.model_dump_json()
    assert checked > 20
