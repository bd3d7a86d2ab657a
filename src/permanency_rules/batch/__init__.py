"""Checking a whole caseload: where cases come from (``sources``), the work on a chunk or block
(``job``, ``blocks``), worker processes (``pool``), the output tables (``frames``,
``summary``) and the run that ties them together (``run``)."""

from .run import CaseloadResult, check_caseload

__all__ = ["CaseloadResult", "check_caseload"]
