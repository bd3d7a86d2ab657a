"""Case files that carry their lesson: evaluate honours as_of/profile/expect; `test`, `lint`,
`--extra-rules`, `lint --rules DIR` and `docs --out DIR` behave."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import yaml
from typer.testing import CliRunner

from permanency_rules.cli import app
from tests.conftest import ROOT

runner = CliRunner()
CASES = ROOT / "fixtures" / "cases"
DRIFT = CASES / "02_reunification_drift.yaml"
STATE = CASES / "10_state_profile_shorter_clock.yaml"
LOCAL_RULE = """\
id: LOCAL-MG-001
version: 1
status: active
title: No goal after 30 days (local practice)
summary: Our office sets a goal within 30 days of removal.
family: missing_goal
severity: warning
duty: practice
principle: Every child needs a destination from the start.
rationale: Local practice standard, stricter than the federal floor.
remediation: Hold the planning meeting this week.
citations:
  - {authority: local policy, section: "4.1"}
effective_from: 2020-01-01
when:
  case:
    - is_open == true
    - has_current_goal == false
    - days_since_removal > 30
message: No goal {case.days_since_removal} days after removal.
"""


def _local_rules(tmp: Path, rule_id: str = "LOCAL-MG-001", examples: bool = True) -> Path:
    folder = tmp / "local" / "missing_goal" / rule_id
    (folder / "examples").mkdir(parents=True)
    (folder / "rule.yaml").write_text(LOCAL_RULE.replace("LOCAL-MG-001", rule_id), encoding="utf-8")
    if examples:
        case = {
            "case_id": "l1",
            "child": {"birth_date": "2018-01-01"},
            "episode": {"removal_date": "2026-01-01"},
        }
        for expect, day in (("flag", date(2026, 2, 15)), ("no_flag", date(2026, 1, 20))):
            doc = {"description": expect, "as_of": day, "expect": expect, "case": case}
            (folder / "examples" / f"{expect}.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    return tmp / "local"


def test_evaluate_uses_the_files_as_of_and_profile_and_checks_expect() -> None:
    r = runner.invoke(app, ["evaluate", str(STATE), "--format", "json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert report["as_of"] == "2026-11-01" and report["profile"] == "example_state"
    assert "using the case file's as_of 2026-11-01" in r.stderr
    assert "using the case file's profile example_state" in r.stderr
    assert "expected findings are met" in r.stderr


def test_flags_override_the_file_and_say_so() -> None:
    r = runner.invoke(app, ["evaluate", str(DRIFT), "--as-of", "2026-10-31", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["as_of"] == "2026-10-31"
    assert "--as-of 2026-10-31 overrides the case file's as_of 2026-11-01" in r.stderr
    r = runner.invoke(
        app, ["evaluate", str(STATE), "--profile", str(ROOT / "rules" / "profiles" / "example_state.yaml")]
    )
    assert "overrides the case file's profile example_state" in r.stderr
    r = runner.invoke(app, ["evaluate", str(DRIFT), "--as-of", "2027-06-01", "--format", "json"])
    assert "expected findings are NOT met" in r.stderr


def test_test_command_passes_fixtures_and_examples() -> None:
    r = runner.invoke(app, ["test", str(CASES)])
    assert r.exit_code == 0, r.output
    n = len(list(CASES.glob("*.yaml")))
    assert r.stdout.strip().splitlines()[-1] == f"{n} passed, 0 failed"
    r = runner.invoke(app, ["test"])
    assert r.exit_code == 0 and r.stdout.count("PASS ") > 100


def test_test_command_fails_a_wrong_expectation(tmp_path: Path) -> None:
    doc = yaml.safe_load(DRIFT.read_text(encoding="utf-8"))
    real = sorted(doc["expect"]["findings"])
    assert len(real) >= 2 and "PR-MG-001" not in real
    doc["expect"]["findings"] = [real[0], "PR-MG-001"]
    bad = tmp_path / "wrong.yaml"
    bad.write_text(yaml.safe_dump(doc), encoding="utf-8")
    shutil.copy(CASES / "01_compliant_early_reunification.yaml", tmp_path / "good.yaml")
    (tmp_path / "notes.yaml").write_text("just: notes\n", encoding="utf-8")  # no expect: not a test
    r = runner.invoke(app, ["test", str(tmp_path)])
    assert r.exit_code == 1
    assert "FAIL" in r.stdout and f"unexpected {real[1]}" in r.stdout and "missing PR-MG-001" in r.stdout
    assert r.stdout.strip().splitlines()[-1] == "1 passed, 1 failed"
    empty = tmp_path / "empty"
    empty.mkdir()
    r = runner.invoke(app, ["test", str(empty)])
    assert r.exit_code == 2 and "no tests found" in r.stderr


def test_extra_rules_layer_on_the_bundled_catalogue(tmp_path: Path) -> None:
    local = _local_rules(tmp_path)
    r = runner.invoke(app, ["lint", "--extra-rules", str(local)])
    assert r.exit_code == 0, r.output
    assert "43 rules OK" in r.stdout or "rules OK (catalogue" in r.stdout
    case = CASES / "16_missing_goal.yaml"
    r = runner.invoke(app, ["evaluate", str(case), "--extra-rules", str(local), "--format", "json"])
    ids = {f["rule_id"] for f in json.loads(r.stdout)["findings"]}
    assert "LOCAL-MG-001" in ids and "PR-MG-001" in ids
    r = runner.invoke(app, ["test", "--extra-rules", str(local), str(local)])
    assert r.exit_code == 0 and "2 passed, 0 failed" in r.stdout


def test_extra_rule_id_clash_is_an_error(tmp_path: Path) -> None:
    local = _local_rules(tmp_path, "PR-MG-001")
    r = runner.invoke(app, ["lint", "--extra-rules", str(local)])
    assert r.exit_code == 2 and "PR-MG-001 is already a rule of the bundled catalogue" in r.stderr


def test_lint_requires_flag_and_no_flag_examples(tmp_path: Path) -> None:
    local = _local_rules(tmp_path, examples=False)
    r = runner.invoke(app, ["lint", "--extra-rules", str(local)])
    assert r.exit_code == 2
    assert "needs a 'flag' example" in r.stderr and "needs a 'no_flag' example" in r.stderr


def test_lint_rules_dir_gives_clean_errors(tmp_path: Path) -> None:
    for target in (tmp_path, tmp_path / "missing"):
        r = runner.invoke(app, ["lint", "--rules", str(target)])
        assert r.exit_code == 2 and "Traceback" not in r.output and r.stderr.startswith("error:")


def test_docs_writes_only_inside_its_folder(tmp_path: Path) -> None:
    out = tmp_path / "a" / "docs"
    r = runner.invoke(app, ["docs", "--out", str(out)])
    assert r.exit_code == 0, r.output
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert all(w.startswith("a/docs/") for w in written)
    assert {"a/docs/facts.md", "a/docs/tables.md", "a/docs/rules/index.md"} <= written
    a_file = tmp_path / "file.md"
    a_file.write_text("x", encoding="utf-8")
    r = runner.invoke(app, ["docs", "--out", str(a_file)])
    assert r.exit_code == 2 and "not a folder" in r.stderr


def test_check_takes_extra_rules_too(tmp_path: Path) -> None:
    local = _local_rules(tmp_path)
    out = tmp_path / "f.csv"
    args = ["check", str(ROOT / "fixtures" / "caseload"), "--as-of", "2026-11-01", "--out", str(out), "-q"]
    r = runner.invoke(app, [*args, "--extra-rules", str(local), "--workers", "2"])
    assert r.exit_code == 0, r.output
    import pandas as pd

    flagged = pd.read_csv(out)
    local_ids = set(flagged[flagged["rule_id"] == "LOCAL-MG-001"]["case_id"])
    assert local_ids and set(flagged[flagged["rule_id"] == "PR-MG-001"]["case_id"]) <= local_ids
