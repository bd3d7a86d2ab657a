"""Load and check the rule catalogue: every problem is reported with file and line.

Checks: the file's shape (unknown keys, types), unique ids, citations on active rules,
declared and defined parameters, fact types and fields against ``facts.schema``, value types and
codes, references only as equality joins to an earlier fact, message placeholders, exceptions,
and the engine's safe limits.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from ..facts.schema import FACT_TYPES, FieldSpec
from . import precedence
from .conditions import ConditionSyntaxError, parse_test
from .errors import RuleLoadError, SourceError
from .ir import CASE_ALIAS, Clause, Condition, Literal, Op, Param, Ref, Test
from .parameters import Parameter
from .rule import PLACEHOLDER, Rule, RuleException
from .severity import Duty, FindingStatus, expected
from .spec import Family, RuleSpec, Status
from .yamlsrc import Located, load_located

#: Limits that keep every rule inside what durable-rules 2.0.28 runs correctly
#: (16 facts per frame, 32 expressions per clause; see docs/engines.md).
MAX_CLAUSES = 12
MAX_TESTS = 24
MAX_LIST = 16
#: The type field the engine needs is added by the compiler; rules may not name it.
RESERVED_FIELDS = frozenset({"t", "sid", "_one"})


class _Checker:
    def __init__(self, loc: Located, params: dict[str, Parameter]) -> None:
        self.loc = loc
        self.params = params
        self.errors: list[SourceError] = []

    def err(self, path: tuple[str | int, ...], reason: str, line: int | None = None) -> None:
        self.errors.append(
            SourceError(self.loc.file, line or self.loc.line(path), ".".join(map(str, path)), reason)
        )

    def field(self, fact: str, name: str, path: tuple[str | int, ...], line: int) -> FieldSpec | None:
        spec = FACT_TYPES[fact].get(name)
        if spec is None:
            known = ", ".join(sorted(FACT_TYPES[fact]))
            self.err(path, f"unknown field '{name}' for fact '{fact}' (known: {known})", line)
        return spec

    def literal(self, spec: FieldSpec, value: object, path: tuple[str | int, ...], line: int) -> None:
        want = spec.python_type()
        if type(value) is not want:
            self.err(path, f"value {value!r} is not of type {spec.kind}", line)
        elif spec.values is not None and value not in spec.values:
            self.err(path, f"unknown code {value!r} (allowed: {', '.join(spec.values)})", line)

    def test(
        self, text: str, fact: str, bound: dict[str, str], declared: set[str], path: tuple[str | int, ...]
    ) -> Test | None:
        line = self.loc.line(path)
        try:
            t = parse_test(text, line)
        except ConditionSyntaxError as exc:
            self.err(path, str(exc), line)
            return None
        if t.field in RESERVED_FIELDS:
            self.err(path, f"field '{t.field}' is reserved", line)
            return None
        spec = self.field(fact, t.field, path, line)
        if spec is None:
            return t
        o = t.operand
        if isinstance(o, Param):
            if o.name not in self.params:
                self.err(path, f"parameter '{o.name}' is not defined in parameters.yaml", line)
            elif o.name not in declared:
                self.err(path, f"parameter '{o.name}' is not listed under 'parameters'", line)
            if t.op not in (Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE) or spec.kind not in ("int", "day"):
                self.err(path, "a parameter can only be compared with a number field", line)
        elif isinstance(o, Ref):
            if t.op != Op.EQ:
                self.err(
                    path,
                    "a reference to another fact must use '==' (an equality join); "
                    "inequality joins are unsafe in durable-rules",
                    line,
                )
            if o.alias not in bound:
                self.err(path, f"'{o.alias}' is not a fact bound by an earlier clause", line)
            else:
                other = self.field(bound[o.alias], o.field, path, line)
                if other is not None and other.kind != spec.kind:
                    self.err(path, f"cannot join {spec.kind} field to {other.kind} field", line)
        elif isinstance(o, Literal):
            values = o.value if isinstance(o.value, tuple) else (o.value,)
            if len(values) > MAX_LIST:
                self.err(path, f"at most {MAX_LIST} values in a list", line)
            for v in values:
                self.literal(spec, v, path, line)
            if spec.kind == "bool" and t.op not in (Op.EQ, Op.NE):
                self.err(path, "a true/false field takes == or !=", line)
        return t

    def clause_tests(
        self,
        items: list[str],
        fact: str,
        bound: dict[str, str],
        declared: set[str],
        path: tuple[str | int, ...],
    ) -> tuple[Test, ...]:
        if len(items) > MAX_TESTS:
            self.err(path, f"at most {MAX_TESTS} tests in one clause")
        out = [self.test(text, fact, bound, declared, (*path, i)) for i, text in enumerate(items)]
        tests = tuple(t for t in out if t is not None)
        multi = [
            t
            for t in tests
            if t.op == Op.IN
            and isinstance(t.operand, Literal)
            and isinstance(t.operand.value, tuple)
            and len(t.operand.value) > 1
        ]
        if len(multi) > 1:
            self.err(
                path,
                "at most one multi-value 'in' test per clause (durable-rules skips tests "
                "after a nested $or group); split the rule",
                multi[1].line,
            )
        return tests


def _validate_spec(loc: Located) -> tuple[RuleSpec | None, list[SourceError]]:
    try:
        return RuleSpec.model_validate(loc.data), []
    except ValidationError as exc:
        errs = []
        for e in exc.errors():
            path = tuple(e["loc"])
            reason = e["msg"]
            if e["type"] == "extra_forbidden":
                reason = f"unknown key '{path[-1]}'"
            errs.append(SourceError(loc.file, loc.line(path), ".".join(map(str, path)), reason))
        return None, errs


def parse_rule(loc: Located, params: dict[str, Parameter], examples: Iterable[Path] = ()) -> Rule:
    """One rule file to a ``Rule``, or ``RuleLoadError`` with every problem in it."""
    spec, errors = _validate_spec(loc)
    if spec is None:
        raise RuleLoadError(errors)
    ck = _Checker(loc, params)
    declared = set(spec.parameters)
    for i, name in enumerate(spec.parameters):
        if name not in params:
            ck.err(("parameters", i), f"parameter '{name}' is not defined in parameters.yaml")
    if spec.status == Status.ACTIVE and not spec.citations:
        ck.err(("citations",), "an active rule must cite at least one source")
    if spec.effective_to and spec.effective_to < spec.effective_from:
        ck.err(("effective_to",), "effective_to is before effective_from")
    for i, name in enumerate(spec.requires):
        if name not in FACT_TYPES["case"]:
            ck.err(("requires", i), f"unknown case field '{name}'")

    bound: dict[str, str] = {CASE_ALIAS: "case"}
    case_tests = ck.clause_tests(spec.when.case, "case", bound, declared, ("when", "case"))
    clauses: list[Clause] = []
    if len(spec.when.facts) > MAX_CLAUSES:
        ck.err(("when", "facts"), f"at most {MAX_CLAUSES} fact clauses")
    for i, c in enumerate(spec.when.facts):
        path: tuple[str | int, ...] = ("when", "facts", i)
        if (c.fact is None) == (c.absent is None):
            ck.err(path, "a clause has exactly one of 'fact' (with 'as') or 'absent'")
            continue
        fact = c.fact or c.absent or ""
        if fact not in FACT_TYPES or fact == "case":
            ck.err(
                path, f"unknown fact type '{fact}' (known: {', '.join(t for t in FACT_TYPES if t != 'case')})"
            )
            continue
        if c.fact is not None:
            if not c.alias:
                ck.err(path, "a 'fact' clause needs an alias: 'as: x'")
                continue
            if c.alias in bound or c.alias.startswith("_"):
                ck.err(path, f"alias '{c.alias}' is reserved or already used")
                continue
        elif c.alias:
            ck.err(path, "an 'absent' clause binds nothing: remove 'as'")
        tests = ck.clause_tests(c.where, fact, bound, declared, (*path, "where"))
        clauses.append(Clause(fact, tests, c.alias, c.absent is not None, loc.line(path)))
        if c.fact is not None and c.alias:
            bound[c.alias] = fact
    if spec.family == Family.OVERDUE_TIMELINE and not any(
        c.fact == "deadline" and not c.absent for c in clauses
    ):
        ck.err(("when",), "an overdue_timeline rule must bind a deadline fact")

    exceptions = []
    for i, ex in enumerate(spec.exceptions):
        path = ("exceptions", i, "unless")
        t = ck.test(ex.unless, "case", {CASE_ALIAS: "case"}, declared, path)
        if t is None:
            continue
        fs = FACT_TYPES["case"].get(t.field)
        if fs is not None and not fs.required:
            ck.err(path, f"an exception must test a field every case has; '{t.field}' can be missing")
        if isinstance(t.operand, Ref):
            ck.err(path, "an exception tests the case fact only")
        exceptions.append(RuleException(ex, t))

    for key in ("message", "message_due_soon", "message_scheduled", "message_missed"):
        text = getattr(spec, key)
        for alias, fname in PLACEHOLDER.findall(text or ""):
            if alias == "param":
                if fname not in declared:
                    ck.err((key,), f"placeholder {{param.{fname}}}: parameter not listed under 'parameters'")
            elif alias not in bound:
                ck.err((key,), f"placeholder {{{alias}.{fname}}}: '{alias}' is not a bound fact")
            elif fname not in FACT_TYPES[bound[alias]]:
                ck.err((key,), f"placeholder {{{alias}.{fname}}}: unknown field for '{bound[alias]}'")

    condition = Condition(case_tests, tuple(clauses))
    unused = (
        declared
        - condition.params()
        - {f for _a, f in PLACEHOLDER.findall(_all_messages(spec)) if _a == "param"}
    )
    for name in sorted(unused):
        ck.err(("parameters",), f"parameter '{name}' is listed but never used")
    rule = Rule(spec, condition, tuple(exceptions), Path(loc.file), tuple(sorted(examples)))
    if not ck.errors:
        _check_severity(ck, rule)
    if ck.errors:
        raise RuleLoadError(ck.errors)
    return rule


_RANK = {"info": 0, "warning": 1, "critical": 2}


def _check_severity(ck: _Checker, rule: Rule) -> None:
    """The rule's severities follow the policy for its duty class (``language.severity``):
    ``severity`` is the most severe its findings can be, ``due_soon_severity`` its due-soon one."""
    spec = rule.spec
    duty = spec.duty
    if duty == Duty.LEGAL_DEADLINE and rule.deadline_alias() is None:
        ck.err(("duty",), "a legal_deadline rule must bind a deadline fact")
        return
    tiers = {}
    for status in sorted(rule.finding_statuses):
        tier = expected(duty, status)
        if tier is None:
            ck.err(("duty",), f"a {duty.value} rule cannot report status '{status}' (docs/severity.md)")
        else:
            tiers[status] = tier
    if not tiers:
        return
    top = max(tiers.values(), key=_RANK.__getitem__)
    if spec.severity.value != top:
        ck.err(
            ("severity",),
            f"severity {spec.severity.value} does not follow the policy: a {duty.value} rule "
            f"reporting {', '.join(sorted(tiers))} is at most {top} (docs/severity.md)",
        )
    soon = tiers.get(FindingStatus.DUE_SOON.value)
    if soon is not None and spec.due_soon_severity.value != soon:
        ck.err(
            ("due_soon_severity",),
            f"due_soon_severity {spec.due_soon_severity.value} does not follow the policy: "
            f"a {duty.value} rule due soon is {soon} (docs/severity.md)",
        )
    elif soon is None and "due_soon_severity" in spec.model_fields_set:
        ck.err(("due_soon_severity",), "the rule never reports due_soon: remove due_soon_severity")


def _all_messages(spec: RuleSpec) -> str:
    parts = (spec.message, spec.message_due_soon, spec.message_scheduled, spec.message_missed)
    return " ".join(p for p in parts if p)


def _check_family_folder(rule: Rule, root: Path) -> list[SourceError]:
    try:
        family = rule.source.resolve().relative_to(root.resolve()).parts[0]
    except ValueError:
        return []
    if family != rule.spec.family.value:
        return [
            SourceError(
                str(rule.source),
                1,
                "family",
                f"rule of family '{rule.spec.family.value}' is filed under '{family}/'",
            )
        ]
    return []


def load_rules(root: Path, params: dict[str, Parameter]) -> list[Rule]:
    """Every ``rules/<family>/<ID>/rule.yaml`` under ``root``, checked together."""
    errors: list[SourceError] = []
    rules: list[Rule] = []
    seen: dict[str, Path] = {}
    sources: dict[str, Located] = {}
    for path in sorted(root.glob("*/*/rule.yaml")):
        examples = list((path.parent / "examples").glob("*.yaml"))
        try:
            loc = load_located(path)
            rule = parse_rule(loc, params, examples)
        except RuleLoadError as exc:
            errors.extend(exc.errors)
            continue
        except Exception as exc:  # YAML syntax errors carry their own line
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            errors.append(SourceError(str(path), line, "", f"cannot read YAML: {type(exc).__name__}"))
            continue
        if rule.id in seen:
            errors.append(
                SourceError(str(path), 1, "id", f"duplicate id {rule.id} (also in {seen[rule.id]})")
            )
            continue
        seen[rule.id] = path
        sources[rule.id] = loc
        errors.extend(_check_family_folder(rule, root))
        rules.append(rule)
    errors.extend(precedence.check(rules, sources))
    if errors:
        raise RuleLoadError(errors)
    return rules
