"""The column-wise screen against the per-case validation it stands in for.

The contract: every case the reference rejects is routed by ``type_tables`` or flagged by
``screen`` (never missed). Extra flags would only cost time; today the screen mirrors each
check exactly, so the tests also pin that it flags nothing the reference accepts. If a
deliberately broader check is added one day, relax ``_assert_exact`` and keep the superset.
"""

from __future__ import annotations

import copy
import random
import tempfile
import typing
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from permanency_rules.adapters.tables import TABLES
from permanency_rules.columnar.screen import FUTURE_ALLOWED, SCHEDULED, screen
from permanency_rules.columnar.typed import column_kind
from permanency_rules.model.case import Case as CaseModel
from permanency_rules.model.errors import CaseValidationError
from permanency_rules.model.io import parse_and_check, parse_at
from permanency_rules.model.validation import FUTURE_ALLOWED as MODEL_FUTURE_ALLOWED
from permanency_rules.synth import synth_cases
from tests.columnar.harness import Both, both_ways, synth_folder, write_cases
from tests.conftest import ROOT, load_yaml

AS_OF = date(2026, 6, 1)
Case = dict[str, Any]


def _screened(folder: Path, as_of: date) -> tuple[Both, np.ndarray]:
    both = both_ways(folder, as_of)
    flagged = screen(both.typed, as_of)
    assert flagged.dtype == bool and flagged.shape == (both.typed.n,)
    assert not (flagged & both.typed.routed).any(), "routed cases have no rows left to flag"
    return both, flagged


def _assert_superset(both: Both, flagged: np.ndarray) -> None:
    caught = both.typed.routed | flagged
    missed = sorted(k for k in both.rejected if not caught[k])
    assert not missed, f"rejected by the reference but neither routed nor flagged: {missed}"


def _later(cases: list[Case], as_of: date) -> set[int]:
    """Cases the reference accepts with records after as_of left out (R19): the screen sends
    them to the per-case path, whose as-of view only it has."""
    out = set()
    for k, c in enumerate(cases):
        try:
            if parse_at(c, as_of)[1]:
                out.add(k)
        except CaseValidationError:
            pass
    return out


def _assert_exact(both: Both, flagged: np.ndarray, later: frozenset[int] | set[int] = frozenset()) -> None:
    extra = sorted(
        int(k) for k in np.flatnonzero(flagged) if int(k) not in both.rejected and int(k) not in later
    )
    assert not extra, f"flagged but accepted by the reference: {extra}"


# -- a clean caseload -----------------------------------------------------------------------


def test_clean_synthetic_caseload_is_neither_routed_nor_flagged(tmp_path: Path) -> None:
    both, flagged = _screened(synth_folder(tmp_path, 3000, seed=11, synth_as_of=AS_OF), AS_OF)
    assert both.typed.n == 3000
    assert not both.rejected
    assert not both.typed.routed.any()
    assert not flagged.any()


def test_exceptions_match_the_model() -> None:
    """The table exceptions are the model's: planned targets, and scheduled hearings/reviews."""
    as_tables = set()
    for name, col in FUTURE_ALLOWED:
        table = TABLES[name]
        column = next(c for c in table.columns if c.name == col)
        assert column_kind(table, column).name == "date"
        item = typing.get_args(CaseModel.model_fields[table.target].annotation)[0]
        as_tables.add((item, column.field or column.name))
    assert as_tables == set(MODEL_FUTURE_ALLOWED)
    with_scheduled = {n for n, t in TABLES.items() if any(c.name == SCHEDULED for c in t.columns)}
    assert with_scheduled == {"hearings", "reviews"}


# -- hand-made mutations --------------------------------------------------------------------


def _d(x: date) -> str:
    return x.isoformat()


def _day(s: str) -> date:
    return date.fromisoformat(s)


def _base(n: int = 40, seed: int = 3) -> list[Case]:
    return list(synth_cases(n, AS_OF, seed=seed))


def _removal(c: Case) -> date:
    return _day(c["episode"]["removal_date"])


def _prior(c: Case, start: date, end: date | None, reason: str | None = "reunification") -> Case:
    ep: Case = {"removal_date": _d(start)}
    if end is not None:
        ep["discharge_date"] = _d(end)
    if reason is not None:
        ep["discharge_reason"] = reason
    return ep


def _files() -> dict[str, Case]:
    return {p.stem: load_yaml(p) for p in sorted((ROOT / "tests" / "cases" / "screen").glob("*.yaml"))}


#: Edge cases as data (``tests/cases/screen``): each file holds a story, a case, ``as_of`` and
#: whether the case is valid; an invalid one lists every error the per-case path reports. A
#: ``later_`` file is valid with records after as_of (R19): flagged, so the per-case path runs it.
FILES = _files()
BREAKS = sorted(n for n, d in FILES.items() if not d["valid"])
LATER = sorted(n for n in FILES if n.startswith("later_"))
KEEPS = sorted(n for n, d in FILES.items() if d["valid"] and n not in LATER)


def test_edge_case_files_are_well_formed() -> None:
    assert len(BREAKS) >= 30 and len(KEEPS) >= 10 and len(LATER) >= 10
    for name, doc in FILES.items():
        assert set(doc) == {"story", "as_of", "valid", "case"} | ({"errors"} if not doc["valid"] else set())
        assert doc["as_of"] == AS_OF, name  # all are screened in one caseload
        assert name.startswith(("valid_", "later_") if doc["valid"] else ("invalid_",)), name


@pytest.mark.parametrize("name", sorted(FILES))
def test_per_case_path_gives_each_file_its_errors(name: str) -> None:
    doc = FILES[name]
    if doc["valid"]:
        later = parse_at(doc["case"], doc["as_of"])[1]
        assert (later > 0) == (name in LATER), f"{name}: {later} records after as_of"
        return
    with pytest.raises(CaseValidationError) as info:
        parse_and_check(doc["case"], doc["as_of"])
    got = sorted((e.path, e.reason) for e in info.value.errors)
    assert got == sorted((e["path"], e["reason"]) for e in doc["errors"])


def test_every_break_is_routed_or_flagged(tmp_path: Path) -> None:
    base = _base()
    cases = [FILES[n]["case"] for n in BREAKS] + base  # the untouched cases ride along
    both, flagged = _screened(write_cases(tmp_path, cases), AS_OF)
    for key, name in enumerate(BREAKS):
        assert key in both.rejected, f"{name} did not break the case"
        assert flagged[key], f"{name}: not flagged"  # the screen itself, not routing
    assert not flagged[len(BREAKS) :].any()
    _assert_superset(both, flagged)
    _assert_exact(both, flagged)


def test_records_after_as_of_are_flagged_for_the_per_case_view(tmp_path: Path) -> None:
    both, flagged = _screened(write_cases(tmp_path, [FILES[n]["case"] for n in LATER]), AS_OF)
    for key, name in enumerate(LATER):
        assert key not in both.rejected, f"{name}: the reference rejects it"
        assert flagged[key] or both.typed.routed[key], f"{name}: neither flagged nor routed"


def test_unusual_valid_cases_are_not_flagged(tmp_path: Path) -> None:
    both, flagged = _screened(write_cases(tmp_path, [FILES[n]["case"] for n in KEEPS]), AS_OF)
    for key, name in enumerate(KEEPS):
        assert key not in both.rejected, f"{name}: the reference rejects it"
        assert not both.typed.routed[key], f"{name}: routed"
        assert not flagged[key], f"{name}: flagged"


def test_a_later_as_of_clears_late_dates(tmp_path: Path) -> None:
    """Late dates depend on as_of: the same tables checked a year on are clean."""
    late = [
        "later_hearing_after_as_of",
        "later_credit_report_after_as_of",
        "later_tpr_petition_after_as_of",
    ]
    folder = write_cases(tmp_path, [FILES[n]["case"] for n in late])
    assert screen(both_ways(folder, AS_OF).typed, AS_OF).all()
    later = AS_OF + timedelta(days=365)
    both, flagged = _screened(folder, later)
    assert not both.rejected and not flagged.any()


# -- random mutations -----------------------------------------------------------------------


def _dates(c: Case) -> list[tuple[Case, str]]:
    """(holder, key) of every date string in a case dict."""
    out: list[tuple[Case, str]] = []

    def walk(obj: Any) -> None:
        if isinstance(obj, dict):
            for k, v in obj.items():
                if isinstance(v, str) and len(v) == 10 and v[4] == "-" and v[7] == "-":
                    out.append((obj, k))
                else:
                    walk(v)
        elif isinstance(obj, list):
            for item in obj:
                walk(item)

    walk(c)
    return out


def r_shift_a_date(c: Case, rng: random.Random) -> None:
    """Any date moved up to two years either way: order, overlap and as_of problems alike."""
    holder, key = rng.choice(_dates(c))
    holder[key] = _d(_day(holder[key]) + timedelta(days=rng.randint(-730, 730)))


def r_swap_two_dates(c: Case, rng: random.Random) -> None:
    (h1, k1), (h2, k2) = rng.choice(_dates(c)), rng.choice(_dates(c))
    h1[k1], h2[k2] = h2[k2], h1[k1]


def r_drop_an_optional_date(c: Case, rng: random.Random) -> None:
    optional = [
        (h, k)
        for h, k in _dates(c)
        if k.endswith(("discharge_date", "end_date", "started_date", "birth_date"))
    ]
    if optional:
        h, k = rng.choice(optional)
        del h[k]


def r_schedule_or_unschedule(c: Case, rng: random.Random) -> None:
    items = c.get("hearings", []) + c.get("reviews", [])
    if items:
        rng.choice(items)["scheduled"] = rng.random() < 0.5


def r_drop_role_or_id(c: Case, rng: random.Random) -> None:
    pool = [(p, "id") for p in c.get("parents", [])] + [(g, "role") for g in c.get("goals", [])]
    if pool:
        item, key = rng.choice(pool)
        item.pop(key, None)


def r_copy_an_item(c: Case, rng: random.Random) -> None:
    """A second goal, prior episode or parent like an existing one (overlaps, duplicate roles)."""
    name = rng.choice(["goals", "prior_episodes", "parents", "placements"])
    items = c.get(name) or []
    if items:
        item = copy.deepcopy(rng.choice(items))
        if "id" in item and name != "parents":
            item["id"] = f"{item['id']}-copy"
        elif name == "parents":
            item.pop("id", None)
        items.append(item)


def r_add_prior_episode(c: Case, rng: random.Random) -> None:
    r = _removal(c)
    start = r - timedelta(days=rng.randint(-20, 900))
    end = None if rng.random() < 0.2 else start + timedelta(days=rng.randint(-5, 400))
    reason = None if rng.random() < 0.3 else "reunification"
    c.setdefault("prior_episodes", []).append(_prior(c, start, end, reason))


def r_rewire_a_reference(c: Case, rng: random.Random) -> None:
    choices = [s for s in c.get("services", [])] + [v for v in c.get("parent_visits", [])]
    if choices:
        item = rng.choice(choices)
        key = "need" if "need" in item else "parent"
        item[key] = rng.choice(["n0", "n1", "n3", "mother", "father", "x"])


def r_discharge_reason(c: Case, rng: random.Random) -> None:
    eps = [c["episode"], *c.get("prior_episodes", [])]
    ep = rng.choice(eps)
    if rng.random() < 0.5:
        ep["discharge_reason"] = "reunification"
    else:
        ep.pop("discharge_date", None)


def r_add_mentor(c: Case, rng: random.Random) -> None:
    r = _removal(c)
    m: Case = {"start_date": _d(r + timedelta(days=rng.randint(-5, 900)))}
    if rng.random() < 0.5:
        m["end_date"] = _d(r + timedelta(days=rng.randint(-5, 900)))
    if rng.random() < 0.2:
        del m["start_date"]
    c["mentor"] = m


MENU: list[Callable[[Case, random.Random], None]] = [
    f for name, f in sorted(globals().items()) if name.startswith("r_")
]
POOL = list(synth_cases(60, AS_OF, seed=7))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rng=st.randoms(use_true_random=False),
    edits=st.lists(st.lists(st.sampled_from(MENU), min_size=0, max_size=3), min_size=1, max_size=8),
    days_later=st.sampled_from([0, 0, 1, 200]),
)
def test_random_mutations_never_slip_through(
    rng: random.Random, edits: list[list[Callable[[Case, random.Random], None]]], days_later: int
) -> None:
    cases = []
    for i, per_case in enumerate(edits):
        c = copy.deepcopy(rng.choice(POOL))
        c["case_id"] = f"R{i:03d}"
        for edit in per_case:
            edit(c, rng)
        cases.append(c)
    as_of = AS_OF + timedelta(days=days_later)
    with tempfile.TemporaryDirectory() as tmp:
        both, flagged = _screened(write_cases(Path(tmp), cases), as_of)
    _assert_superset(both, flagged)
    _assert_exact(both, flagged, _later(cases, as_of))


# -- fixtures -------------------------------------------------------------------------------

INVALID = sorted((ROOT / "fixtures" / "invalid").glob("*.yaml"))
VALID = sorted((ROOT / "fixtures" / "cases").glob("*.yaml"))
#: Invalid fixtures whose problem cannot be put in tables at all.
NOT_TABULAR = {
    # the case is a list: there is no row of cases for it
    "case_not_a_mapping.yaml",
    # its only problem is a key the model does not define; tables have no column for it, so
    # the table form (the writer drops the key) is a valid case
    "unknown_key.yaml",
}
#: Fact tables whose rows need ids on the column-wise path (``typed._NEEDS_ID``).
FACT_LISTS = ("placements", "goals", "case_plans", "services", "hearings", "siblings")


def _fixture(path: Path) -> tuple[Case, date]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    case = doc["case"]
    # YAML reads unquoted dates as dates; the table writer stores str(), the ISO form
    return case, doc["as_of"]


def _with_ids(case: Case) -> Case:
    """The same case with an id on every fact row, so it is screened rather than routed."""
    case = copy.deepcopy(case)
    for name in FACT_LISTS:
        for i, item in enumerate(case.get(name, [])):
            item.setdefault("id", f"{name}-auto-{i}")
    return case


@pytest.mark.parametrize("path", [p for p in INVALID if p.name not in NOT_TABULAR], ids=lambda p: p.stem)
def test_invalid_fixture_is_routed_or_flagged(tmp_path: Path, path: Path) -> None:
    case, as_of = _fixture(path)
    for i, variant in enumerate([case, _with_ids(case)]):
        both, flagged = _screened(write_cases(tmp_path / str(i), [variant]), as_of)
        assert both.rejected == {0}, "the table form should still be invalid"
        assert both.typed.routed[0] or flagged[0]
        _assert_exact(both, flagged)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_fixture_is_not_flagged(tmp_path: Path, path: Path) -> None:
    case, as_of = _fixture(path)
    for i, variant in enumerate([case, _with_ids(case)]):
        both, flagged = _screened(write_cases(tmp_path / str(i), [variant]), as_of)
        assert not both.rejected
        assert not flagged[0]


def test_fixtures_with_ids_reach_the_screen(tmp_path: Path) -> None:
    """Guard for the two tests above: most fixtures with ids are screened, not just routed."""
    cases = [_with_ids(_fixture(p)[0]) for p in VALID]
    both = both_ways(write_cases(tmp_path, cases), AS_OF)
    assert both.typed.routed.sum() <= len(cases) // 4
