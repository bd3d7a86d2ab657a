"""Probe M3: ids and values are printed verbatim (no Rich markup or emoji), control characters escaped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from permanency_rules.cli import app, clean
from tests.conftest import ROOT, load_yaml

runner = CliRunner()
CASE = ROOT / "fixtures" / "cases" / "02_reunification_drift.yaml"


def _case_file(tmp_path: Path, case_id: str) -> Path:
    doc = load_yaml(CASE)
    case = doc.get("case", doc)
    case["case_id"] = case_id
    f = tmp_path / "c.json"
    f.write_text(json.dumps(case, default=str), encoding="utf-8")
    return f


def test_emoji_codes_and_markup_in_an_id_are_printed_as_given(tmp_path: Path) -> None:
    f = _case_file(tmp_path, "C:fire:[bold]1[/]")
    r = runner.invoke(app, ["evaluate", str(f), "--as-of", "2026-11-01", "--format", "text"])
    assert r.exit_code == 0, r.output
    assert "case C:fire:[bold]1[/] as of" in r.stdout
    assert "\U0001f525" not in r.stdout


def test_terminal_escapes_in_an_id_are_escaped(tmp_path: Path) -> None:
    f = _case_file(tmp_path, "\u001b]0;HACKED\u0007\u001b[2J")
    r = runner.invoke(app, ["evaluate", str(f), "--as-of", "2026-11-01", "--format", "text"])
    assert r.exit_code == 0, r.output
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "case \\x1b]0;HACKED\\x07\\x1b[2J as of" in r.stdout


def test_clean_escapes_controls_and_bidi_only() -> None:
    assert clean("a\tb\nc\u202ed é") == "a\\tb\\nc\\u202ed é"


def test_markup_in_a_group_by_value_does_not_break_the_summary(tmp_path: Path) -> None:
    src = tmp_path / "cl"
    shutil.copytree(ROOT / "fixtures" / "caseload", src)
    cases = pd.read_csv(src / "cases.csv", dtype=str, keep_default_na=False)
    cases.loc[cases["office"] != "", "office"] = "[/x]"
    cases.to_csv(src / "cases.csv", index=False)
    out = tmp_path / "f.csv"
    r = runner.invoke(
        app, ["check", str(src), "--as-of", "2026-11-01", "--out", str(out), "--group-by", "office"]
    )
    assert r.exit_code == 0, r.output
    assert "[/x]" in r.stdout and "cases in: 600" in r.stdout


def test_synth_errors_are_one_line(tmp_path: Path) -> None:
    """Probe L7."""
    for as_of in ("0001-06-01", "9999-12-31"):
        r = runner.invoke(app, ["synth", "--cases", "5", "--out", str(tmp_path / "d"), "--as-of", as_of])
        assert r.exit_code == 2 and r.stderr.startswith("error: --as-of for synth"), r.output
    (tmp_path / "file").write_text("x", encoding="utf-8")
    r = runner.invoke(app, ["synth", "--cases", "5", "--out", str(tmp_path / "file" / "d")])
    assert r.exit_code == 2 and r.stderr.startswith("error: ") and r.stderr.count("\n") == 1, r.output
