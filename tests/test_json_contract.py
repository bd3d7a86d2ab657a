"""The JSON contract a non-Python host relies on: self-describing schemas, explicit versions,
plain evidence values, and clear errors for a wrong engine or date."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from permanency_rules import __version__, evaluate, evaluate_json
from permanency_rules.engines.choice import resolve_engine
from permanency_rules.facts.schema import FACT_TYPES
from permanency_rules.model.io import load_case_document
from permanency_rules.model.schema import json_schema, main, render_schema, schema_path
from tests.conftest import ROOT

AS_OF = date(2026, 11, 1)
FIXTURES = sorted((ROOT / "fixtures" / "cases").glob("*.yaml"))
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _properties(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = [(f"{schema['title']}.{p}", q) for p, q in schema.get("properties", {}).items()]
    for name, d in schema.get("$defs", {}).items():
        out += [(f"{name}.{p}", q) for p, q in d.get("properties", {}).items()]
    return out


@pytest.mark.parametrize("kind", ["case", "report"])
def test_committed_schema_is_current(kind: str) -> None:
    assert (ROOT / schema_path(kind)).read_text(encoding="utf-8") == render_schema(kind), (  # type: ignore[arg-type]
        f"docs/schema/{kind}.schema.json is stale: run python -m permanency_rules.model.schema"
    )


@pytest.mark.parametrize("kind", ["case", "report"])
def test_every_property_is_described(kind: str) -> None:
    props = _properties(json_schema(kind))  # type: ignore[arg-type]
    assert len(props) > 30
    assert [p for p, q in props if not q.get("description")] == []


def test_schema_check_covers_both_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--check"]) == 1
    assert main([]) == 0 and main(["--check"]) == 0
    report = tmp_path / "docs" / "schema" / "report.schema.json"
    report.write_text(report.read_text().replace('"Report"', '"Rapport"'))
    assert main(["--check"]) == 1


def test_report_names_what_produced_it() -> None:
    case, _ = load_case_document(FIXTURES[0])
    report = json.loads(evaluate_json(case.model_dump_json(), "2026-11-01", profile="example_state"))[
        "report"
    ]
    assert report["package_version"] == __version__ == version("permanency_rules")
    assert report["ruleset_version"] and report["engine"] == resolve_engine("auto")
    assert report["profile"] == "example_state" and report["as_of"] == "2026-11-01"


def test_evidence_shows_dates_not_day_numbers() -> None:
    day_fields = {(t, f) for t, spec in FACT_TYPES.items() for f, s in spec.items() if s.kind == "day"}
    seen = 0
    for path in FIXTURES:
        case, doc = load_case_document(path)
        for f in evaluate(case, doc.get("as_of", AS_OF)).findings:
            for e in f.evidence:
                for name, value in e.values.items():
                    if (e.fact_type, name) in day_fields and value is not None:
                        seen += 1
                        assert isinstance(value, str) and ISO.fullmatch(value), (f.rule_id, name, value)
                    else:
                        assert not isinstance(value, dict | list)
    assert seen > 10


def test_evidence_dates_match_the_message() -> None:
    case, _doc = load_case_document(ROOT / "fixtures" / "cases" / "02_reunification_drift.yaml")
    f = next(f for f in evaluate(case, AS_OF).findings if f.rule_id == "PR-SG-002")
    values = {k: v for e in f.evidence for k, v in e.values.items()}
    assert values["referred_day"] == "2026-02-09" and "2026-02-09" in f.message


def test_unknown_engine_is_refused() -> None:
    case, _ = load_case_document(FIXTURES[0])
    with pytest.raises(ValueError, match="engine must be one of"):
        evaluate(case, AS_OF, engine="fast")  # type: ignore[arg-type]


def test_as_of_as_date_or_iso_string() -> None:
    case, _ = load_case_document(FIXTURES[1])
    text = case.model_dump_json()
    assert evaluate_json(text, AS_OF) == evaluate_json(text, "2026-11-01")
    for bad in ("2026-11-1", "20261101", "2026-13-01", "yesterday"):
        with pytest.raises(ValueError, match="ISO date"):
            evaluate_json(text, bad)
    with pytest.raises(TypeError):
        evaluate_json(text, datetime(2026, 11, 1))
    with pytest.raises(TypeError):
        evaluate_json(text, 20261101)  # type: ignore[arg-type]
