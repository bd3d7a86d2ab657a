"""The loader rejects bad rule files with file and line, and never runs rule text."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from permanency_rules.language.catalogue import load_catalogue
from permanency_rules.language.conditions import ConditionSyntaxError, parse_test
from permanency_rules.language.errors import RuleLoadError
from permanency_rules.language.ir import Literal, Op, Param, Ref
from permanency_rules.language.loader import load_rules
from permanency_rules.language.parameters import load_parameters
from tests.conftest import ROOT

GOOD = (ROOT / "rules" / "service_gap" / "PR-SG-001" / "rule.yaml").read_text(encoding="utf-8")
PARAMS = load_parameters(ROOT / "rules" / "parameters.yaml")


def _load(tmp_path: Path, text: str, family: str = "service_gap", rid: str = "PR-SG-001") -> list:
    folder = tmp_path / family / rid
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rule.yaml").write_text(text, encoding="utf-8")
    return load_rules(tmp_path, PARAMS)


def _errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(RuleLoadError) as exc:
        _load(tmp_path, text)
    return [str(e) for e in exc.value.errors]


def test_the_good_rule_loads(tmp_path: Path) -> None:
    (rule,) = _load(tmp_path, GOOD)
    assert rule.id == "PR-SG-001"


@pytest.mark.parametrize(
    ("old", "new", "expected", "at"),
    [
        ("severity: warning", "severity: warning\ncolour: red", "unknown key 'colour'", "colour: red"),
        ("- fact: need", "- fact: needz", "unknown fact type 'needz'", "- fact: needz"),
        ("- is_open == true\n  facts", "- is_opn == true\n  facts", "unknown field 'is_opn'", "is_opn"),
        ("$need_service_days", "$nope_days", "parameter 'nope_days' is not defined", "$nope_days"),
        (
            "parameters: [need_service_days]",
            "parameters: []",
            "not listed under 'parameters'",
            "$need_service",
        ),
        ("whose in [child, mother, father]", "whose in [child, aunt]", "unknown code 'aunt'", "aunt"),
        ("need == n.id", "need != n.id", "must use '=='", "need != n.id"),
        ("need == n.id", "need == m.id", "'m' is not a fact bound by an earlier clause", "m.id"),
        (
            "is_open == true\n        - days",
            "is_open == 3\n        - days",
            "is not of type bool",
            "is_open == 3",
        ),
        ("{n.domain}", "{n.colour}", "unknown field for 'need'", "message:"),
        (
            "- is_open == true\n  facts",
            "- is_open == __import__('os')\n  facts",
            "cannot read value",
            "__import",
        ),
        ("severity: warning", "severity: extreme", "severity", "severity: extreme"),
    ],
)
def test_bad_rules_are_rejected_with_file_and_line(
    tmp_path: Path, old: str, new: str, expected: str, at: str
) -> None:
    assert old in GOOD, old
    text = GOOD.replace(old, new, 1)
    errors = _errors(tmp_path, text)
    assert any(expected in e for e in errors), errors
    assert all("rule.yaml:" in e for e in errors)
    line_no = next(i for i, line in enumerate(text.splitlines(), 1) if at in line)
    assert any(f"rule.yaml:{line_no}:" in e for e in errors if expected in e), (line_no, errors)


def test_active_rule_needs_a_citation(tmp_path: Path) -> None:
    text = GOOD.split("citations:")[0] + "effective_from" + GOOD.split("effective_from", 1)[1]
    assert any("cite at least one source" in e for e in _errors(tmp_path, text))


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    _load(tmp_path, GOOD)
    other = tmp_path / "service_gap" / "PR-SG-099"
    other.mkdir(parents=True)
    (other / "rule.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(RuleLoadError) as exc:
        load_rules(tmp_path, PARAMS)
    assert "duplicate id PR-SG-001" in str(exc.value)


def test_two_multi_value_in_tests_in_one_clause_are_unsafe(tmp_path: Path) -> None:
    text = GOOD.replace("        - is_open == true\n", "        - domain in [trauma, housing]\n", 1)
    assert any("multi-value 'in'" in e for e in _errors(tmp_path, text))


def test_rule_filed_under_the_wrong_family(tmp_path: Path) -> None:
    folder = tmp_path / "engagement" / "PR-SG-001"
    folder.mkdir(parents=True)
    (folder / "rule.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(RuleLoadError, match="filed under 'engagement/'"):
        load_rules(tmp_path, PARAMS)


def test_yaml_python_tags_are_never_constructed(tmp_path: Path) -> None:
    text = GOOD.replace("severity: warning", "severity: !!python/object/apply:os.system ['true']")
    errors = _errors(tmp_path, text)
    assert any("cannot read YAML" in e for e in errors), errors


def test_parse_test_forms() -> None:
    assert parse_test("days_since_identified > $need_service_days").operand == Param("need_service_days")
    assert parse_test("need == n.id").operand == Ref("n", "id")
    assert parse_test("status in [overdue, due_soon]").operand == Literal(("overdue", "due_soon"))
    assert parse_test("end_day missing").op == Op.MISSING
    assert parse_test("whose == 'child'").operand == Literal("child")
    for bad in ["x = 1", "x in overdue", "x exists 1", "x > ", "os.system('x') == 1"]:
        with pytest.raises(ConditionSyntaxError):
            parse_test(bad)


def test_the_bundled_catalogue(tmp_path: Path) -> None:
    cat = load_catalogue()
    assert len([r for r in cat.rules if r.spec.status.value == "active"]) >= 35
    assert {r.spec.family.value for r in cat.rules} == {
        "missing_goal",
        "unrealistic_goal",
        "service_gap",
        "overdue_timeline",
        "eligibility",
        "long_term_foster_care",
        "engagement",
    }
    deadlines = {
        t.operand.value
        for r in cat.rules
        for c in r.condition.clauses
        if c.fact == "deadline"
        for t in c.tests
        if t.field == "name" and isinstance(t.operand, Literal)
    }
    assert deadlines >= {
        "case_plan",
        "periodic_review",
        "permanency_hearing",
        "reasonable_efforts_finding",
        "tpr_petition",
        "caseworker_visit",
        "relative_notice",
        "transition_plan",
        "credit_report",
    }
    copy = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", copy)
    assert len(load_catalogue(copy).rules) == len(cat.rules)
