"""Every narrated fixture case yields exactly the findings its file says, on both engines."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from permanency_rules import evaluate
from permanency_rules.model.io import load_case_document
from permanency_rules.synth import PLANTED
from tests.conftest import PER_CASE_ENGINES, ROOT

CASES = sorted((ROOT / "fixtures" / "cases").glob("*.yaml"))
FAMILIES = {
    "missing_goal",
    "unrealistic_goal",
    "service_gap",
    "overdue_timeline",
    "eligibility",
    "long_term_foster_care",
    "engagement",
}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture_case(path: Path) -> None:
    case, doc = load_case_document(path)
    assert doc["story"].strip(), "each fixture tells its story"
    expected = Counter(doc["expect"]["findings"])
    for engine in (*PER_CASE_ENGINES, "pandas"):
        report = evaluate(case, doc["as_of"], engine=engine, profile=doc.get("profile"))
        got = Counter(f.rule_id for f in report.findings)
        assert got == expected, f"{engine}: unexpected {got - expected}, missing {expected - got}"
        assert sorted(n.rule_id for n in report.not_evaluable) == sorted(
            doc["expect"].get("not_evaluable", [])
        )


def test_fixtures_cover_every_family_and_compliant_cases() -> None:
    assert len(CASES) >= 15
    families: set[str] = set()
    compliant = 0
    for path in CASES:
        _case, doc = load_case_document(path)
        ids = doc["expect"]["findings"]
        compliant += not ids
        report = evaluate(_case, doc["as_of"])
        families |= {f.family for f in report.findings}
    assert families == FAMILIES
    assert compliant >= 3
    assert PLANTED  # the generator documents its planted rates
