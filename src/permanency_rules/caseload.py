"""``check_caseload`` where the docs and users import it from; the code lives in ``batch``."""

from .batch import CaseloadResult, check_caseload

__all__ = ["CaseloadResult", "check_caseload"]
