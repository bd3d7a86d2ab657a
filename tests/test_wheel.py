"""The wheel works anywhere: built from a clean copy of the checkout, installed into a fresh
virtual environment outside it, it finds its bundled rules and evaluates a fixture case (and
checks a caseload) from an unrelated directory, with the same finding ids as the checkout.

Speed: the wheel is installed offline (``--no-index --no-deps``). Its dependencies (pandas,
pyarrow, matplotlib...) are not installed a second time, which costs minutes: the fresh
environment sees this environment's site-packages through a ``.pth`` line, which adds them to
``sys.path`` without running this environment's editable-install hook, so ``permanency_rules``
itself can only come from the wheel (asserted). ``pip check`` then proves the wheel's declared
requirements are met.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import venv
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from permanency_rules.caseload import check_caseload
from permanency_rules.evaluation import evaluate
from permanency_rules.model.io import load_case_file
from tests.conftest import ROOT

FIXTURE = ROOT / "fixtures" / "cases" / "02_reunification_drift.yaml"
#: Not part of a source tree: build output, environments, caches, generated data.
_TOP_LEVEL = {".git", ".venv", "build", "dist", "out", ".hypothesis"}
_ANYWHERE = shutil.ignore_patterns("__pycache__", "*.egg-info", ".*_cache")


def _not_source(folder: str, names: list[str]) -> set[str]:
    ignored = set(_ANYWHERE(folder, names))
    if Path(folder) == ROOT:
        ignored |= _TOP_LEVEL & set(names)
    if Path(folder) == ROOT / "benchmarks":
        ignored |= {"data"} & set(names)
    return ignored


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")},
    )
    assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the wheel installed; returns its bin/ folder."""
    tmp = tmp_path_factory.mktemp("wheel")
    # a clean copy: setuptools' build/ folder in a checkout can hold deleted modules
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=_not_source)
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", tmp / "dist", src, cwd=tmp)
    (wheel,) = (tmp / "dist").glob("permanency_rules-*.whl")
    env = tmp / "env"
    venv.EnvBuilder(with_pip=False).create(env)
    py = env / "bin" / "python"
    pip = (sys.executable, "-m", "pip", "--python", py)
    _run(*pip, "install", "-q", "--no-index", "--no-deps", wheel, cwd=tmp)
    target = Path(
        _run(py, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp).stdout.strip()
    )
    (target / "_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    _run(*pip, "check", cwd=tmp)
    return env / "bin"


def test_wheel_holds_the_rules_and_no_checkout_path(installed: Path, tmp_path: Path) -> None:
    out = _run(
        installed / "python",
        "-c",
        "import permanency_rules as p; from permanency_rules.language.parameters import RULES_DIR as r;"
        "print(p.__file__); print(r); print(len(list(r.glob('*/*/rule.yaml'))))",
        cwd=tmp_path,
    ).stdout.split()
    env = installed.parent.resolve()
    assert Path(out[0]).resolve().is_relative_to(env)
    assert Path(out[1]).resolve().is_relative_to(env)
    assert int(out[2]) == len(list((ROOT / "rules").glob("*/*/rule.yaml")))


def test_wheel_evaluates_a_fixture_from_elsewhere(installed: Path, tmp_path: Path) -> None:
    case_file = tmp_path / "case.yaml"
    shutil.copy(FIXTURE, case_file)
    doc = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    as_of = str(doc["as_of"])
    got = json.loads(
        _run(
            installed / "permanency-rules",
            "evaluate",
            case_file,
            "--as-of",
            as_of,
            "--format",
            "json",
            cwd=tmp_path,
        ).stdout
    )
    here = evaluate(load_case_file(FIXTURE), doc["as_of"])
    assert sorted({f["rule_id"] for f in got["findings"]}) == sorted(doc["expect"]["findings"])
    assert sorted(f["finding_id"] for f in got["findings"]) == sorted(f.finding_id for f in here.findings)


def test_wheel_checks_a_caseload_from_elsewhere(installed: Path, tmp_path: Path) -> None:
    folder = tmp_path / "caseload"
    shutil.copytree(ROOT / "fixtures" / "caseload", folder)
    _run(
        installed / "permanency-rules",
        "check",
        folder,
        "--as-of",
        "2026-11-01",
        "--out",
        "f.csv",
        "--quiet",
        cwd=tmp_path,
    )
    here = check_caseload(ROOT / "fixtures" / "caseload", date(2026, 11, 1))
    assert sorted(pd.read_csv(tmp_path / "f.csv")["finding_id"]) == sorted(here.findings["finding_id"])
