"""The JSON Schema of a case file, kept in ``docs/schema`` for editors and other systems.

The committed file is generated from the pydantic model; a test fails when it goes stale, so
run ``python -m permanency_rules.model.schema`` after changing ``model/case.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .case import Case

#: Where the schema lives, relative to the repository root.
SCHEMA_PATH = Path("docs") / "schema" / "case.schema.json"
_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def case_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``Case``, as pydantic generates it."""
    return {"$schema": _DIALECT, **Case.model_json_schema()}


def render_schema() -> str:
    """The schema file's exact text: sorted keys, indent 2, trailing newline."""
    return json.dumps(case_json_schema(), indent=2, sort_keys=True) + "\n"


def write_schema(path: str | Path = SCHEMA_PATH) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_schema(), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    """Write the schema, or with ``--check`` exit 1 when the file differs from the model."""
    parser = argparse.ArgumentParser(description="Write the case JSON Schema.")
    parser.add_argument("path", nargs="?", default=str(SCHEMA_PATH))
    parser.add_argument("--check", action="store_true", help="only report a stale file")
    args = parser.parse_args(argv)
    path = Path(args.path)
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != render_schema():
            print(f"{path} is stale: run python -m permanency_rules.model.schema", file=sys.stderr)
            return 1
        return 0
    write_schema(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
