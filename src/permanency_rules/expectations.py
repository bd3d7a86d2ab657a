"""Files that carry their own expected result: rule examples and case files with ``expect:``.

A rule example (``rules/<family>/<ID>/examples/*.yaml``) says whether its rule flags
(``expect: flag | no_flag``, optionally ``count`` and ``status``); a case file says which
findings it must produce (``expect: {findings: [...], not_evaluable: [...]}``). ``permanency-rules
test`` checks them on both engines, file by file, like ``openfisca test``; the test suite runs the
bundled ones the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .engines.choice import durable_available
from .evaluation import EngineName, evaluate
from .language.catalogue import Catalogue
from .language.errors import SourceError
from .language.spec import Status
from .model.errors import CaseValidationError

#: The per-case engine (durable-rules where it imports, else the built-in matcher) and pandas.
ENGINES: tuple[EngineName, ...] = ("durable" if durable_available() else "builtin", "pandas")
EXAMPLE_KEYS = frozenset(
    {"description", "as_of", "expect", "case", "count", "exception", "profile", "status", "severity"}
)
SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class Outcome:
    path: Path
    kind: str  # "rule example" | "case file"
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def expected_findings(doc: dict[str, Any]) -> Counter[str] | None:
    """The findings a case file promises, or None if it promises none (no ``expect:``)."""
    exp = doc.get("expect")
    if isinstance(exp, dict) and isinstance(exp.get("findings"), list):
        return Counter(str(x) for x in exp["findings"])
    return None


def check_case_expectation(
    doc: dict[str, Any], case: Any, as_of: date, cat: Catalogue, profile: str | None = None
) -> list[str]:
    """What differs from the case file's ``expect:`` (empty when it holds), on both engines."""
    want = expected_findings(doc)
    if want is None:
        return []
    exp = doc["expect"]
    want_ne = sorted(str(x) for x in exp.get("not_evaluable", []))
    problems = []
    for engine in ENGINES:
        report = evaluate(case, as_of, rules=cat, profile=profile, engine=engine)
        got = Counter(f.rule_id for f in report.findings)
        if got != want:
            extra, missing = sorted((got - want).elements()), sorted((want - got).elements())
            problems.append(
                f"{engine}: findings differ"
                + (f"; unexpected {', '.join(extra)}" if extra else "")
                + (f"; missing {', '.join(missing)}" if missing else "")
            )
        got_ne = sorted(n.rule_id for n in report.not_evaluable)
        if got_ne != want_ne:
            problems.append(f"{engine}: not evaluable {got_ne}, expected {want_ne}")
    return problems


def as_of_of(doc: dict[str, Any]) -> date | None:
    """The document's ``as_of`` as a date (YAML dates, or ISO text from JSON)."""
    value = doc.get("as_of")
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def check_example(doc: dict[str, Any], rule_id: str, cat: Catalogue) -> list[str]:
    """What is wrong with one rule example (empty when it behaves as it says)."""
    unknown = sorted(set(doc) - EXAMPLE_KEYS)
    if unknown:
        return [f"unknown key(s): {', '.join(unknown)}"]
    as_of = as_of_of(doc)
    if doc.get("expect") not in ("flag", "no_flag") or as_of is None or "case" not in doc:
        return ["an example needs 'expect: flag | no_flag', an 'as_of' date and a 'case'"]
    problems = []
    for engine in ENGINES:
        report = evaluate(doc["case"], as_of, rules=cat, profile=doc.get("profile"), engine=engine)
        mine = [f for f in report.findings if f.rule_id == rule_id]
        if rule_id in {n.rule_id for n in report.not_evaluable}:
            problems.append(f"{engine}: {rule_id} was not evaluable")
        elif doc["expect"] == "flag" and not mine:
            problems.append(f"{engine}: expected {rule_id} to flag; it did not")
        elif doc["expect"] == "no_flag" and mine:
            problems.append(f"{engine}: expected no {rule_id} finding; got {len(mine)}")
        elif doc["expect"] == "flag":
            if "count" in doc and len(mine) != doc["count"]:
                problems.append(f"{engine}: expected {doc['count']} finding(s), got {len(mine)}")
            if "status" in doc and {f.status for f in mine} != {doc["status"]}:
                problems.append(
                    f"{engine}: expected status {doc['status']}, got {sorted({f.status for f in mine})}"
                )
            if "severity" in doc and {f.severity for f in mine} != {doc["severity"]}:
                got = sorted({f.severity for f in mine})
                problems.append(f"{engine}: expected severity {doc['severity']}, got {got}")
    return problems


def check_whatif(
    spec: dict[str, Any], folder: Path, case: Any, as_of: date, cat: Catalogue, profile: str | None
) -> list[str]:
    """A case file's ``whatif: {patch: FILE, disappears: [...], appears: [...]}``, checked."""
    from .whatif import load_patch, what_if

    if not isinstance(spec.get("patch"), str):
        return ["'whatif:' needs 'patch: <file beside the case file>'"]
    changes = load_patch(folder / spec["patch"])
    result = what_if(case, changes, as_of, rules=cat, profile=profile)
    problems = []
    for key, got in (("disappears", result.disappeared), ("appears", result.appeared)):
        want = sorted(str(x) for x in spec.get(key, []))
        ids = sorted(f.rule_id for f in got)
        if ids != want:
            problems.append(f"what-if: {key} {ids}, expected {want}")
    return problems


def _files(paths: Iterable[Path]) -> Iterator[Path]:
    for p in paths:
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.suffix.lower() in SUFFIXES and q.is_file())
        elif p.exists():
            yield p
        else:
            raise FileNotFoundError(2, "not found", str(p))


def _rule_of_example(path: Path, cat: Catalogue) -> str | None:
    """The rule an example belongs to: it sits in ``<ID>/examples/`` of a loaded rule."""
    if path.parent.name != "examples":
        return None
    rule_id = path.parent.parent.name
    return rule_id if rule_id in {r.id for r in cat.rules} else None


def run_file(path: Path, cat: Catalogue) -> Outcome | None:
    """Check one file; None when it carries no expectation (not a test)."""
    from .model.io import load_case_document, read_document

    try:
        doc = read_document(path)
    except CaseValidationError as exc:
        return Outcome(path, "file", [str(exc)])
    if not isinstance(doc, dict) or "expect" not in doc:
        return None
    rule_id = _rule_of_example(path, cat)
    try:
        if rule_id is not None or doc.get("expect") in ("flag", "no_flag"):
            if rule_id is None:
                return Outcome(path, "rule example", ["a rule example must sit in <ID>/examples/ of a rule"])
            return Outcome(path, f"{rule_id} example", check_example(doc, rule_id, cat))
        if expected_findings(doc) is None:
            return Outcome(path, "case file", ["'expect:' needs a 'findings:' list"])
        case, _ = load_case_document(path)
        as_of = as_of_of(doc)
        if as_of is None:
            return Outcome(path, "case file", ["a case file with 'expect:' needs an 'as_of' date"])
        problems = check_case_expectation(doc, case, as_of, cat, doc.get("profile"))
        if isinstance(doc.get("whatif"), dict):
            problems += check_whatif(doc["whatif"], path.parent, case, as_of, cat, doc.get("profile"))
        return Outcome(path, "case file", problems)
    except CaseValidationError as exc:
        return Outcome(path, "case file", [str(exc)])


def run_tests(paths: Iterable[Path], cat: Catalogue) -> list[Outcome]:
    """Every file under ``paths`` that carries an expectation, checked."""
    outcomes = []
    for p in _files(paths):
        hit = run_file(p, cat)
        if hit is not None:
            outcomes.append(hit)
    return outcomes


def example_problems(cat: Catalogue) -> list[SourceError]:
    """Active rules without a flag and a no_flag example, or without one per exception."""
    from .model.io import read_document

    out = []
    for r in cat.rules:
        if r.spec.status != Status.ACTIVE:
            continue
        docs = [d for d in (read_document(p) for p in r.examples) if isinstance(d, dict)]
        kinds = {d.get("expect") for d in docs}
        for kind in ("flag", "no_flag"):
            if kind not in kinds:
                out.append(
                    SourceError(str(r.source), 1, "examples", f"an active rule needs a '{kind}' example")
                )
        shown = {d.get("exception") for d in docs}
        for ex in r.exceptions:
            if ex.spec.id not in shown:
                out.append(
                    SourceError(str(r.source), 1, "exceptions", f"exception '{ex.spec.id}' has no example")
                )
    return out
