"""Docs stay true to the code: generated pages are current, README commands and example hold."""

from __future__ import annotations

import re

from permanency_rules.cli import app
from permanency_rules.clocks.registry import clocks_page
from permanency_rules.language.catalogue import load_catalogue
from permanency_rules.outputs.reference_docs import facts_page, tables_page
from permanency_rules.outputs.rule_docs import render_all
from tests.conftest import ROOT

DOCS = ROOT / "docs"
COMMANDS = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_rule_pages_are_current() -> None:
    pages = render_all(load_catalogue())
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in (DOCS / "rules").glob("*.md")}
    stale = sorted(n for n in pages if on_disk.get(n) != pages[n])
    extra = sorted(set(on_disk) - set(pages))
    assert not stale and not extra, f"run `make docs`: stale {stale}, extra {extra}"


def test_reference_pages_are_current() -> None:
    assert (DOCS / "facts.md").read_text(encoding="utf-8") == facts_page() + "\n", "run `make docs`"
    assert (DOCS / "tables.md").read_text(encoding="utf-8") == tables_page() + "\n", "run `make docs`"
    assert (DOCS / "clocks.md").read_text(encoding="utf-8") == clocks_page() + "\n", "run `make docs`"


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```(?:sh|bash)\n(.*?)```", README, re.S)
    first = [line.split("#")[0].strip() for line in blocks[0].splitlines() if line.split("#")[0].strip()]
    assert first == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_example_output_is_true(capsys) -> None:  # type: ignore[no-untyped-def]
    code = re.search(r"```python\n(.*?)```", README, re.S)
    shown = re.search(r"```text\n(.*?)```", README, re.S)
    assert code and shown
    exec(compile(code.group(1), "README.md", "exec"), {"__name__": "readme"})
    assert capsys.readouterr().out == shown.group(1)


def test_guides_name_real_rules_and_commands() -> None:
    ids = {r.id for r in load_catalogue().rules}
    for guide in ("analyst-guide.md", "trainer-guide.md", "integrator-guide.md"):
        text = (DOCS / guide).read_text(encoding="utf-8")
        for rid in set(re.findall(r"PR-[A-Z]{2}-\d{3}", text)):
            assert rid in ids, f"{guide} names unknown rule {rid}"
        for cmd in set(re.findall(r"permanency-rules ([a-z]+)", text)):
            assert cmd in COMMANDS, f"{guide} names unknown command {cmd}"


def test_rule_language_example_is_a_valid_rule() -> None:
    from permanency_rules.language.loader import parse_rule
    from permanency_rules.language.parameters import load_parameters
    from permanency_rules.language.yamlsrc import loads_located

    text = (DOCS / "rule-language.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert block
    rule = parse_rule(loads_located(block.group(1), "rule-language.md"), load_parameters())
    assert rule.id == "PR-SG-001" and rule.exceptions
