"""docs/contributing.md names real files and tests, so it follows the code when modules move."""

from __future__ import annotations

import re

from tests.conftest import ROOT

GUIDE = ROOT / "docs" / "contributing.md"
PACKAGE = ROOT / "src" / "permanency_rules"
#: `code` spans that name a file or folder: a path with a slash, or a file name with a suffix.
_PATHISH = re.compile(r"^[\w./-]+(\.(py|yaml|md|json)|/)(::\w+)?$")


def _named() -> list[str]:
    spans = re.findall(r"`([^`\n]+)`", GUIDE.read_text(encoding="utf-8"))
    return sorted({s for s in spans if "<" not in s and _PATHISH.match(s)})


def _exists(name: str) -> bool:
    path, _, test = name.partition("::")
    hits = [p for p in (ROOT / path, PACKAGE / path) if p.exists()]
    if not hits and "/" not in path.rstrip("/"):  # a bare file name, in the folder the text is about
        hits = [p for top in ("src", "tests", "rules") for p in (ROOT / top).glob(f"**/{path}")]
    if test:
        return any(re.search(rf"^def {test}\(", p.read_text(encoding="utf-8"), re.M) for p in hits)
    return bool(hits)


def test_the_guide_names_files() -> None:
    names = _named()
    assert len(names) > 30  # the check really reads the guide
    assert "src/permanency_rules/facts/family.py" in names


def test_every_file_and_test_the_guide_names_exists() -> None:
    missing = [n for n in _named() if not _exists(n)]
    assert not missing, f"docs/contributing.md names files or tests that do not exist: {missing}"
