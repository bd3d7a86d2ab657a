"""The loaded catalogue: rules, parameters and a profile, resolved for one as_of date."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..facts.schema import FACT_TYPES
from .errors import RuleLoadError, SourceError
from .ir import Condition
from .parameters import RULES_DIR, ParameterSet, Profile, load_parameters, load_profile
from .rule import Rule
from .yamlsrc import load_located


@dataclass(frozen=True, eq=False)
class Catalogue:
    rules: tuple[Rule, ...]
    parameters: ParameterSet
    version: str
    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {r.id: r for r in self.rules})

    def rule(self, rule_id: str) -> Rule:
        by_id: dict[str, Rule] = self.__dict__["_by_id"]
        return by_id[rule_id]

    def in_force(self, as_of: date) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.in_force(as_of))

    def with_profile(self, profile: Profile | str | Path | None) -> Catalogue:
        if profile is None:
            return self
        prof = profile if isinstance(profile, Profile) else load_profile(profile)
        return Catalogue(self.rules, ParameterSet(self.parameters.params, prof), self.version, self.root)

    def select(self, rule_ids: set[str] | list[str] | tuple[str, ...]) -> Catalogue:
        wanted = set(rule_ids)
        unknown = wanted - {r.id for r in self.rules}
        if unknown:
            raise KeyError(f"unknown rule id(s): {', '.join(sorted(unknown))}")
        return Catalogue(
            tuple(r for r in self.rules if r.id in wanted), self.parameters, self.version, self.root
        )


def needs(rule: Rule, condition: Condition | None = None) -> tuple[str, ...]:
    """Case fields the rule cannot be judged without: declared, plus optional ones it tests."""
    cond = condition or rule.condition
    tested = [t.field for t in cond.case_tests if not FACT_TYPES["case"][t.field].required]
    return tuple(dict.fromkeys([*rule.spec.requires, *tested]))


@functools.lru_cache(maxsize=8)
def load_catalogue(root: Path = RULES_DIR) -> Catalogue:
    """Load and check every rule under ``root`` (cached per root)."""
    from .loader import load_rules

    params = load_parameters(root / "parameters.yaml")
    rules = load_rules(root, params)
    meta = load_located(root / "catalogue.yaml")
    if not isinstance(meta.data, dict) or not isinstance(meta.data.get("version"), str | int | float):
        where = meta.line(("version",))
        raise RuleLoadError([SourceError(meta.file, where, "version", "a version is required")])
    return Catalogue(tuple(rules), ParameterSet(params), str(meta.data["version"]), root)


def with_extra_rules(base: Catalogue, root: Path) -> Catalogue:
    """``base`` plus the local rules under ``root`` (``<family>/<ID>/rule.yaml``).

    Local rules use the base catalogue's parameters; an id already in ``base`` is an error,
    so a local rule can never silently replace a bundled one."""
    from .loader import load_rules

    if not root.is_dir():
        raise FileNotFoundError(2, "extra rules folder not found", str(root))
    extra = load_rules(root, base.parameters.params)
    if not extra:
        raise RuleLoadError(
            [SourceError(str(root), 1, "", "no rules found (expected <family>/<ID>/rule.yaml)")]
        )
    have = {r.id for r in base.rules}
    clashes = [
        SourceError(str(r.source), 1, "id", f"{r.id} is already a rule of the bundled catalogue")
        for r in extra
        if r.id in have
    ]
    if clashes:
        raise RuleLoadError(clashes)
    return Catalogue(base.rules + tuple(extra), base.parameters, f"{base.version}+local", base.root)
