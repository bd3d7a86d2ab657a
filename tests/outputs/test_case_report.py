"""The case report: every fixture case renders, input is escaped, and Chromium shows it cleanly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from permanency_rules import evaluate
from permanency_rules.model.io import load_case_document
from permanency_rules.outputs.case_report import STATUS_STYLE, case_report_html, safe_url, status_style
from tests.browser import open_html
from tests.conftest import ROOT

CASES = sorted((ROOT / "fixtures" / "cases").glob("*.yaml"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_fixture_case_renders_its_findings_and_deadlines(path: Path) -> None:
    case, doc = load_case_document(path)
    html = case_report_html(case, doc["as_of"], profile=doc.get("profile"))
    expected = doc["expect"]["findings"]
    assert html.count('class="finding"') == len(expected)
    assert sorted(re.findall(r'data-rule="([A-Z0-9-]+)"', html)) == sorted(expected)
    assert 'id="timeline"' in html and 'id="defc-line"' in html
    assert "<script" not in html and "http://cdn" not in html and "<link" not in html


def test_input_text_is_escaped_everywhere() -> None:
    case, doc = load_case_document(ROOT / "fixtures" / "cases" / "02_reunification_drift.yaml")
    evil = "<script>alert(1)</script>"
    data = case.model_dump(mode="json", exclude_none=True)
    data["case_id"] = evil
    data["placements"][0]["id"] = '"><img src=x onerror=alert(1)>'
    data["needs"][0]["id"] = evil
    for s in data["services"]:
        if s["need"] == "n-mother-substance":
            s["need"] = evil
    html = case_report_html(data, doc["as_of"])
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_status_colours_cover_new_statuses_and_degrade() -> None:
    for status in (
        "met",
        "due_soon",
        "overdue",
        "scheduled",
        "missed",
        "excepted",
        "not_applicable",
        "not_evaluable",
        "pending",
        "met_late",
    ):
        assert status in STATUS_STYLE
    assert len({c for c, _ in STATUS_STYLE.values()}) == len(STATUS_STYLE)
    colour, label = status_style("some_future_status")
    assert colour.startswith("#") and label == "some future status"


def test_only_web_links_become_links() -> None:
    assert safe_url("https://www.law.cornell.edu/uscode/text/42/675") is not None
    assert safe_url("javascript:alert(1)") is None
    assert safe_url(None) is None


def test_report_in_headless_chromium(tmp_path: Path) -> None:
    case, doc = load_case_document(ROOT / "fixtures" / "cases" / "02_reunification_drift.yaml")
    out = tmp_path / "case.html"
    changes = [
        {
            "op": "add",
            "path": "/goals/-",
            "value": {"type": "adoption", "role": "concurrent", "start_date": "2026-10-01"},
        }
    ]
    out.write_text(case_report_html(case, doc["as_of"], changes=changes), encoding="utf-8")
    with open_html(out) as opened:
        page = opened.page
        assert opened.errors == []
        assert page.locator("svg#timeline").is_visible()
        assert page.locator("#defc-line").count() == 1
        assert page.locator("#as-of-line").count() == 1
        assert page.locator("svg#timeline rect.band.placement").count() == 1
        assert page.locator("svg#timeline rect.band.goal").count() == 1
        assert page.locator("svg#timeline .mark.case-plan").count() == 3
        assert page.locator("svg#timeline circle.deadline").count() >= 5
        deadlines = evaluate(case, doc["as_of"]).deadlines
        assert page.locator("#deadlines tr[data-status]").count() == len(deadlines)
        assert page.locator("svg#timeline circle.deadline").count() == sum(
            d.due_date is not None for d in deadlines
        )
        overdue = page.locator("#deadlines tr[data-status='overdue'] .chip")
        if overdue.count():
            assert overdue.first.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(198, 40, 40)"
        findings = evaluate(case, doc["as_of"]).findings
        assert len(findings) >= 4
        assert page.locator("article.finding").count() == len(findings)
        assert page.locator("article.finding a[href^='https://']").count() >= len(findings)
        assert page.locator("#whatif tr[data-change='disappears']").count() == 1
        assert "PR-UG-003" in page.locator("#whatif tr[data-change='disappears']").inner_text()
        assert page.locator("#finding-count").inner_text() == str(len(findings))
        assert opened.screenshot_is_not_blank()


def test_blank_page_is_detected(tmp_path: Path) -> None:
    blank = tmp_path / "blank.html"
    blank.write_text("<!doctype html><html><body></body></html>", encoding="utf-8")
    with open_html(blank) as opened:
        assert opened.errors == []
        assert not opened.screenshot_is_not_blank()


def test_network_fetches_and_script_errors_are_caught(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><html><head><script src="https://cdn.example.invalid/x.js"></script></head>'
        "<body><p>hi</p><script>undefinedFunction()</script></body></html>",
        encoding="utf-8",
    )
    with open_html(bad) as opened:
        assert any("blocked request" in e for e in opened.errors)
        assert any("page error" in e for e in opened.errors)
