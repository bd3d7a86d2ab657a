"""Legal review R15: caseworker visits month by month (42 USC 622(b)(17), 624(f)(1)(A), (2)(A);
OSRI Item 14). Seen: the visit clock looked ahead only, so months missed and followed by a later
visit vanished, and ``in_residence`` was never read: the probe case gave no finding at all."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from permanency_rules import evaluate
from permanency_rules.caseload import check_caseload
from permanency_rules.clocks import column_clocks, compute_clocks
from permanency_rules.clocks.visits import VisitMonths
from permanency_rules.model.io import parse_and_check
from tests.columnar.harness import both_ways, write_cases
from tests.conftest import PER_CASE
from tests.corrections.both import case, params_on

AS_OF = date(2026, 7, 1)
# the probe: in care since 2025-12-01; seen 01-07, 04-02 and 06-02, never at home
PROBE = case(
    "R15",
    "2025-12-01",
    caseworker_visits=[
        {"date": d, "in_residence": False} for d in ("2026-01-07", "2026-04-02", "2026-06-02")
    ],
)


def test_r15_months_missed_and_visits_outside_the_home_are_counted_both_ways() -> None:
    """December to June are complete months in care (7); December, February, March and May had
    no visit, all before the latest one (June): 4 missed. Three visits, none at home."""
    params = params_on(AS_OF)
    want = VisitMonths(months_in_care=7, missed=4, visits=3, in_residence=0)
    assert compute_clocks(parse_and_check(PROBE, AS_OF), AS_OF, params).visits == want
    with tempfile.TemporaryDirectory() as tmp:
        typed = both_ways(write_cases(Path(tmp), [PROBE]), AS_OF).typed
        row = column_clocks(typed, AS_OF, params).case.iloc[0]
    assert [int(row[f"visit_{k}"]) for k in ("months_in_care", "missed", "visits", "in_residence")] == [
        7,
        4,
        3,
        0,
    ]


def test_r15_the_probe_case_now_raises_the_pattern_and_the_residence_prompt_on_every_path() -> None:
    """PR-EN-007 (warning) for the missed months, PR-EN-008 (info) for visits away from the
    home, and no overdue next visit (the June visit's is due by July 31): one finding per fact."""
    per_case = evaluate(PROBE, AS_OF, engine=PER_CASE).findings
    pandas = evaluate(PROBE, AS_OF, engine="pandas").findings
    with tempfile.TemporaryDirectory() as tmp:
        table = check_caseload(write_cases(Path(tmp), [PROBE]), AS_OF).findings
    for found in (
        {(f.rule_id, f.severity, f.message) for f in per_case},
        {(f.rule_id, f.severity, f.message) for f in pandas},
        set(zip(table["rule_id"], table["severity"], table["message"], strict=True)),
    ):
        visits = {(r, s, m) for r, s, m in found if r in ("PR-EN-007", "PR-EN-008", "PR-OT-006")}
        assert visits == {
            (
                "PR-EN-007",
                "warning",
                "4 of the last 7 complete months in care passed with no caseworker visit with the child.",
            ),
            (
                "PR-EN-008",
                "info",
                "0% of the 3 caseworker visits in the last year took place in the child's residence.",
            ),
        }


def test_r15_a_visit_every_month_at_home_raises_nothing() -> None:
    monthly = case(
        "R15b",
        "2025-12-01",
        caseworker_visits=[
            {"date": f"{y}-{m:02d}-10"} for y, m in [(2025, 12)] + [(2026, k) for k in range(1, 7)]
        ],
    )
    rules = {f.rule_id for f in evaluate(monthly, AS_OF, engine=PER_CASE).findings}
    assert not rules & {"PR-EN-007", "PR-EN-008", "PR-OT-006"}
