"""The pandas backend and the durable-rules backend must give the same finding ids, case by case
(where durable-rules does not import, Python 3.13+, the built-in matcher is the per-case side).

Caseloads are written as tables, so the pandas side is the column-wise path (typed tables,
column clocks and facts) and the durable side is the per-case path (case models, durable-rules).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from permanency_rules.caseload import check_caseload
from permanency_rules.synth import synth_cases, write_caseload
from tests.conftest import PER_CASE

AS_OF = date(2026, 11, 1)


def _ids(result) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    out: dict[str, set[str]] = {cid: set() for cid in result.cases["case_id"]}
    for cid, fid in zip(result.findings["case_id"], result.findings["finding_id"], strict=True):
        out[cid].add(fid)
    return out


def _compare(cases: list[dict], as_of: date, folder: Path) -> int:
    write_caseload(cases, folder, "parquet")
    a = check_caseload(folder, as_of, backend="pandas")
    b = check_caseload(folder, as_of, backend=PER_CASE)  # type: ignore[arg-type]
    ia, ib = _ids(a), _ids(b)
    diff = {c for c in ia if ia[c] != ib[c]}
    assert not diff, f"{len(diff)} cases differ, e.g. {sorted(diff)[:5]}"
    assert a.totals == b.totals
    return len(a.findings)


def test_ten_thousand_generated_cases_agree(tmp_path: Path) -> None:
    cases = list(synth_cases(10_000, AS_OF, seed=2024))
    n = _compare(cases, AS_OF, tmp_path / "c")
    assert n > 4_000  # the caseload exercises the rules (compliant unless planted: ~0.6 findings a case)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 2**31), n=st.integers(1, 60), days=st.integers(-200, 400))
def test_generated_caseloads_agree(tmp_path: Path, seed: int, n: int, days: int) -> None:
    as_of = date.fromordinal(AS_OF.toordinal() + days)
    cases = list(synth_cases(n, AS_OF, seed=seed))
    # an earlier as_of makes some dates invalid: those cases must be rejected by both alike
    _compare(cases, as_of, tmp_path / f"c{seed}_{n}_{days}")
