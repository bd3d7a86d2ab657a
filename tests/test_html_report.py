"""The HTML report escapes everything that comes from the input and carries its charts."""

from __future__ import annotations

from datetime import date

from permanency_rules.caseload import check_caseload
from permanency_rules.outputs.html_report import render_html
from permanency_rules.synth import synth_cases

AS_OF = date(2026, 11, 1)


def test_report_escapes_input_and_draws_charts() -> None:
    cases = list(synth_cases(60, AS_OF, seed=4))
    evil = dict(cases[0], case_id="<script>alert(1)</script>")
    evil["episode"] = {"removal_date": "not-a-date"}
    result = check_caseload([*cases[1:], evil], AS_OF)
    html = render_html(result, AS_OF, "0.1.0")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<svg") == 2
    assert f"cases in: <b>{result.totals['cases_in']}</b>" in html
    for rule_id in set(result.findings["rule_id"]):
        assert rule_id in html
