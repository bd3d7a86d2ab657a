"""A caseload as JSON Lines: one whole case per line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def iter_jsonl_cases(path: Path) -> Iterator[tuple[str, dict[str, Any] | str]]:
    """(case_id, case dict) per line; an unreadable line yields (``line-N``, reason)."""
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                yield f"line-{n}", f"invalid JSON at column {exc.colno}"
                continue
            if not isinstance(data, dict):
                yield f"line-{n}", "a line must hold one case object"
                continue
            cid = data.get("case_id")
            yield (str(cid) if isinstance(cid, (str, int)) and str(cid) else f"line-{n}"), data
