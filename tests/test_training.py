"""The six training scenarios run as tests, so a page never drifts from the code.

Each scenario's case file raises exactly its expected findings (both engines), its what-if makes
exactly the stated findings disappear and none appear, and its page names those same rules,
links their rule pages and shows commands that point at files that exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from permanency_rules.expectations import run_file
from permanency_rules.language.catalogue import load_catalogue
from permanency_rules.model.io import load_case_document
from permanency_rules.whatif import load_patch, what_if
from tests.conftest import ROOT

TRAINING = ROOT / "docs" / "training"
SCENARIOS = sorted(p for p in TRAINING.glob("[0-9][0-9]_*.yaml") if not p.name.endswith(".patch.yaml"))
LINK = re.compile(r"\[(PR-[A-Z]{2}-\d{3})\]\(\.\./rules/(PR-[A-Z]{2}-\d{3})\.md\)")


def _section(md: str, title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", md, re.S | re.M)
    assert m, f"missing section '## {title}'"
    return m.group(1)


def test_six_scenarios_one_per_principle() -> None:
    assert len(SCENARIOS) == 6
    principles = [load_case_document(p)[1]["principle"] for p in SCENARIOS]
    assert len(set(principles)) == 6


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_runs_as_it_says(path: Path) -> None:
    outcome = run_file(path, load_catalogue())
    assert outcome is not None and outcome.passed, outcome and outcome.problems


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_page_matches_its_case(path: Path) -> None:
    case, doc = load_case_document(path)
    for key in ("principle", "story", "question"):
        assert str(doc[key]).strip(), f"{path.name} needs a {key}"
    md_path = path.with_suffix(".md")
    md = md_path.read_text(encoding="utf-8")
    for text, target in LINK.findall(md):
        assert text == target and (ROOT / "docs" / "rules" / f"{target}.md").is_file()
    found = {m[0] for m in LINK.findall(_section(md, "What the rules find"))}
    expected = set(doc["expect"]["findings"])
    assert expected <= found, f"{md_path.name} does not explain {expected - found}"
    result = what_if(case, load_patch(path.parent / doc["whatif"]["patch"]), doc["as_of"])
    gone = {f.rule_id for f in result.disappeared}
    assert gone and gone == set(doc["whatif"]["disappears"])
    after = _section(md, "What if the practice is followed")
    assert gone <= {m[0] for m in LINK.findall(after)}
    assert path.name in after and doc["whatif"]["patch"] in after
    assert " ".join(str(doc["question"]).split()) == " ".join(_section(md, "For discussion").split())
    for cmd_path in re.findall(r"(docs/training/\S+\.yaml)", md):
        assert (ROOT / cmd_path).is_file(), cmd_path


def test_the_index_lists_every_scenario() -> None:
    index = (TRAINING / "README.md").read_text(encoding="utf-8")
    for path in SCENARIOS:
        assert f"({path.with_suffix('.md').name})" in index
