"""A caseload as JSON Lines: one whole case per line.

Each line is decoded on its own, so a line of invalid UTF-8, a 5,000-digit number, deep
nesting or a duplicate key rejects that line's case and the rest of the file is still read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..model.errors import CaseValidationError
from ..model.io import load_json

BOM = b"\xef\xbb\xbf"


def iter_jsonl_cases(path: Path) -> Iterator[tuple[str, dict[str, Any] | str]]:
    """(case_id, case dict) per line; an unreadable line yields (``line-N``, reason)."""
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            line = raw.removeprefix(BOM) if n == 1 else raw
            if not line.strip():
                continue
            try:
                data = load_json(line)
            except CaseValidationError as exc:
                reason = exc.errors[0].reason if exc.errors else "invalid JSON"
                yield f"line-{n}", reason
                continue
            if not isinstance(data, dict):
                yield f"line-{n}", "a line must hold one case object"
                continue
            cid = data.get("case_id")
            yield (str(cid) if isinstance(cid, (str, int)) and str(cid) else f"line-{n}"), data
