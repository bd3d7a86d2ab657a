"""Trainer commands: report, whatif (and, as they land, explain --case, test)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from permanency_rules.cli import app
from tests.conftest import ROOT

runner = CliRunner()
DRIFT = ROOT / "fixtures" / "cases" / "02_reunification_drift.yaml"
PATCH = """\
- op: add
  path: /goals/-
  value: {type: adoption, role: concurrent, start_date: 2026-10-01}
"""


def test_report_writes_one_page_and_uses_the_files_as_of(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "case.html"
    r = runner.invoke(app, ["report", str(DRIFT), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "using the case file's as_of 2026-11-01" in r.stderr
    html = out.read_text(encoding="utf-8")
    narrated = yaml.safe_load(DRIFT.read_text(encoding="utf-8"))["expect"]["findings"]
    assert "As of 2026-11-01" in html and html.count('class="finding"') == len(narrated)
    assert [p.name for p in out.parent.iterdir()] == ["case.html"]  # no temporary file left


def test_report_with_a_patch_adds_the_what_if(tmp_path: Path) -> None:
    patch = tmp_path / "p.yaml"
    patch.write_text(PATCH, encoding="utf-8")
    out = tmp_path / "case.html"
    r = runner.invoke(app, ["report", str(DRIFT), "--out", str(out), "--patch", str(patch)])
    assert r.exit_code == 0, r.output
    assert 'id="whatif"' in out.read_text(encoding="utf-8")


def test_whatif_text_and_json(tmp_path: Path) -> None:
    patch = tmp_path / "p.yaml"
    patch.write_text(PATCH, encoding="utf-8")
    r = runner.invoke(app, ["whatif", str(DRIFT), "--patch", str(patch), "--as-of", "2026-11-01"])
    assert r.exit_code == 0, r.output
    assert "disappears  PR-UG-003" in r.stdout
    r = runner.invoke(app, ["whatif", str(DRIFT), "--patch", str(patch), "--format", "json"])
    data = json.loads(r.stdout)
    assert [f["rule_id"] for f in data["disappeared"]] == ["PR-UG-003"]


def test_whatif_and_report_user_errors_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"op": "move", "from": "/goals/0", "path": "/goals/1"}]', encoding="utf-8")
    r = runner.invoke(app, ["whatif", str(DRIFT), "--patch", str(bad)])
    assert r.exit_code == 2 and "op must be one of" in r.stderr and "Traceback" not in r.output
    r = runner.invoke(app, ["whatif", str(DRIFT), "--patch", str(tmp_path / "missing.yaml")])
    assert r.exit_code == 2 and "Traceback" not in r.output
    r = runner.invoke(app, ["report", str(DRIFT), "--out", str(tmp_path / "x.txt")])
    assert r.exit_code == 2 and ".html" in r.stderr


def test_explain_suggests_the_closest_ids() -> None:
    for typed in ("pr-ug-003", "PR-UG-03", "PR-UG-0003"):
        r = runner.invoke(app, ["explain", typed])
        assert r.exit_code == 2 and "did you mean PR-UG-003" in " ".join(r.stderr.split())


def test_explain_for_a_classroom_is_plain_words_without_review_notes() -> None:
    r = runner.invoke(app, ["explain", "PR-UG-003"])
    assert r.exit_code == 0
    assert "A concurrent goal is in effect: no" in r.stdout
    assert "at least 12 months (reunification_only_months)" in r.stdout
    assert "not yet verified" not in r.stdout
    assert "not yet verified" in (ROOT / "docs" / "rules" / "PR-UG-003.md").read_text(encoding="utf-8")


def test_explain_with_a_case_shows_the_trace() -> None:
    r = runner.invoke(app, ["explain", "PR-SG-001", "--case", str(DRIFT)])
    assert r.exit_code == 0, r.output
    assert "does not flag" in r.stdout and "service:s-treatment: PREVENTS the flag" in r.stdout
    r = runner.invoke(app, ["explain", "PR-UG-003", "--case", str(DRIFT), "--format", "json"])
    data = json.loads(r.stdout)
    assert data["flags"] is True and len(data["finding_ids"]) == 1


def test_explain_renders_markdown_on_a_terminal(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import permanency_rules.cli as cli

    monkeypatch.setattr(cli, "_stdout_is_terminal", lambda: True)
    r = runner.invoke(app, ["explain", "PR-UG-003"])
    assert r.exit_code == 0
    assert "The principle" in r.stdout and "## The principle" not in r.stdout  # a rendered heading
    assert "`is_open == true`" not in r.stdout  # code spans rendered, not shown raw
