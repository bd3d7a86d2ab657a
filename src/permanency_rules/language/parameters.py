"""Named thresholds with dated values and citations; jurisdiction profiles override them.

The federal floor lives in ``rules/parameters.yaml``. A profile (``rules/profiles/*.yaml``)
replaces values for a state without touching code. Both clocks and rules read the resolved
values, so a state's shorter clock changes due dates and findings together.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from .errors import RuleLoadError, SourceError
from .yamlsrc import Located, load_located


def _bundled_rules() -> Path:
    """The folder of the package ``permanency_rules.rules``: the top-level ``rules/`` in a
    checkout or an editable install, ``site-packages/permanency_rules/rules`` in a wheel."""
    try:
        root = resources.files("permanency_rules.rules")
    except ModuleNotFoundError as exc:  # an install made before the rules were a package
        raise RuntimeError("the bundled rules are not installed: reinstall permanency_rules") from exc
    if not isinstance(root, Path):
        raise RuntimeError(f"the bundled rules must be plain files on disk, not {root}")
    return root


RULES_DIR = _bundled_rules()
Unit = Literal["days", "months", "years", "count", "percent", "switch"]  # switch: 0 off, 1 on
#: Values a parameter of each unit may take. Not law (that lives in parameters.yaml): a bound on
#: typos, so a profile with 0, -1 or 99999999999 is refused at load instead of flagging every
#: case or overflowing the calendar. Ten years of days or months; an age from 0 (no minimum).
UNIT_RANGE: dict[str, tuple[int, int]] = {
    "days": (1, 3660),
    "months": (1, 120),
    "years": (0, 30),
    "count": (1, 1000),
    "percent": (1, 100),
    "switch": (0, 1),
}


def range_error(unit: str, value: int) -> str | None:
    """Why ``value`` is out of range for ``unit``, or ``None``."""
    low, high = UNIT_RANGE[unit]
    return None if low <= value <= high else f"{value} {unit} is out of range ({low} to {high} {unit})"


class Citation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    authority: str = Field(description="e.g. '42 USC', '45 CFR', 'CFSR OSRI', 'state policy'")
    section: str = Field(description="Section within the authority, e.g. '675(5)(C)'.")
    title: str | None = Field(None, description="The section's title.")
    url: str | None = Field(None, description="Where to read it.")

    def label(self) -> str:
        return f"{self.authority} {self.section}"


class DatedValue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    effective_from: date
    value: int


class Parameter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str
    unit: Unit
    values: list[DatedValue] = Field(min_length=1)
    citation: Citation

    @model_validator(mode="after")
    def _in_range(self) -> Parameter:
        for v in self.values:
            reason = range_error(self.unit, v.value)
            if reason:
                raise ValueError(reason)
        return self

    def at(self, as_of: date) -> int:
        """Value in force on ``as_of``; the earliest value if ``as_of`` predates all of them."""
        ordered = sorted(self.values, key=lambda v: v.effective_from)
        chosen = ordered[0]
        for v in ordered:
            if v.effective_from <= as_of:
                chosen = v
        return chosen.value


class Override(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: int
    citation: Citation
    effective_from: date | None = None


class Profile(BaseModel):
    """A jurisdiction's overrides of the federal floor."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str
    overrides: dict[str, Override] = Field(default_factory=dict)
    #: ``file:line`` of each override, for errors found once the parameters are known.
    _where: dict[str, tuple[str, int]] = PrivateAttr(default_factory=dict)

    def where(self, name: str) -> tuple[str, int]:
        return self._where.get(name, ("profile:" + self.name, 1))


def _validate(model: type[BaseModel], loc: Located) -> BaseModel:
    try:
        return model.model_validate(loc.data)
    except ValidationError as exc:
        raise RuleLoadError(
            [
                SourceError(loc.file, loc.line(tuple(e["loc"])), ".".join(map(str, e["loc"])), e["msg"])
                for e in exc.errors()
            ]
        ) from None


class ParameterSet:
    """All parameters of a catalogue, optionally with a profile applied."""

    def __init__(self, params: Mapping[str, Parameter], profile: Profile | None = None) -> None:
        self.params = dict(params)
        self.profile = profile
        if profile:
            errors = []
            for name, ov in profile.overrides.items():
                param = self.params.get(name)
                reason = "unknown parameter" if param is None else range_error(param.unit, ov.value)
                if reason:
                    errors.append(SourceError(*profile.where(name), f"overrides.{name}", reason))
            if errors:
                raise RuleLoadError(errors)

    def resolve(self, as_of: date) -> dict[str, int]:
        """Plain ``name -> value`` for one as_of date (what clocks and compilers read)."""
        out = {name: p.at(as_of) for name, p in self.params.items()}
        if self.profile:
            for name, ov in self.profile.overrides.items():
                if ov.effective_from is None or ov.effective_from <= as_of:
                    out[name] = ov.value
        return out

    def citation(self, name: str) -> Citation:
        if self.profile and name in self.profile.overrides:
            return self.profile.overrides[name].citation
        return self.params[name].citation


def load_parameters(path: str | Path | None = None) -> dict[str, Parameter]:
    loc = load_located(path or RULES_DIR / "parameters.yaml")
    if not isinstance(loc.data, dict):
        raise RuleLoadError([SourceError(loc.file, 1, "", "expected a mapping of parameters")])
    out: dict[str, Parameter] = {}
    errors: list[SourceError] = []
    for name, body in loc.data.items():
        try:
            out[str(name)] = Parameter.model_validate(body)
        except ValidationError as exc:
            errors.extend(
                SourceError(
                    loc.file, loc.line((name, *e["loc"])), f"{name}.{'.'.join(map(str, e['loc']))}", e["msg"]
                )
                for e in exc.errors()
            )
    if errors:
        raise RuleLoadError(errors)
    return out


def load_profile(name_or_path: str | Path) -> Profile:
    """A profile by file path, or by name from ``rules/profiles/``."""
    p = Path(name_or_path)
    if not p.suffix:
        p = RULES_DIR / "profiles" / f"{name_or_path}.yaml"
    if not p.exists():
        raise RuleLoadError([SourceError(str(p), 1, "", "profile file not found")])
    loc = load_located(p)
    prof = _validate(Profile, loc)
    assert isinstance(prof, Profile)
    prof._where.update({n: (loc.file, loc.line(("overrides", n, "value"))) for n in prof.overrides})
    return prof
