"""permanency_rules: declarative rules that flag permanency-planning problems in child-welfare cases.

Single case::

    from datetime import date
    from permanency_rules import evaluate
    report = evaluate(case_dict, date(2026, 11, 1))

Whole caseloads: ``check_caseload``. Rules live as data in ``rules/``.
"""

from __future__ import annotations

from ._version import __version__
from .evaluation import evaluate, evaluate_json
from .model.case import Case
from .model.errors import CaseError, CaseValidationError
from .outputs.findings import Finding, Report

__all__ = [
    "Case",
    "CaseError",
    "CaseValidationError",
    "Finding",
    "Report",
    "__version__",
    "evaluate",
    "evaluate_json",
]
