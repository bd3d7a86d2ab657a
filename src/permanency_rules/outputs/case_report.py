"""One case on one page: its timeline with the legal clocks, its deadlines and its findings.

For trainers: the page shows where the case stands in time (removal, the date entered foster
care, placements and goals as bands, hearings, reviews and case plans as marks, each deadline
in its status colour) and then every finding with the principle behind it. The page is one
self-contained file (no scripts, no fonts or styles fetched from anywhere). Every value from
the case reaches the page through Jinja2's autoescaping, the SVG included: Python computes
only coordinates and colours.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import jinja2

from ..language.spec import Family
from ..model.case import Case
from .findings import Finding, Report

if TYPE_CHECKING:
    from ..whatif import WhatIf

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("permanency_rules.outputs", "templates"),
    autoescape=True,
)

#: Colour and label for every deadline status, including those other modules may add later;
#: an unknown status falls back to grey with its own name as the label, so the page still reads.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "met": ("#2e7d32", "met"),
    "met_late": ("#8d6e00", "met late"),
    "scheduled": ("#00838f", "scheduled"),
    "pending": ("#1565c0", "pending"),
    "due_soon": ("#ef6c00", "due soon"),
    "overdue": ("#c62828", "overdue"),
    "missed": ("#6d0000", "missed"),
    "excepted": ("#6a1b9a", "excepted"),
    "not_applicable": ("#9e9e9e", "not applicable"),
    "not_evaluable": ("#616161", "not evaluable"),
}
UNKNOWN_STYLE = "#757575"
SEVERITY_COLOUR = {"critical": "#a40000", "warning": "#8a5a00", "info": "#2a5d8a"}
FAMILY_ORDER = [f.value for f in Family]

#: Geometry of the timeline (pixels).
WIDTH, LEFT, RIGHT, ROW = 1000, 190, 20, 22
#: Deadlines due more than this long after as_of are drawn at the right edge.
HORIZON = timedelta(days=366)


def status_style(status: str) -> tuple[str, str]:
    """(colour, label) of a deadline status; unknown statuses degrade to grey and their name."""
    return STATUS_STYLE.get(status, (UNKNOWN_STYLE, status.replace("_", " ")))


def safe_url(url: str | None) -> str | None:
    """Only http(s) links become links; anything else (javascript:, data:) is shown as text."""
    return url if url and url.lower().startswith(("https://", "http://")) else None


@dataclass(frozen=True)
class Scale:
    start: date
    end: date

    def x(self, d: date) -> float:
        span = max((self.end - self.start).days, 1)
        days = min(max((d - self.start).days, 0), span)
        return round(LEFT + (WIDTH - LEFT - RIGHT) * days / span, 1)


def _mark(scale: Any, day: date, kind: str, label: str, future: bool) -> dict[str, Any]:
    """One event on the timeline: a hearing, a review or a case plan (future ones drawn hollow)."""
    return {"x": scale.x(day), "kind": kind, "label": label, "date": day, "future": future}


def _band(scale: Scale, start: date, end: date | None, as_of: date, label: str, kind: str) -> dict[str, Any]:
    x0 = scale.x(start)
    x1 = scale.x(min(end, as_of) if end else as_of)
    return {"x": x0, "w": max(x1 - x0, 2.0), "label": label, "kind": kind, "start": start, "end": end}


def _ticks(scale: Scale) -> list[dict[str, Any]]:
    """A tick at each first of the month; labelled every quarter (or every month on short spans)."""
    months = (scale.end.year - scale.start.year) * 12 + scale.end.month - scale.start.month
    step = 1 if months <= 8 else 3 if months <= 30 else 6
    out: list[dict[str, Any]] = []
    y, m = scale.start.year, scale.start.month
    while True:
        m += 1
        if m > 12:
            y, m = y + 1, 1
        d = date(y, m, 1)
        if d > scale.end:
            return out
        out.append({"x": scale.x(d), "label": d.strftime("%b %Y") if (m - 1) % step == 0 else ""})


def timeline(case: Case, report: Report, defc: date) -> dict[str, Any]:
    """Everything the SVG template draws, as positions and escaped-at-render text."""
    as_of = report.as_of
    removal = case.episode.removal_date
    due = [d.due_date for d in report.deadlines if d.due_date is not None]
    end = max([as_of, *[d for d in due if d <= as_of + HORIZON]])
    start = min([removal, *[d for d in due if d >= removal - HORIZON]])
    scale = Scale(start, end)
    placements = [
        _band(scale, p.start_date, p.end_date, as_of, p.setting.value.replace("_", " "), "placement")
        for p in case.placements
        if p.start_date <= as_of
    ]
    goals = [
        _band(scale, g.start_date, g.end_date, as_of, f"{g.type.value} ({g.role.value})", g.role.value)
        for g in case.goals
        if g.start_date <= as_of
    ]
    marks = [
        *(
            _mark(
                scale,
                h.date,
                "hearing",
                f"{h.type.value} hearing, {'scheduled' if h.scheduled else 'held'}",
                h.date > as_of or h.scheduled,
            )
            for h in case.hearings
        ),
        *(
            _mark(scale, r.date, "review", f"{r.type.value} review", r.date > as_of or r.scheduled)
            for r in case.reviews
        ),
        *(_mark(scale, cp.date, "case_plan", "case plan", cp.date > as_of) for cp in case.case_plans),
    ]
    deadlines = []
    for d in report.deadlines:
        colour, label = status_style(d.status)
        deadlines.append(
            {
                "name": d.name.replace("_", " "),
                "subject": d.subject,
                "status": d.status,
                "status_label": label,
                "colour": colour,
                "due": d.due_date,
                "x": scale.x(d.due_date) if d.due_date else None,
                "beyond": d.due_date is not None and d.due_date > end,
            }
        )
    lanes_top = 40
    height = lanes_top + ROW * (3 + len(deadlines)) + 10
    return {
        "width": WIDTH,
        "height": height,
        "left": LEFT,
        "right_x": WIDTH - RIGHT,
        "row": ROW,
        "top": lanes_top,
        "start": start,
        "end": end,
        "ticks": _ticks(scale),
        "removal_x": scale.x(removal),
        "defc": defc,
        "defc_x": scale.x(defc),
        "as_of_x": scale.x(as_of),
        "placements": placements,
        "goals": goals,
        "marks": sorted(marks, key=lambda m: m["date"]),
        "deadlines": deadlines,
    }


def findings_by_family(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.family, []).append(f)
    order = {f: i for i, f in enumerate(FAMILY_ORDER)}
    return sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))


def render_case_report(case: Case, report: Report, defc: date, whatif: WhatIf | None = None) -> str:
    """The HTML page for one evaluated case (and, optionally, a what-if section)."""
    return _env.get_template("case_report.html.j2").render(
        case=case,
        report=report,
        tl=timeline(case, report, defc),
        families=findings_by_family(report.findings),
        legend=[(s, *STATUS_STYLE[s]) for s in STATUS_STYLE],
        severity_colour=SEVERITY_COLOUR,
        safe_url=safe_url,
        status_style=status_style,
        whatif=whatif,
    )


def case_report_html(
    case: Case | dict[str, Any],
    as_of: date,
    *,
    rules: Any = None,
    profile: Any = None,
    changes: Any = None,
    engine: str = "auto",
) -> str:
    """Evaluate ``case`` on ``as_of`` and render its page; with ``changes``, add the what-if."""
    from ..clocks import compute_clocks
    from ..evaluation import evaluate, plan_for, resolve_catalogue
    from ..model.io import parse_and_check

    cat = resolve_catalogue(rules, profile)
    parsed = parse_and_check(case, as_of)
    report = evaluate(parsed, as_of, rules=cat, engine=engine)  # type: ignore[arg-type]
    defc = compute_clocks(parsed, as_of, plan_for(cat, as_of).params).defc
    whatif = None
    if changes is not None:
        from ..whatif import what_if

        whatif = what_if(parsed, changes, as_of, rules=cat, engine=engine)  # type: ignore[arg-type]
    return render_case_report(parsed, report, defc, whatif)
