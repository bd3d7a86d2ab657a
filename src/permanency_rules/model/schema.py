"""The JSON Schemas of a case file and of a report, kept in ``docs/schema`` for other systems.

The committed files are generated from the pydantic models; a test fails when one goes stale,
so run ``python -m permanency_rules.model.schema`` after changing ``model/case.py`` or the
report models in ``outputs/findings.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Literal

from .case import Case

SchemaKind = Literal["case", "report"]
KINDS: tuple[SchemaKind, ...] = ("case", "report")
#: Where the schemas live, relative to the repository root.
SCHEMA_DIR = Path("docs") / "schema"
SCHEMA_PATH = SCHEMA_DIR / "case.schema.json"
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_path(kind: SchemaKind) -> Path:
    return SCHEMA_DIR / f"{kind}.schema.json"


def case_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``Case``, as pydantic generates it."""
    return {"$schema": _DIALECT, **Case.model_json_schema()}


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``Report`` as serialised (``evaluate_json``, the service)."""
    from ..outputs.findings import Report  # outputs build on the model, not the reverse

    return {"$schema": _DIALECT, **Report.model_json_schema(mode="serialization")}


def json_schema(kind: SchemaKind = "case") -> dict[str, Any]:
    if kind not in KINDS:
        raise ValueError(f"schema kind must be one of {', '.join(KINDS)}")
    return case_json_schema() if kind == "case" else report_json_schema()


def render_schema(kind: SchemaKind = "case") -> str:
    """A schema file's exact text: sorted keys, indent 2, trailing newline."""
    return json.dumps(json_schema(kind), indent=2, sort_keys=True) + "\n"


def write_schema(path: str | Path = SCHEMA_PATH, kind: SchemaKind = "case") -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_schema(kind), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    """Write the schemas, or with ``--check`` exit 1 when a file differs from its model.

    With a path, only the ``--kind`` schema (default case) is written to or checked at it."""
    parser = argparse.ArgumentParser(description="Write the case and report JSON Schemas.")
    parser.add_argument("path", nargs="?")
    parser.add_argument("--kind", choices=KINDS, default="case")
    parser.add_argument("--check", action="store_true", help="only report a stale file")
    args = parser.parse_args(argv)
    targets = [(Path(args.path), args.kind)] if args.path else [(schema_path(k), k) for k in KINDS]
    status = 0
    for path, kind in targets:
        if args.check:
            current = path.read_text(encoding="utf-8") if path.exists() else None
            if current != render_schema(kind):
                print(f"{path} is stale: run python -m permanency_rules.model.schema", file=sys.stderr)
                status = 1
        else:
            write_schema(path, kind)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
