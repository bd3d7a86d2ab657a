"""The caseload report in a real browser (Debian's headless Chromium, via tests/browser.py):
it loads offline with no console errors, its parts are there, the drill-down and the sorting
work, and the screenshot is not blank."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from permanency_rules.caseload import CaseloadResult, check_caseload
from permanency_rules.outputs.diff import diff_findings
from permanency_rules.outputs.html_report import render_html
from permanency_rules.synth import synth_cases
from tests.browser import open_html

AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def checked() -> tuple[CaseloadResult, CaseloadResult]:
    cases = list(synth_cases(80, AS_OF, seed=6))  # small: a full-page screenshot stays quick
    return check_caseload(cases, AS_OF), check_caseload(cases, date(2026, 12, 1), group_by="office")


@pytest.fixture(scope="module")
def page_file(
    tmp_path_factory: pytest.TempPathFactory, checked: tuple[CaseloadResult, CaseloadResult]
) -> Path:
    old, result = checked
    html = render_html(result, date(2026, 12, 1), "test", diff=diff_findings(old.findings, result.findings))
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_the_page_shows_the_runs_own_totals(
    page_file: Path, checked: tuple[CaseloadResult, CaseloadResult]
) -> None:
    result = checked[1]
    with open_html(page_file) as opened:
        shown = {
            el.get_attribute("data-total"): int(el.inner_text().replace(",", ""))
            for el in opened.page.locator("[data-total]").all()
        }
    assert shown["findings"] == len(result.findings)
    assert shown["cases_in"] == len(result.cases) == 80
    assert shown["cases_checked"] == int((result.cases["status"] == "checked").sum())
    assert shown["cases_rejected"] == int((result.cases["status"] == "rejected").sum())
    assert shown["cases_flagged"] == result.findings["case_id"].nunique()


def test_report_loads_offline_with_its_parts(page_file: Path) -> None:
    with open_html(page_file) as opened:
        page = opened.page
        assert opened.errors == []
        for part in (
            "#totals",
            "#changes",
            "#office-table",
            "#due-soon",
            "#due-table",
            "#rule-chart svg",
            "#office-chart svg",
            "#rule-table",
            "#drill-table",
        ):
            assert page.locator(part).count() >= 1, part
        findings = int(page.locator("[data-total=findings]").inner_text().replace(",", ""))
        assert page.locator("#drill-table tbody tr").count() == findings > 0
        assert opened.screenshot_is_not_blank()


def test_drill_down_from_a_rule_and_a_worker(page_file: Path) -> None:
    with open_html(page_file) as opened:
        page = opened.page
        button = page.locator("[data-drill-rule]").first
        rule = button.get_attribute("data-drill-rule")
        button.click()
        rows = page.locator("#drill-table tbody tr")
        for_rule = rows.count()
        assert for_rule > 0
        assert set(rows.locator("td:nth-child(4)").all_inner_texts()) == {rule}
        assert page.locator("#drill-filter").inner_text() == f"rule {rule}"
        page.locator("summary").first.click()  # open the workers
        worker = page.locator("[data-drill-worker]").first
        wid = worker.get_attribute("data-drill-worker")
        worker.click()
        assert set(page.locator("#drill-table tbody tr td:nth-child(3)").all_inner_texts()) == {wid}
        page.locator("#drill-clear").click()
        assert rows.count() > for_rule
        assert opened.errors == []


def test_tables_sort_and_filter(page_file: Path) -> None:
    with open_html(page_file) as opened:
        page = opened.page
        flagged = page.locator("#rule-table thead th", has_text="cases flagged")
        flagged.click()
        flagged.click()  # descending
        values = [
            int(v.replace(",", ""))
            for v in page.locator("#rule-table tbody td:nth-child(5)").all_inner_texts()
        ]
        assert values == sorted(values, reverse=True) and values[0] > values[-1]
        page.locator("#due-list summary").click()
        page.fill("input[data-table=due-table]", "caseworker visit")
        shown = page.locator("#due-table tbody tr:not([hidden])")
        assert shown.count() > 0
        assert set(shown.locator("td:nth-child(2)").all_inner_texts()) == {"caseworker visit"}
        assert opened.errors == []
