"""Probe H7, M5, M6, L3 (duplicate keys): every YAML file is read safely, errors are file:line."""

from __future__ import annotations

import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from permanency_rules import evaluate
from permanency_rules.cli import app
from permanency_rules.language.catalogue import load_catalogue
from permanency_rules.language.errors import RuleLoadError
from permanency_rules.language.parameters import load_parameters, load_profile
from permanency_rules.model import load_case_file
from permanency_rules.model.errors import CaseValidationError
from tests.conftest import ROOT

runner = CliRunner()
CASE = ROOT / "fixtures" / "cases" / "02_reunification_drift.yaml"
#: Nine levels of ten aliases each: 10**9 strings if the loader expanded them.
LAUGHS = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
)


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", root)
    return root


def _cli_error(args: list[str]) -> str:
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    return r.stderr


def _evaluate(rules: Path, profile: Path | None = None) -> str:
    args = ["evaluate", str(CASE), "--as-of", "2026-11-01", "--rules", str(rules)]
    return _cli_error([*args, "--profile", str(profile)] if profile else args)


def test_billion_laughs_in_a_rule_file_is_refused_at_once(rules: Path) -> None:
    f = rules / "service_gap" / "PR-SG-001" / "rule.yaml"
    f.write_text(LAUGHS + f.read_text(encoding="utf-8"), encoding="utf-8")
    start = time.perf_counter()
    msg = _evaluate(rules)
    assert time.perf_counter() - start < 20
    assert f"{f}:2: cannot read YAML: aliases (*name) are not allowed" in msg


def test_billion_laughs_in_parameters_and_profile(rules: Path, tmp_path: Path) -> None:
    params = rules / "parameters.yaml"
    params.write_text(params.read_text(encoding="utf-8") + LAUGHS, encoding="utf-8")
    assert "aliases (*name) are not allowed" in _evaluate(rules)
    profile = tmp_path / "p.yaml"
    profile.write_text("name: x\ndescription: y\n" + LAUGHS, encoding="utf-8")
    assert f"{profile}:4: cannot read YAML: aliases" in _evaluate(ROOT / "rules", profile)


def test_billion_laughs_in_a_case_file(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text(LAUGHS, encoding="utf-8")
    with pytest.raises(CaseValidationError, match="alias"):
        load_case_file(f)


@pytest.mark.parametrize(
    "text, line",
    [("name: [\n", 2), ("name: x\ndescription: !!python/object/apply:os.system ['true']\n", 2)],
)
def test_profile_syntax_errors_and_tags_are_file_line(tmp_path: Path, text: str, line: int) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text(text, encoding="utf-8")
    msg = _evaluate(ROOT / "rules", profile)
    assert msg.startswith(f"error: {profile}:{line}: cannot read YAML"), msg
    assert "Traceback" not in msg


@pytest.mark.parametrize("name", ["parameters.yaml", "catalogue.yaml"])
@pytest.mark.parametrize(
    "extra, reason",
    [("\nbad: [\n", "cannot read YAML"), ("\nbad: !!python/name:os.system\n", "unsupported tag")],
)
def test_parameters_and_catalogue_errors(rules: Path, name: str, extra: str, reason: str) -> None:
    f = rules / name
    f.write_text(f.read_text(encoding="utf-8") + extra, encoding="utf-8")
    msg = _evaluate(rules)
    assert f"error: {f}:" in msg and reason in msg, msg
    r = runner.invoke(app, ["lint", "--rules", str(rules)])
    assert r.exit_code == 2 and f"{f}:" in r.stderr


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path: Path) -> None:
    f = tmp_path / "deep.yaml"
    f.write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(CaseValidationError, match="invalid YAML"):
        load_case_file(f)
    j = tmp_path / "deep.json"
    j.write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(CaseValidationError, match="invalid JSON"):
        load_case_file(j)
    assert "invalid YAML" in _cli_error(["evaluate", str(f), "--as-of", "2026-11-01"])


def test_a_second_severity_key_is_refused(rules: Path) -> None:
    f = rules / "service_gap" / "PR-SG-001" / "rule.yaml"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("severity: warning", "severity: warning\nseverity: info", 1), encoding="utf-8")
    with pytest.raises(RuleLoadError, match="duplicate key 'severity'"):
        load_catalogue.__wrapped__(rules)


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_duplicate_keys_in_a_case_file(tmp_path: Path, suffix: str) -> None:
    f = tmp_path / f"c{suffix}"
    body = '{"case_id": "a", "case_id": "b"}' if suffix == ".json" else "case_id: a\ncase_id: b\n"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(CaseValidationError, match="duplicate key"):
        load_case_file(f)


@pytest.mark.parametrize("value", [99999999999, 0, -1, -999999999])
def test_profile_values_are_range_checked_at_load_and_in_lint(tmp_path: Path, value: int) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "name: p\ndescription: d\noverrides:\n  permanency_hearing_months:\n"
        f"    value: {value}\n    citation: {{authority: x, section: y}}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleLoadError, match=r"out of range \(1 to 120 months\)"):
        evaluate(load_case_file(CASE), date(2026, 11, 1), profile=profile)
    msg = _evaluate(ROOT / "rules", profile)
    assert f"{profile}:5: overrides.permanency_hearing_months:" in msg
    r = runner.invoke(app, ["lint", "--profile", str(profile)])
    assert r.exit_code == 2 and "out of range" in r.stderr


def test_parameter_values_are_range_checked(tmp_path: Path) -> None:
    text = (ROOT / "rules" / "parameters.yaml").read_text(encoding="utf-8")
    f = tmp_path / "parameters.yaml"
    f.write_text(text.replace("value: 60}", "value: 0}", 1), encoding="utf-8")
    with pytest.raises(RuleLoadError, match="out of range"):
        load_parameters(f)


def test_bundled_profiles_pass_lint() -> None:
    assert load_profile("example_state").name == "example_state"
    r = runner.invoke(app, ["lint"])
    assert r.exit_code == 0, r.output
