"""Legal review R19: records dated after as_of are the future as of that date, left out of the
evaluation and counted, never a rejection; implausible dates are errors with their path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from permanency_rules import evaluate
from permanency_rules.batch import check_caseload
from permanency_rules.clocks import DeadlineName, DeadlineStatus
from permanency_rules.model.errors import CaseValidationError
from permanency_rules.synth import write_caseload
from tests.conftest import PER_CASE, ROOT
from tests.corrections.both import case

CASELOAD = ROOT / "fixtures" / "caseload"
END = date(2026, 11, 1)  # the bundled caseload is generated as of this date (Makefile AS_OF)


@pytest.mark.parametrize("backend", ["pandas", PER_CASE])
def test_the_bundled_caseload_five_months_before_its_end_rejects_no_valid_case(backend: str) -> None:
    """An analyst checks the synthetic caseload as of 2026-06-01: 19,758 of 20,000 cases used to
    be rejected for records dated after as_of. Now none is; the later records are counted per
    case and noted once for the run."""
    as_of = date(2026, 6, 1)
    result = check_caseload(CASELOAD, as_of, backend=backend)  # type: ignore[arg-type]
    cases = result.cases
    assert len(cases) > 0
    assert (cases["status"] == "rejected").sum() == 0, cases[cases["status"] == "rejected"]["errors"].head()
    assert int(cases["records_after_as_of"].sum()) > 0
    assert any("dated after as_of 2026-06-01" in n for n in result.notes)
    # on its own end date nothing lies ahead
    at_end = check_caseload(CASELOAD, END, backend=backend)  # type: ignore[arg-type]
    assert int(at_end.cases["records_after_as_of"].fillna(0).sum()) == 0


def test_a_discharge_after_as_of_leaves_the_case_open_and_later_records_out(tmp_path: Path) -> None:
    """Removed 2025-01-10, discharged 2026-04-01, a case plan of 2026-02-01: as of 2026-01-20 the
    case is open and the plan is the future: the case plan is overdue, two records left out.
    Single case and tables agree."""
    c = case(
        "R19",
        "2025-01-10",
        episode={"discharge_date": "2026-04-01", "discharge_reason": "reunification"},
        case_plans=[{"id": "cp1", "date": "2026-02-01"}],
    )
    report = evaluate(c, date(2026, 1, 20))
    plan = next(d for d in report.deadlines if d.name == DeadlineName.CASE_PLAN.value)
    assert plan.status == DeadlineStatus.OVERDUE.value
    assert report.records_after_as_of == 2  # the discharge and the case plan
    write_caseload([c], tmp_path / "t", "csv")
    result = check_caseload(tmp_path / "t", date(2026, 1, 20), backend="pandas")
    assert result.cases["status"].tolist() == ["checked"]
    assert result.cases["records_after_as_of"].tolist() == [2]
    ids = sorted(f.finding_id for f in report.findings)
    assert sorted(result.findings["finding_id"]) == ids


def test_implausible_dates_are_errors_with_their_path() -> None:
    """Before 1900, or more than two years after as_of on anything not scheduled: data errors."""
    old = case("R19b", "2025-01-10", case_plans=[{"id": "cp1", "date": "1899-12-31"}])
    with pytest.raises(CaseValidationError) as info:
        evaluate(old, date(2026, 1, 1))
    assert [(e.path, e.reason) for e in info.value.errors] == [
        ("case_plans[0].date", "date is before 1900-01-01")
    ]
    far = case("R19c", "2025-01-10", caseworker_visits=[{"id": "v1", "date": "2028-01-02"}])
    with pytest.raises(CaseValidationError) as info:
        evaluate(far, date(2026, 1, 1))
    assert [e.path for e in info.value.errors] == ["caseworker_visits[0].date"]
    scheduled = case(
        "R19d",
        "2025-01-10",
        hearings=[{"id": "h1", "type": "review", "date": "2029-01-01", "scheduled": True}],
    )
    assert evaluate(scheduled, date(2026, 1, 1)).records_after_as_of == 0
