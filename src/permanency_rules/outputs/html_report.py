"""The caseload report: one self-contained HTML file for a supervisor (``check --html``).

Totals, roll-ups by office then worker with rates and due counts, a due-soon list, charts with
rule titles, drill-down from a rule or a worker to its findings, sortable and filterable tables.
Every count comes from the run's own tables (``CaseloadResult.totals``, ``batch.summary.rollup``,
``batch.deadlines.due_summary``), so the page and the CLI cannot disagree. Nothing is fetched:
the charts are inline SVG drawn by matplotlib from counts, the script is a few lines inline.
Input values are escaped by Jinja2's autoescaping, and case-level data for the drill-down is
embedded as JSON with ``<``, ``>`` and ``&`` escaped, then written into the page as text.
With ``mask_small`` every count of 1 to 10 shows as "<11" and no case-level list is included,
for tables shared outside the agency.
"""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import jinja2
import matplotlib
from markupsafe import Markup

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from ..batch.deadlines import OPEN, due_summary
from ..batch.summary import rollup

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("permanency_rules.outputs", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
)
_COLOURS = {"critical": "#a40000", "warning": "#d18b00", "info": "#2a5d8a"}
_OFFICE_COLOURS = ["#1b6ca8", "#e07b39", "#3a9d5d", "#8e5ea2", "#c23b5a", "#6b6b6b", "#b8a22b", "#2bb8b0"]
MAX_REJECTED_SHOWN = 500
MAX_DUE_SHOWN = 500
MAX_DRILL_SHOWN = 20000
#: Small counts masked for sharing outside the agency: 1 to 10 show as "<11".
SMALL = 11
DUE_WINDOW = 30


def masked(n: Any, mask: bool) -> str:
    """A count as shown: "<11" for 1 to 10 when masking."""
    if n is None or (not isinstance(n, str) and pd.isna(n)):
        return ""
    value = int(n)
    return f"<{SMALL}" if mask and 0 < value < SMALL else f"{value:,}"


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def rule_chart(by_rule: pd.DataFrame, checked: int, mask: bool, top: int = 15) -> str:
    """Rules flagging the most cases, labelled by title, sorted by size."""
    s = by_rule[by_rule["cases_flagged"] >= (SMALL if mask else 1)].nlargest(top, "cases_flagged")
    fig, ax = plt.subplots(figsize=(9, 0.32 * max(len(s), 3) + 1.2))
    if s.empty:
        ax.text(0.5, 0.5, "no findings", ha="center")
        ax.set_axis_off()
        return _svg(fig)
    s = s.iloc[::-1]
    share = s["cases_flagged"] / max(checked, 1) * 100
    ax.barh(
        [_short(f"{t} ({r})") for t, r in zip(s["title"], s["rule_id"], strict=True)], share, color="#555"
    )
    ax.set_xlabel("% of checked cases flagged")
    note = f"; counts under {SMALL} not shown" if mask else ""
    ax.set_title(f"Rules flagging the most cases (top {top}{note})")
    return _svg(fig)


def office_chart(findings: pd.DataFrame, offices: pd.DataFrame, mask: bool) -> str:
    """Share of each office's checked cases flagged, per family: offices side by side."""
    if findings.empty or offices.empty:
        return ""
    fam = findings.groupby(["family", "office"])["case_id"].nunique().unstack("office", fill_value=0)
    checked = offices.set_index("office")["cases_checked"]
    fam = fam.reindex(columns=[o for o in checked.index if o in fam.columns])
    if mask:
        fam = fam.where(fam >= SMALL, 0)
    share = fam.div(checked.reindex(fam.columns).clip(lower=1), axis=1) * 100
    share = share.loc[share.max(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(9, 0.5 * max(len(share), 3) + 1.2))
    colours: Any = [_OFFICE_COLOURS[i % len(_OFFICE_COLOURS)] for i in range(len(share.columns))]
    share.rename(index=lambda f: f.replace("_", " ")).plot.barh(ax=ax, color=colours, width=0.8)
    ax.set_xlabel("cases flagged by the family, % of the office's checked cases")
    ax.set_ylabel("")
    ax.legend(title="office", fontsize=8)
    ax.set_title("Offices side by side: cases flagged by family")
    return _svg(fig)


def _by_rule(summary: pd.DataFrame) -> pd.DataFrame:
    keys = ["family", "rule_id", "severity", "title"]
    numbers = ["findings", "cases_flagged", "critical_findings", "warning_findings", "info_findings"]
    return summary.groupby(keys, as_index=False)[numbers].sum().sort_values("cases_flagged", ascending=False)


def _due(deadlines: pd.DataFrame, cases: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    s = due_summary(deadlines, cases, by)
    return s.groupby(by, dropna=False)[["overdue", "due_7d", "due_30d"]].sum().reset_index()


def _groups(result: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Offices, and workers within offices: the run's roll-up with rates and due counts."""
    out = []
    for by in (["office"], ["office", "worker_id"]):
        g = rollup(result.findings, result.cases, by)
        g = g.merge(_due(result.deadlines, result.cases, by), on=by, how="left")
        g[["overdue", "due_7d", "due_30d"]] = g[["overdue", "due_7d", "due_30d"]].fillna(0).astype("int64")
        g["flag_rate"] = (g["cases_flagged"] / g["cases_checked"].where(g["cases_checked"] > 0) * 100).round(
            1
        )
        out.append(g)
    return out[0], out[1]


def _json(data: Any) -> Markup:
    text = json.dumps(data, separators=(",", ":"), default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - JSON with <, > and & escaped, inside a non-executed script


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(k): (None if not isinstance(v, str) and pd.isna(v) else v) for k, v in r.items()}
        for r in df.to_dict("records")
    ]


def render_html(
    result: Any,
    as_of: date,
    ruleset_version: str,
    profile: str | None = None,
    title: str = "Caseload check",
    *,
    mask_small: bool = False,
    diff: Any = None,
) -> str:
    """The report for a ``CaseloadResult`` (and, given ``diff``, the change since a run before)."""
    totals = dict(result.totals)
    cases = result.cases
    totals["cases_flagged"] = int((cases["findings"].fillna(0) > 0).sum())
    by_rule = _by_rule(result.summary)
    offices, workers = _groups(result)
    d = result.deadlines
    left = d["days_left"]
    is_open = d["status"].isin(OPEN).to_numpy()
    overdue = is_open & (left < 0).fillna(False).to_numpy()
    soon = d[is_open & (left >= 0).fillna(False).to_numpy() & (left <= DUE_WINDOW).fillna(False).to_numpy()]
    soon = soon.sort_values(["days_left", "office", "worker_id", "case_id"])
    open_rows = d[is_open & (left <= DUE_WINDOW).fillna(False).to_numpy()]
    due_types = (
        open_rows.assign(
            overdue=open_rows["days_left"] < 0,
            due_7d=(open_rows["days_left"] >= 0) & (open_rows["days_left"] <= 7),
            due_30d=open_rows["days_left"] >= 0,
        )
        .groupby("deadline")[["overdue", "due_7d", "due_30d"]]
        .sum()
        .reset_index()
        .sort_values(["due_30d", "overdue"], ascending=False)
    )
    totals["deadlines_overdue"] = int(overdue.sum())
    totals["deadlines_due_30d"] = len(soon)
    rejected = cases[cases["status"] == "rejected"][["case_id", "errors"]]
    drill = result.findings[
        ["case_id", "office", "worker_id", "rule_id", "title", "severity", "status", "due_date", "message"]
    ]
    changes = None
    if diff is not None:
        changes = {
            "totals": diff.totals,
            "offices": _records(diff.summary[diff.summary["level"] == "office"]),
        }
    return _env.get_template("report.html.j2").render(
        title=title,
        as_of=as_of.isoformat(),
        ruleset_version=ruleset_version,
        profile=profile,
        mask=mask_small,
        n=lambda v: masked(v, mask_small),
        totals=totals,
        rule_chart=Markup(rule_chart(by_rule, totals["cases_checked"], mask_small)),  # noqa: S704 - our SVG
        office_chart=Markup(office_chart(result.findings, offices, mask_small)),  # noqa: S704 - our SVG
        by_rule=_records(by_rule),
        offices=_records(offices),
        workers=_records(workers),
        due_types=_records(due_types),
        due_total=len(soon),
        due_rows=[] if mask_small else _records(soon.head(MAX_DUE_SHOWN)),
        max_due=MAX_DUE_SHOWN,
        drill=None if mask_small else _json(_records(drill.head(MAX_DRILL_SHOWN))),
        drill_total=len(drill),
        max_drill=MAX_DRILL_SHOWN,
        not_evaluable=result.run_not_evaluable,
        rejected=[] if mask_small else _records(rejected.head(MAX_REJECTED_SHOWN)),
        max_rejected=MAX_REJECTED_SHOWN,
        changes=changes,
    )
