"""docs/tables.md's output tables list exactly the columns a run writes."""

from __future__ import annotations

import re
import shlex
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from permanency_rules.batch.deadlines import due_summary
from permanency_rules.caseload import check_caseload
from permanency_rules.cli import app
from permanency_rules.outputs.diff import diff_findings
from permanency_rules.outputs.table_docs import OUTPUT_TABLES
from tests.conftest import ROOT

AS_OF = date(2026, 11, 1)


def test_documented_columns_are_the_written_ones() -> None:
    docs = {t.name: t.names for t in OUTPUT_TABLES}
    r = check_caseload(ROOT / "fixtures" / "caseload", AS_OF, group_by="office")
    d = diff_findings(r.findings, r.findings)
    written = {
        "findings": list(r.findings.columns),
        "per-case": list(r.cases.columns),
        "summary": [c for c in r.summary.columns if c not in r.group_by],
        "roll-up": [c for c in r.groups.columns if c not in r.group_by],
        "deadlines": list(r.deadlines.columns),
        "due summary": list(due_summary(r.deadlines, r.cases, ["office", "worker_id"]).columns),
        "diff": list(d.rows.columns),
        "diff summary": list(d.summary.columns),
    }
    assert written == docs
    assert r.summary.columns[0] == "office" and r.groups.columns[0] == "office"


def test_analyst_guide_example_runs_on_the_synthetic_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guide's commands, on a smaller caseload: its --as-of fits the synthetic data's dates,
    so no case is rejected, and every option it names exists."""
    text = (ROOT / "docs" / "analyst-guide.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block
    monkeypatch.chdir(tmp_path)
    commands = [c for c in block.group(1).replace("\\\n", " ").splitlines() if c.strip()]
    assert len(commands) == 2
    for line in commands:
        words = shlex.split(line.split("#")[0])[1:]
        words = ["300" if w == "50000" else w for w in words]
        res = CliRunner().invoke(app, words, catch_exceptions=False)
        assert res.exit_code == 0, res.output
    totals = re.search(r"cases in: (\d+)\s+checked: (\d+)\s+rejected: (\d+)", res.output)
    assert totals is not None and totals.groups() == ("300", "300", "0")
