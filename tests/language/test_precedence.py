"""One underlying fact, one finding: ``suppressed_by`` is checked at load and applied alike by
every engine and path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from permanency_rules import evaluate
from permanency_rules.caseload import check_caseload
from permanency_rules.language.errors import RuleLoadError
from permanency_rules.language.loader import load_rules
from permanency_rules.language.parameters import load_parameters
from permanency_rules.language.precedence import hidden
from permanency_rules.synth import write_caseload
from tests.conftest import PER_CASE, ROOT

PARAMS = load_parameters(ROOT / "rules" / "parameters.yaml")


def test_a_suppressor_on_the_same_record_hides_the_finding() -> None:
    matches = {
        "A": [(1, ("need:n1",)), (1, ("need:n2",)), (2, ("need:n1",))],
        "B": [(1, ("need:n1",))],
    }
    assert hidden({"A": ("B",)}, matches) == {"A": [0]}  # not n2, not case 2


def test_a_case_level_rule_is_hidden_by_any_suppressor_match_in_the_case() -> None:
    matches = {"A": [(1, ()), (2, ())], "B": [(2, ("deadline:x",))]}
    assert hidden({"A": ("B",)}, matches) == {"A": [1]}
    # and a case-level suppressor hides every match of the rule in that case
    matches = {"A": [(1, ("need:n1",)), (1, ("need:n2",)), (3, ("need:n1",))], "B": [(1, ())]}
    assert hidden({"A": ("B",)}, matches) == {"A": [0, 1]}


def test_suppression_reads_matches_before_suppression() -> None:
    # C hides B and B hides A: A is hidden too, whatever the order
    matches = {"A": [(1, ())], "B": [(1, ())], "C": [(1, ())]}
    assert hidden({"A": ("B",), "B": ("C",)}, matches) == {"A": [0], "B": [0]}
    assert hidden({"B": ("C",), "A": ("B",)}, matches) == {"A": [0], "B": [0]}


def _two_rules(tmp_path: Path, sg001: str, sg004: str | None = None) -> list[str]:
    base = ROOT / "rules" / "service_gap"
    for rid, extra in (("PR-SG-001", sg001), ("PR-SG-004", sg004)):
        text = (base / rid / "rule.yaml").read_text(encoding="utf-8")
        text = "\n".join(line for line in text.splitlines() if not line.startswith("suppressed_by:"))
        if extra is not None:
            text = text.replace("\nwhen:", f"\nsuppressed_by: {extra}\nwhen:")
        (tmp_path / "service_gap" / rid).mkdir(parents=True)
        (tmp_path / "service_gap" / rid / "rule.yaml").write_text(text + "\n", encoding="utf-8")
    with pytest.raises(RuleLoadError) as exc:
        load_rules(tmp_path, PARAMS)
    return [str(e) for e in exc.value.errors]


def test_the_loader_refuses_unknown_ids_with_file_and_line(tmp_path: Path) -> None:
    (err,) = _two_rules(tmp_path, "[PR-XX-999]")
    assert "PR-SG-001/rule.yaml:" in err and "suppressed_by.0: unknown rule id 'PR-XX-999'" in err
    assert not err.split("rule.yaml:")[1].startswith("1:")  # points at the line itself


def test_the_loader_refuses_self_and_repeated_references(tmp_path: Path) -> None:
    errs = _two_rules(tmp_path, "[PR-SG-001, PR-SG-004, PR-SG-004]")
    assert any("cannot suppress itself" in e for e in errs)
    assert any("'PR-SG-004' is listed twice" in e for e in errs)


def test_the_loader_refuses_cycles(tmp_path: Path) -> None:
    (err,) = _two_rules(tmp_path, "[PR-SG-004]", "[PR-SG-001]")
    assert "suppression cycle: PR-SG-001 -> PR-SG-004 -> PR-SG-001" in err


AS_OF = date(2026, 4, 1)
NO_PLAN = {  # R12: removed 90 days ago, no goal and no case plan
    "case_id": "r12",
    "child": {"birth_date": "2019-05-01"},
    "episode": {"removal_date": "2026-01-01"},
}
TRAUMA = {  # one unserved trauma need: one finding, not two
    "case_id": "sg",
    "child": {"birth_date": "2016-03-01"},
    "episode": {"removal_date": "2026-01-02"},
    "case_plans": [{"id": "cp1", "date": "2026-01-20"}],
    "goals": [{"id": "g1", "type": "adoption", "start_date": "2026-01-20"}],
    "needs": [
        {"id": "n1", "whose": "child", "domain": "trauma", "identified_date": "2026-02-01"},
        {"id": "n2", "whose": "child", "domain": "trauma", "identified_date": "2026-02-01"},
    ],
    "services": [
        {
            "id": "s2",
            "need": "n2",
            "type": "counseling",
            "status": "active",
            "referred_date": "2026-02-05",
            "started_date": "2026-02-10",
        }
    ],
}


def _rules(findings: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted((c, r) for c, r in findings if r in {"PR-MG-001", "PR-OT-001", "PR-SG-001", "PR-SG-004"})


def test_r12_no_case_plan_gives_one_critical_not_two_on_every_path(tmp_path: Path) -> None:
    """R12 story: 90 days after removal there is neither a case plan nor a goal. The goal is part
    of the plan (42 USC 675(1), 45 CFR 1356.21(g)): PR-OT-001 reports the overdue plan, and
    PR-MG-001 stays quiet. And one trauma need with no service at all gives PR-SG-001 only,
    while the other, answered with generic counseling, still gives PR-SG-004."""
    want = [("r12", "PR-OT-001"), ("sg", "PR-SG-001"), ("sg", "PR-SG-004")]
    for engine in (PER_CASE, "pandas"):
        got = [
            (c["case_id"], f.rule_id)
            for c in (NO_PLAN, TRAUMA)
            for f in evaluate(c, AS_OF, engine=engine).findings
        ]  # type: ignore[arg-type]
        assert _rules(got) == want, engine
    sg4 = [f for f in evaluate(TRAUMA, AS_OF).findings if f.rule_id == "PR-SG-004"]
    assert [e.fact_id for f in sg4 for e in f.evidence if e.fact_type == "need"] == ["need:n2"]
    write_caseload([NO_PLAN, TRAUMA], tmp_path / "tables")
    for backend in ("pandas", PER_CASE):  # the column-wise path, and per case
        res = check_caseload(tmp_path / "tables", AS_OF, backend=backend)
        got = list(zip(res.findings["case_id"], res.findings["rule_id"], strict=True))
        assert _rules(got) == want, backend
