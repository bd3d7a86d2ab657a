"""Legacy AFCARS records: read as distributed, mapped to cases; rules AFCARS cannot inform are
not evaluable, not flagged; one bad value gives a data-quality finding, not a lost child."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from permanency_rules.adapters.afcars import afcars_tables, is_afcars, read_afcars
from permanency_rules.caseload import check_caseload
from tests.conftest import ROOT

SAMPLE = ROOT / "fixtures" / "afcars" / "sample_fc.csv"
TAB = ROOT / "fixtures" / "afcars" / "sample_fc.tab"
AS_OF = date(2026, 11, 1)


def _pairs(r: object) -> list[tuple[str, str]]:
    f = r.findings  # type: ignore[attr-defined]
    return sorted(zip(f["case_id"], f["rule_id"], strict=True))


def test_afcars_sample() -> None:
    r = check_caseload(SAMPLE, AS_OF)
    assert r.totals == {"cases_in": 3, "cases_checked": 3, "cases_rejected": 0, "findings": 9}
    # A1: 14-year-old with long-term foster care as the goal, past 15 of 22 months;
    # A2: reunification after both TPRs (so the TPR deadline is met); A3: goal not established
    assert _pairs(r) == [
        ("A1", "PR-LT-001"),
        ("A1", "PR-OT-002"),
        ("A1", "PR-OT-005"),
        ("A2", "PR-OT-002"),
        ("A2", "PR-UG-001"),
        ("A3", "DQ-AFCARS"),
        ("A3", "PR-MG-001"),
        ("A3", "PR-OT-002"),
        ("A3", "PR-OT-005"),
    ]
    # CURPLSET 9 is not an AFCARS code: the record stays, with a finding naming element and value
    a3 = r.findings[(r.findings["case_id"] == "A3") & (r.findings["rule_id"] == "DQ-AFCARS")]
    assert a3["message"].iloc[0].startswith("AFCARS element CURPLSET = '9': not a CURPLSET code")
    assert (a3["family"] == "data_quality").all() and (a3["severity"] == "info").all()
    blind = {x["rule_id"] for x in r.run_not_evaluable}
    assert {"PR-OT-001", "PR-OT-003", "PR-SG-001", "PR-EN-001", "PR-SG-008"} <= blind
    assert not {"PR-LT-001", "PR-UG-001", "PR-MG-001", "PR-OT-005"} & blind
    checked = r.cases[r.cases["status"] == "checked"]
    assert checked["findings"].sum() == len(r.findings)
    assert r.summary["findings"].sum() == len(r.findings)
    assert r.summary.set_index("rule_id").loc["DQ-AFCARS", "findings"] == 1


def test_tab_delimited_file_as_distributed() -> None:
    assert is_afcars(TAB)
    assert list(read_afcars(TAB).columns[:3]) == ["RECNUMBR", "STATE", "FIPSCODE"]  # lower-case in the file
    r = check_caseload(TAB, AS_OF, group_by="county")
    assert r.totals == {"cases_in": 10, "cases_checked": 9, "cases_rejected": 1, "findings": 14}
    got = _pairs(r)
    # CASEGOAL 7 (not yet established) and 99 (missing): the missing-goal rule runs; 99 is also noted
    assert ("T1", "PR-MG-001") in got and ("T2", "PR-MG-001") in got
    assert ("T1", "DQ-AFCARS") not in got
    msgs = dict(zip(r.findings["case_id"] + r.findings["rule_id"], r.findings["message"], strict=False))
    assert "CASEGOAL = '99'" in msgs["T2DQ-AFCARS"]
    # 15 of 22 from removal history: T4's earlier episode (REM1DT..DLSTFCDT, TOTALREM 2) brings it
    # to 15 months; T3 (no DLSTFCDT) and T5 (TOTALREM 1) count only the current episode
    assert ("T4", "PR-OT-005") in got
    assert ("T3", "PR-OT-005") not in got and ("T5", "PR-OT-005") not in got
    # impossible values: the record is still checked, the finding names element and value
    assert "DOB = '2027-01-01': birth after the latest removal" in msgs["T6DQ-AFCARS"]
    assert ("T6", "PR-OT-005") in got
    assert "DLSTFCDT = '2023-01-01': previous discharge before the first removal" in msgs["T7DQ-AFCARS"]
    t8 = r.findings[(r.findings["case_id"] == "T8") & (r.findings["rule_id"] == "DQ-AFCARS")]
    assert sorted(m.split(" = ")[0] for m in t8["message"]) == [
        "AFCARS element CURPLSET",
        "AFCARS element MANREM",
    ]
    # a record without its latest removal cannot be timed: rejected, naming the field
    t10 = r.cases.set_index("case_id").loc["T10"]
    assert t10["status"] == "rejected" and "episode.removal_date" in t10["errors"]
    # summaries by state and county (FIPSCODE)
    assert set(r.cases["state"]) == {"26", "27"}
    by_county = r.summary.groupby("county")["findings"].sum()
    assert by_county.sum() == len(r.findings)
    assert by_county.to_dict() == {"26081": 3, "26163": 4, "27053": 7}


def test_same_records_from_csv_parquet_and_stata(tmp_path: Path) -> None:
    df = pd.read_csv(TAB, sep="\t", dtype=str, keep_default_na=False)
    df.to_csv(tmp_path / "fc.csv", index=False)
    df.to_parquet(tmp_path / "fc.parquet", index=False)
    df.to_stata(tmp_path / "fc.dta", write_index=False)
    want = check_caseload(TAB, AS_OF)
    for name in ("fc.csv", "fc.parquet", "fc.dta"):
        got = check_caseload(tmp_path / name, AS_OF)
        assert sorted(got.findings["finding_id"]) == sorted(want.findings["finding_id"]), name
        assert got.totals == want.totals


def test_text_file_with_tabs_or_commas(tmp_path: Path) -> None:
    text = TAB.read_text(encoding="utf-8")
    (tmp_path / "FC2023v1.txt").write_text(text, encoding="utf-8")
    (tmp_path / "comma.txt").write_text(text.replace("\t", ","), encoding="utf-8")
    a = check_caseload(tmp_path / "FC2023v1.txt", AS_OF)
    b = check_caseload(tmp_path / "comma.txt", AS_OF)
    assert a.totals == b.totals and a.totals["cases_in"] == 10


def test_manrem_is_the_manner_of_removal(tmp_path: Path) -> None:
    """MANREM 1 voluntary, 2 court ordered, 3 not yet determined; another code is a data-quality
    note and an unknown manner (read as court-ordered, as the case model says)."""
    raw = read_afcars(TAB)
    manrem = next(c for c in raw.columns if c.upper() == "MANREM")
    raw.loc[raw["RECNUMBR"] == "T1", manrem] = "1"
    raw.loc[raw["RECNUMBR"] == "T2", manrem] = "3"
    tables, _issues = afcars_tables(raw)
    got = dict(zip(tables["cases"]["case_id"], tables["cases"]["manner_of_removal"], strict=True))
    assert got["T1"] == "voluntary" and got["T2"] == "not_yet_determined"
    assert got["T3"] == "court_ordered" and pd.isna(got["T8"])  # T8's MANREM is 5: no such code
    path = tmp_path / "fc.tab"
    raw.to_csv(path, sep="\t", index=False)
    d = check_caseload(path, AS_OF).deadlines.set_index(["case_id", "deadline"])["status"]
    # a voluntary placement owes the 180-day best-interest determination, not the 60-day findings
    # (AFCARS has no court orders, so the ones that apply cannot be judged from the file)
    assert d["T1", "prevent_removal_finding"] == "not_applicable"
    assert d["T1", "best_interest_determination"] == "not_evaluable"
    assert d["T3", "prevent_removal_finding"] == "not_evaluable"
    assert d["T3", "best_interest_determination"] == "not_applicable"
