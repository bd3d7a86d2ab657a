"""The command line: exit codes, outputs by extension, one-line errors, today's date announced."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import yaml
from typer.testing import CliRunner

from permanency_rules.cli import app
from tests.conftest import ROOT

runner = CliRunner()
CASELOAD = ROOT / "fixtures" / "caseload"
EXAMPLE = (
    ROOT / "rules" / "overdue_timeline" / "PR-OT-003" / "examples" / "flag_overdue_late_adjudication.yaml"
)


def test_check_writes_findings_and_summary(tmp_path: Path) -> None:
    out, summ, cases = tmp_path / "f.parquet", tmp_path / "s.csv", tmp_path / "c.jsonl"
    r = runner.invoke(
        app,
        [
            "check",
            str(CASELOAD),
            "--as-of",
            "2026-11-01",
            "--out",
            str(out),
            "--summary",
            str(summ),
            "--cases",
            str(cases),
            "--quiet",
        ],
    )
    assert r.exit_code == 0, r.output
    f = pd.read_parquet(out)
    assert list(f.columns)[:3] == ["case_id", "rule_id", "rule_version"]
    assert len(f) > 0
    assert pd.read_csv(summ)["findings"].sum() == len(f)
    assert len(pd.read_json(cases, lines=True)) == 600
    assert "cases in: 600" in r.stdout


def test_check_group_by(tmp_path: Path) -> None:
    r = runner.invoke(
        app,
        [
            "check",
            str(CASELOAD),
            "--as-of",
            "2026-11-01",
            "--out",
            str(tmp_path / "f.csv"),
            "--summary",
            str(tmp_path / "s.csv"),
            "--group-by",
            "office",
            "-q",
        ],
    )
    assert r.exit_code == 0
    assert "office" in pd.read_csv(tmp_path / "s.csv").columns


def test_user_errors_exit_2_with_one_line(tmp_path: Path) -> None:
    cases = [
        ["check", str(tmp_path / "nope"), "--as-of", "2026-11-01", "--out", str(tmp_path / "f.csv")],
        ["check", str(CASELOAD), "--as-of", "2026-13-01", "--out", str(tmp_path / "f.csv")],
        ["check", str(CASELOAD), "--as-of", "2026-11-01", "--out", str(tmp_path / "f.xlsx")],
        [
            "check",
            str(CASELOAD),
            "--as-of",
            "2026-11-01",
            "--out",
            str(tmp_path / "f.csv"),
            "--group-by",
            "shoe",
        ],
        ["evaluate", str(tmp_path / "missing.json"), "--as-of", "2026-11-01"],
        [
            "check",
            str(CASELOAD),
            "--as-of",
            "2026-11-01",
            "--out",
            str(tmp_path / "f.csv"),
            "--profile",
            "atlantis",
        ],
    ]
    for args in cases:
        r = runner.invoke(app, args)
        assert r.exit_code == 2, (args, r.output)
        assert "Traceback" not in r.output
        assert len([x for x in r.stderr.splitlines() if x.startswith("error:")]) == 1, r.stderr


def test_bad_case_file_lists_its_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "case_id": "b1",
                "child": {},
                "episode": {"removal_date": "2026-01-01"},
                "goals": [{"type": "nope", "start_date": "2026-01-02"}],
            }
        )
    )
    r = runner.invoke(app, ["evaluate", str(bad), "--as-of", "2026-11-01"])
    assert r.exit_code == 2
    assert "goals[0].type" in r.stderr


def test_evaluate_engines_and_schema_command() -> None:
    from permanency_rules.engines.choice import resolve_engine
    from permanency_rules.model.schema import json_schema

    r = runner.invoke(app, ["evaluate", str(EXAMPLE), "--as-of", "2026-04-01", "--engine", "fast"])
    assert r.exit_code == 2 and "--engine must be one of" in r.stderr
    reports = {}
    for engine in ("auto", "builtin", "pandas"):
        r = runner.invoke(app, ["evaluate", str(EXAMPLE), "--as-of", "2026-04-01", "--engine", engine])
        assert r.exit_code == 0, r.output
        reports[engine] = json.loads(r.stdout)
    assert reports["auto"]["engine"] == resolve_engine("auto") and reports["builtin"]["engine"] == "builtin"
    assert len({json.dumps(r["findings"]) for r in reports.values()}) == 1
    for kind in ("case", "report"):
        r = runner.invoke(app, ["schema", kind])
        assert r.exit_code == 0 and json.loads(r.stdout) == json_schema(kind)  # type: ignore[arg-type]
    assert runner.invoke(app, ["schema", "finding"]).exit_code == 2


def test_evaluate_prints_json_report() -> None:
    r = runner.invoke(app, ["evaluate", str(EXAMPLE), "--as-of", "2026-04-01", "--format", "json"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert "PR-OT-003" in {f["rule_id"] for f in report["findings"]}
    assert {d["name"] for d in report["deadlines"]} >= {"permanency_hearing", "case_plan"}


def test_missing_as_of_defaults_to_today_and_says_so(tmp_path: Path) -> None:
    plain = tmp_path / "plain.json"  # a plain case file carries no as_of of its own
    plain.write_text(json.dumps(yaml.safe_load(EXAMPLE.read_text())["case"], default=str))
    r = runner.invoke(app, ["evaluate", str(plain), "--format", "text"])
    assert r.exit_code == 0
    assert "using today's date" in r.stderr


def test_synth_then_check_jsonl(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl"
    assert runner.invoke(app, ["synth", "--cases", "40", "--out", str(p), "--format", "jsonl"]).exit_code == 0
    r = runner.invoke(
        app, ["check", str(p), "--as-of", "2026-11-01", "--out", str(tmp_path / "f.jsonl"), "-q"]
    )
    assert r.exit_code == 0
    assert "cases in: 40" in r.stdout
    rows = [json.loads(line) for line in (tmp_path / "f.jsonl").read_text().splitlines()]
    due = [row["due_date"] for row in rows if row["due_date"] is not None]
    assert due and all(len(d) == 10 and date.fromisoformat(d) for d in due)  # plain dates


def test_explain_and_lint() -> None:
    r = runner.invoke(app, ["explain", "PR-OT-003"])
    assert r.exit_code == 0 and "## The principle" in r.stdout
    assert runner.invoke(app, ["explain", "PR-XX-999"]).exit_code == 2
    assert runner.invoke(app, ["lint"]).exit_code == 0


def test_evaluate_text_explains_for_trainers() -> None:
    case = ROOT / "fixtures" / "cases" / "02_reunification_drift.yaml"
    r = runner.invoke(app, ["evaluate", str(case), "--as-of", "2026-11-01", "--format", "text", "--explain"])
    assert r.exit_code == 0
    assert "principle:" in r.stdout and "sources:" in r.stdout and "next step:" in r.stdout
    assert "PR-UG-003" in r.stdout


def test_evaluate_reads_standard_input_json_and_yaml() -> None:
    fixture = ROOT / "fixtures" / "cases" / "02_reunification_drift.yaml"
    from_file = runner.invoke(app, ["evaluate", str(fixture), "--as-of", "2026-11-01"])
    from_yaml = runner.invoke(app, ["evaluate", "-", "--as-of", "2026-11-01"], input=fixture.read_text())
    case = yaml.safe_load(fixture.read_text())["case"]
    as_json = json.dumps(case, default=str)
    from_json = runner.invoke(app, ["evaluate", "-", "--as-of", "2026-11-01"], input=as_json)
    assert from_file.exit_code == from_yaml.exit_code == from_json.exit_code == 0
    ids = [
        [f["finding_id"] for f in json.loads(r.stdout)["findings"]] for r in (from_file, from_yaml, from_json)
    ]
    assert ids[0] and ids[0] == ids[1] == ids[2]
    assert "using the case file's as_of" not in from_yaml.stderr  # --as-of given: no note


def test_evaluate_json_format_prints_a_bad_case_as_data() -> None:
    bad = {
        "case_id": "b2",
        "child": {"birth_date": "2020-13-01"},
        "episode": {"removal_date": "2026-01-01"},
        "services": [{"id": "s1", "need_id": "missing", "type": "counseling", "status": "active"}],
    }
    r = runner.invoke(
        app, ["evaluate", "-", "--as-of", "2026-11-01", "--format", "json"], input=json.dumps(bad)
    )
    assert r.exit_code == 2
    answer = json.loads(r.stdout)
    assert answer["ok"] is False and answer["case_id"] == "b2"
    paths = {e["path"] for e in answer["errors"]}
    assert "child.birth_date" in paths and len(paths) >= 2  # every problem, one pass
    assert "2020-13-01" not in r.stdout  # paths and reasons, never the value
    assert "child.birth_date" in r.stderr  # and the one-line error for a person
    text = runner.invoke(app, ["evaluate", "-", "--as-of", "2026-11-01", "--format", "text"], input="{bad")
    assert text.exit_code == 2 and text.stdout == "" and "invalid JSON" in text.stderr
