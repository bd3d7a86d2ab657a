"""The committed JSON Schema matches the model, and the package exports what callers use."""

from __future__ import annotations

import json
from pathlib import Path

from permanency_rules import model
from permanency_rules.model.schema import case_json_schema, main, render_schema, write_schema

from .conftest import REPO

SCHEMA_FILE = REPO / "docs" / "schema" / "case.schema.json"


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render_schema(), (
        "docs/schema/case.schema.json is stale: run python -m permanency_rules.model.schema"
    )


def test_schema_text_format() -> None:
    text = render_schema()
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"


def test_schema_describes_the_case() -> None:
    schema = case_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "Case"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"case_id", "child", "episode"}
    assert "appla" in schema["$defs"]["GoalType"]["enum"]


def test_write_and_check(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "case.schema.json"
    assert main(["--check", str(out)]) == 1  # missing
    assert write_schema(out) == out
    assert main(["--check", str(out)]) == 0
    out.write_text(render_schema().replace('"Case"', '"Kase"'), encoding="utf-8")
    assert main(["--check", str(out)]) == 1
    assert main([str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render_schema()


def test_package_exports() -> None:
    for name in model.__all__:
        assert hasattr(model, name), name
    assert model.codes.GoalType.ADOPTION.value == "adoption"
    assert {
        "parse_case",
        "check_case",
        "parse_and_check",
        "load_case_file",
        "load_case_document",
        "CaseError",
        "CaseValidationError",
        "Case",
    } <= set(model.__all__)
