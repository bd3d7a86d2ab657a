"""The severity policy is written once and every rule in the catalogue follows it."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from permanency_rules import evaluate
from permanency_rules.language.catalogue import load_catalogue
from permanency_rules.language.errors import RuleLoadError
from permanency_rules.language.loader import load_rules
from permanency_rules.language.parameters import load_parameters
from permanency_rules.language.severity import POLICY, Duty, FindingStatus, expected
from tests.conftest import PER_CASE, ROOT

CATALOGUE = load_catalogue()
PARAMS = load_parameters(ROOT / "rules" / "parameters.yaml")
RANK = {"info": 0, "warning": 1, "critical": 2}


@pytest.mark.parametrize("rule", CATALOGUE.rules, ids=lambda r: r.id)
def test_every_rule_follows_the_policy_for_its_duty_class(rule) -> None:  # type: ignore[no-untyped-def]
    tiers = {s: expected(rule.spec.duty, s) for s in rule.finding_statuses}
    assert None not in tiers.values(), f"{rule.id}: a {rule.spec.duty} rule cannot report {tiers}"
    assert rule.spec.severity.value == max(tiers.values(), key=RANK.__getitem__)  # type: ignore[arg-type]
    if "due_soon" in tiers:
        assert rule.spec.due_soon_severity.value == tiers["due_soon"]


def test_the_policy_says_what_the_issue_says() -> None:
    # critical = a legal duty overdue, or a goal the law does not allow
    assert POLICY[Duty.LEGAL_DEADLINE][FindingStatus.OVERDUE] == "critical"
    assert POLICY[Duty.LEGAL_BAR][FindingStatus.FLAGGED] == "critical"
    # warning = a practice concern, or a legal duty due soon with nothing scheduled
    assert POLICY[Duty.PRACTICE][FindingStatus.FLAGGED] == "warning"
    assert POLICY[Duty.LEGAL_DEADLINE][FindingStatus.DUE_SOON] == "warning"
    # info = reminders, scheduled items, missed duties that cannot be cured
    assert set(POLICY[Duty.REMINDER].values()) == {"info"}
    for duty in (Duty.LEGAL_DEADLINE, Duty.PRACTICE):
        assert POLICY[duty][FindingStatus.SCHEDULED] == POLICY[duty][FindingStatus.MISSED] == "info"


def test_the_docs_table_is_the_code_table() -> None:
    text = (ROOT / "docs" / "severity.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- policy-table.*?-->\n(.*?)<!-- /policy-table -->", text, re.S)
    assert block, "docs/severity.md lost its policy table"
    rows = [r.strip().strip("|").split("|") for r in block.group(1).strip().splitlines()]
    head = [c.strip() for c in rows[0]]
    assert head[0] == "duty"
    statuses = head[1:]
    assert set(statuses) == {s.value for s in FindingStatus}
    got = {
        Duty(cells[0].strip()): {
            FindingStatus(s): c.strip() for s, c in zip(statuses, cells[1:], strict=True) if c.strip()
        }
        for cells in rows[2:]
    }
    assert got == POLICY


def test_each_duty_class_is_used_and_documented() -> None:
    used = {r.spec.duty for r in CATALOGUE.rules}
    assert used == set(Duty)
    text = (ROOT / "docs" / "severity.md").read_text(encoding="utf-8")
    for d in Duty:
        assert f"`{d.value}`" in text


def _load(tmp_path: Path, old: str, new: str) -> list[str]:
    src = (ROOT / "rules" / "overdue_timeline" / "PR-OT-003" / "rule.yaml").read_text(encoding="utf-8")
    assert old in src
    folder = tmp_path / "overdue_timeline" / "PR-OT-003"
    folder.mkdir(parents=True)
    (folder / "rule.yaml").write_text(src.replace(old, new), encoding="utf-8")
    with pytest.raises(RuleLoadError) as exc:
        load_rules(tmp_path, PARAMS)
    return [str(e) for e in exc.value.errors]


def test_the_loader_refuses_a_severity_off_the_policy(tmp_path: Path) -> None:
    (err,) = _load(tmp_path, "due_soon_severity: warning", "due_soon_severity: info")
    assert "rule.yaml:" in err and "due_soon_severity info does not follow the policy" in err


def test_the_loader_refuses_a_status_the_duty_class_cannot_have(tmp_path: Path) -> None:
    errs = _load(tmp_path, "duty: legal_deadline", "duty: legal_bar")
    assert any("a legal_bar rule cannot report status 'due_soon'" in e for e in errs)


def test_r1_review_hearing_and_finding_due_the_same_day_share_one_tier() -> None:
    """R1 story: a child removed 2025-02-10 was adjudicated on 2025-02-20, the date she entered
    foster care; her six-month review was held 2025-08-10 and nothing since. On 2026-02-01 the
    next review is due 2026-02-10, and the permanency hearing and the court's finding of
    reasonable efforts to finalize are both due 2026-02-20, with nothing scheduled. They are all
    legal deadlines: one tier (warning) while due soon, and critical once overdue (review 45 CFR
    1356.21(b)(2) and 42 USC 675(5)(B)-(C) alike), where PR-OT-004 alone used to be a warning."""
    case = {
        "case_id": "r1",
        "child": {"birth_date": "2018-01-01"},
        "episode": {"removal_date": "2025-02-10", "first_adjudication_date": "2025-02-20"},
        "goals": [{"type": "reunification", "start_date": "2025-03-01"}],
        "case_plans": [{"date": "2025-03-01"}],
        "reviews": [{"type": "court", "date": "2025-08-10"}],
    }
    for engine in (PER_CASE, "pandas"):
        soon = {
            f.rule_id: (f.severity, f.status)
            for f in evaluate(case, date(2026, 2, 1), engine=engine).findings  # type: ignore[arg-type]
            if f.rule_id in ("PR-OT-002", "PR-OT-003", "PR-OT-004")
        }
        assert soon == {
            "PR-OT-002": ("warning", "due_soon"),
            "PR-OT-003": ("warning", "due_soon"),
            "PR-OT-004": ("warning", "due_soon"),
        }
        late = {
            f.rule_id: (f.severity, f.status)
            for f in evaluate(case, date(2026, 3, 1), engine=engine).findings  # type: ignore[arg-type]
            if f.rule_id in ("PR-OT-002", "PR-OT-003", "PR-OT-004")
        }
        assert late == {
            "PR-OT-002": ("critical", "overdue"),
            "PR-OT-003": ("critical", "overdue"),
            "PR-OT-004": ("critical", "overdue"),
        }
