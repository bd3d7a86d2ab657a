"""Every rule's examples, kept beside it, must behave as they say, on both engines.

Each rule needs at least one example that flags and one that does not, and one example per
exception it honours. Rules with an absence clause are also run with every list reversed and
shuffled: absence in durable-rules depends on fact order unless the engine is used safely.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from permanency_rules import evaluate
from permanency_rules.language.catalogue import load_catalogue
from tests.conftest import load_yaml, reorder

CATALOGUE = load_catalogue()
EXAMPLES = [(r.id, p) for r in CATALOGUE.rules for p in r.examples]


def _ids(report, rule_id):  # type: ignore[no-untyped-def]
    return sorted(f.finding_id for f in report.findings if f.rule_id == rule_id)


@pytest.mark.parametrize("rule", CATALOGUE.rules, ids=lambda r: r.id)
def test_rule_has_both_polarities_and_exception_examples(rule) -> None:  # type: ignore[no-untyped-def]
    docs = [load_yaml(p) for p in rule.examples]
    kinds = {d["expect"] for d in docs}
    assert {"flag", "no_flag"} <= kinds, f"{rule.id} needs a flag and a no_flag example"
    shown = {d.get("exception") for d in docs}
    for ex in rule.exceptions:
        assert ex.spec.id in shown, f"{rule.id}: exception {ex.spec.id} has no example"


@pytest.mark.parametrize(("rule_id", "path"), EXAMPLES, ids=[f"{r}/{Path(p).stem}" for r, p in EXAMPLES])
def test_example(rule_id: str, path: Path) -> None:
    doc = load_yaml(path)
    assert set(doc) <= {
        "description",
        "as_of",
        "expect",
        "case",
        "count",
        "exception",
        "profile",
        "status",
        "severity",
    }
    rule = CATALOGUE.rule(rule_id)
    report = evaluate(doc["case"], doc["as_of"], profile=doc.get("profile"))
    ids = _ids(report, rule_id)
    not_eval = [n.rule_id for n in report.not_evaluable]
    assert rule_id not in not_eval, f"{rule_id} was not evaluable: {report.not_evaluable}"
    if doc["expect"] == "flag":
        assert ids, f"{path.name}: expected {rule_id} to flag"
        if "count" in doc:
            assert len(ids) == doc["count"]
        if "status" in doc:
            assert {f.status for f in report.findings if f.rule_id == rule_id} == {doc["status"]}
        if "severity" in doc:
            assert {f.severity for f in report.findings if f.rule_id == rule_id} == {doc["severity"]}
    else:
        assert doc["expect"] == "no_flag"
        assert not ids, f"{path.name}: expected no {rule_id} finding, got {ids}"

    pandas_report = evaluate(doc["case"], doc["as_of"], profile=doc.get("profile"), engine="pandas")
    assert [f.model_dump() for f in pandas_report.findings] == [f.model_dump() for f in report.findings]

    if any(c.absent for c in rule.condition.clauses):
        for how in ("reverse", "shuffle"):
            for seed in range(3):
                again = evaluate(reorder(doc["case"], how, seed), doc["as_of"], profile=doc.get("profile"))
                assert _ids(again, rule_id) == ids, f"{how} order changed {rule_id}"
