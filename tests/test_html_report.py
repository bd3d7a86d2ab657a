"""The caseload report: input escaped, counts from the same totals as the CLI, small counts
masked on request, the run-to-run diff when a previous run is given."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from permanency_rules.caseload import check_caseload
from permanency_rules.cli import app
from permanency_rules.outputs.diff import diff_findings
from permanency_rules.outputs.html_report import masked, render_html
from permanency_rules.synth import synth_cases
from tests.conftest import ROOT

AS_OF = date(2026, 11, 1)
BUNDLED = ROOT / "fixtures" / "caseload"
EVIL = "<script>alert(1)</script>"


def _totals(html: str) -> dict[str, int]:
    found = re.findall(r'data-total="(\w+)">([\d,]+)<', html)
    return {k: int(v.replace(",", "")) for k, v in found}


def test_report_escapes_input_and_draws_charts() -> None:
    cases = list(synth_cases(60, AS_OF, seed=4))
    flagged = set(check_caseload(cases, AS_OF).findings["case_id"])
    i = next(i for i, c in enumerate(cases) if c["case_id"] in flagged)  # its worker shows up
    odd = dict(cases.pop(i), office='<img src=x onerror="alert(2)">', worker_id="</script><b>w</b>")
    evil = dict(cases.pop(0), case_id=EVIL)
    evil["episode"] = {"removal_date": "not-a-date"}
    result = check_caseload([*cases, evil, odd], AS_OF)
    html = render_html(result, AS_OF, "0.1.0")
    for raw in (EVIL, '<img src=x onerror="alert(2)">', "</script><b>w</b>"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in html
    # the drill-down data is JSON the browser reads as text: no markup can close its script tag
    data = re.search(r'<script type="application/json" id="drill-data">(.*?)</script>', html, re.S)
    assert data is not None and "<" not in data.group(1)
    assert any(f["worker_id"] == "</script><b>w</b>" for f in json.loads(data.group(1)))
    assert html.count("<svg") == 2
    assert _totals(html)["cases_in"] == result.totals["cases_in"]
    for title in set(result.findings["title"]):
        assert str(title).replace("'", "&#39;") in html


def test_report_counts_are_the_clis(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    res = CliRunner().invoke(
        app,
        [
            "check",
            str(BUNDLED),
            "--as-of",
            "2026-11-01",
            "--out",
            str(tmp_path / "f.csv"),
            "--html",
            str(page),
        ],
    )
    assert res.exit_code == 0, res.output
    cli = re.search(r"cases in: (\d+)\s+checked: (\d+)\s+rejected: (\d+)\s+findings: (\d+)", res.output)
    assert cli is not None
    shown = _totals(page.read_text(encoding="utf-8"))
    assert [shown[k] for k in ("cases_in", "cases_checked", "cases_rejected", "findings")] == [
        int(x) for x in cli.groups()
    ]
    r = check_caseload(BUNDLED, AS_OF)
    assert shown["cases_flagged"] == (r.cases["findings"] > 0).sum()
    d = r.deadlines
    open_ = d["status"].isin(["overdue", "due_soon", "pending"])
    assert shown["deadlines_overdue"] == (open_ & (d["days_left"] < 0)).sum()
    assert shown["deadlines_due_30d"] == (open_ & (d["days_left"] >= 0) & (d["days_left"] <= 30)).sum()
    # each office's row shows its own counts
    html = page.read_text(encoding="utf-8")
    north = re.search(r'<tr data-office="north">(.*?)</tr>', html, re.S)
    assert north is not None
    cells = re.findall(r'data-v="([\d.]*)"', north.group(1))
    mine = r.cases[r.cases["office"] == "north"]
    assert int(cells[0]) == len(mine) and int(cells[3]) == (mine["findings"] > 0).sum()


def test_small_counts_masked_and_no_case_lists() -> None:
    assert [masked(v, True) for v in (0, 1, 10, 11, 2500)] == ["0", "<11", "<11", "11", "2,500"]
    r = check_caseload(BUNDLED, AS_OF, group_by="office")
    html = render_html(r, AS_OF, "0.1.0", mask_small=True)
    assert "&lt;11" in html
    assert 'id="drill-data"' not in html and 'id="due-table"' not in html
    assert not any(cid in html for cid in r.cases["case_id"])
    visible = re.findall(r'<td class="num[^"]*"(?: data-v="[^"]*")?>([^<]*)</td>', html)
    numbers = [int(v.replace(",", "")) for v in visible if re.fullmatch(r"[\d,]+", v)]
    assert numbers and not any(0 < v < 11 for v in numbers)


def test_diff_section_when_a_previous_run_is_given() -> None:
    old = check_caseload(BUNDLED, AS_OF)
    new = check_caseload(BUNDLED, date(2027, 1, 15))
    d = diff_findings(old.findings, new.findings)
    html = render_html(new, date(2027, 1, 15), "0.1.0", diff=d)
    assert "Since the previous run" in html
    shown = {k: int(v.replace(",", "")) for k, v in re.findall(r'data-diff="(\w+)">([\d,]+)<', html)}
    assert shown == d.totals
