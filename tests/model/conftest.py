"""Synthetic case data shared by the model tests (no real people; ids are made up)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
INVALID_DIR = REPO / "fixtures" / "invalid"

MINIMAL: dict[str, Any] = {
    "case_id": "T-MIN",
    "child": {"birth_date": "2015-03-01"},
    "episode": {"removal_date": "2020-01-10"},
}

#: A valid case that fills every part of the model, all dates on or before 2021-01-01.
FULL: dict[str, Any] = {
    "case_id": "T-FULL",
    "office": "office-1",
    "worker_id": "w-1",
    "child": {"id": "c-1", "birth_date": "2005-03-01"},
    "episode": {
        "removal_date": "2020-01-10",
        "first_adjudication_date": "2020-02-10",
        "removal_reasons": ["neglect", "inadequate_housing"],
    },
    "prior_episodes": [
        {
            "removal_date": "2016-01-01",
            "discharge_date": "2016-09-01",
            "discharge_reason": "reunification",
        },
        {
            "removal_date": "2018-01-01",
            "discharge_date": "2020-01-10",
            "discharge_reason": "relative",
        },
    ],
    "placements": [
        {
            "id": "p1",
            "setting": "nonrelative_foster_home",
            "start_date": "2020-01-10",
            "end_date": "2020-05-01",
        },
        {"setting": "relative_foster_home", "start_date": "2020-05-01", "relative": True},
    ],
    "goals": [
        {"id": "g1", "type": "reunification", "start_date": "2020-01-10", "end_date": "2020-08-01"},
        {"type": "adoption", "role": "concurrent", "start_date": "2020-03-01"},
        {"type": "guardianship", "start_date": "2020-08-01", "target_date": "2021-06-01"},
    ],
    "case_plans": [{"date": "2020-03-01", "components": ["needs", "services"], "participants": ["child"]}],
    "parents": [
        {
            "role": "mother",
            "whereabouts_unknown_since": "2020-02-01",
            "diligent_search_completed_date": "2020-04-01",
        },
        {"id": "dad-1", "role": "father", "rights_terminated_date": "2020-12-01"},
    ],
    "needs": [
        {"id": "n1", "whose": "mother", "domain": "housing", "identified_date": "2020-01-20"},
        {
            "id": "n2",
            "whose": "child",
            "domain": "trauma",
            "identified_date": "2020-01-20",
            "resolved_date": "2020-11-01",
        },
    ],
    "services": [
        {
            "id": "s1",
            "need": "n1",
            "type": "housing_assistance",
            "status": "active",
            "referred_date": "2020-02-01",
            "started_date": "2020-02-15",
        },
        {
            "need": "n2",
            "type": "trauma_therapy",
            "status": "completed",
            "referred_date": "2020-02-01",
            "started_date": "2020-03-01",
            "ended_date": "2020-10-01",
            "trauma_informed": True,
        },
    ],
    "hearings": [
        {
            "id": "h1",
            "type": "removal",
            "date": "2020-01-12",
            "findings": ["contrary_to_welfare", "reasonable_efforts_prevent_removal"],
        },
        {"type": "permanency", "date": "2020-12-15", "appla_documentation": {"child_asked": True}},
        {"type": "review", "date": "2021-03-01", "scheduled": True},
    ],
    "reviews": [
        {"type": "administrative", "date": "2020-07-01"},
        {"type": "court", "date": "2021-02-01", "scheduled": True},
    ],
    "tpr": {
        "petition_date": "2020-11-01",
        "exception": "relative_care",
        "exception_date": "2020-10-01",
    },
    "caseworker_visits": [{"date": "2020-02-01"}, {"date": "2020-03-01", "in_residence": False}],
    "parent_visits": [
        {"parent": "mother", "date": "2020-02-05"},
        {"parent": "dad-1", "date": "2020-02-06"},
        {"date": "2020-02-07"},
    ],
    "relative_notice": {"date": "2020-02-09"},
    "transition_plan": {"date": "2020-06-01"},
    "credit_reports": [{"date": "2020-04-01"}],
    "mentor": {"start_date": "2020-06-01", "end_date": "2020-12-01"},
    "adult_connections": [{"kind": "teacher", "since": "2019-09-01"}],
    "siblings": [{"id": "sib-1", "in_care": True, "placed_together": True}],
}


@pytest.fixture
def minimal() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL)


@pytest.fixture
def full() -> dict[str, Any]:
    return copy.deepcopy(FULL)
