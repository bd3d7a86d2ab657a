"""A one-file HTML report of a caseload run: totals, two charts and the tables behind them.

Every value from the input (case ids, error text) is escaped by Jinja2's autoescaping; the
charts are SVG drawn by matplotlib from counts only.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import jinja2
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("permanency_rules.outputs", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
)
_COLOURS = {"critical": "#a40000", "warning": "#d18b00", "info": "#2a5d8a"}
MAX_REJECTED_SHOWN = 500


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def family_chart(findings: pd.DataFrame) -> str:
    counts = findings.groupby(["family", "severity"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=[c for c in _COLOURS if c in counts.columns])
    fig, ax = plt.subplots(figsize=(8, 3.2))
    if counts.empty:
        ax.text(0.5, 0.5, "no findings", ha="center")
        ax.set_axis_off()
        return _svg(fig)
    counts.plot.barh(stacked=True, ax=ax, color=[_COLOURS[c] for c in counts.columns])
    ax.set_xlabel("findings")
    ax.set_ylabel("")
    ax.set_title("Findings by family and severity")
    return _svg(fig)


def rule_chart(summary: pd.DataFrame, checked: int, top: int = 15) -> str:
    s = summary.groupby("rule_id")["cases_flagged"].sum().sort_values(ascending=True).tail(top)
    fig, ax = plt.subplots(figsize=(8, 0.3 * max(len(s), 3) + 1))
    share = s / max(checked, 1) * 100
    share.plot.barh(ax=ax, color="#555")
    ax.set_xlabel("% of checked cases flagged")
    ax.set_ylabel("")
    ax.set_title(f"Rules flagging the most cases (top {top})")
    return _svg(fig)


def render_html(
    result: Any, as_of: date, ruleset_version: str, profile: str | None = None, title: str = "Caseload check"
) -> str:
    """The report for a ``CaseloadResult``."""
    summary = result.summary
    flagged = summary[summary["findings"] > 0]
    rejected = result.cases[result.cases["status"] == "rejected"][["case_id", "errors"]]
    return _env.get_template("report.html.j2").render(
        title=title,
        as_of=as_of.isoformat(),
        ruleset_version=ruleset_version,
        profile=profile,
        totals=result.totals,
        family_chart=family_chart(result.findings),
        rule_chart=rule_chart(summary, result.totals["cases_checked"]),
        summary_columns=[c for c in summary.columns if c != "cases_checked"],
        summary_rows=flagged.to_dict("records"),
        not_evaluable=result.run_not_evaluable,
        rejected=rejected.head(MAX_REJECTED_SHOWN).to_dict("records"),
    )
