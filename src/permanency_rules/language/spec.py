"""The shape of a rule file, checked by pydantic before its condition is parsed."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from .parameters import Citation
from .severity import Duty


class Family(StrEnum):
    MISSING_GOAL = "missing_goal"
    UNREALISTIC_GOAL = "unrealistic_goal"
    SERVICE_GAP = "service_gap"
    OVERDUE_TIMELINE = "overdue_timeline"
    ELIGIBILITY = "eligibility"  # title IV-E eligibility findings, routed to eligibility staff
    LONG_TERM_FOSTER_CARE = "long_term_foster_care"
    ENGAGEMENT = "engagement"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class Status(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FactClauseSpec(_Strict):
    fact: str | None = None
    alias: str | None = Field(None, alias="as")
    absent: str | None = None
    where: list[str] = Field(default_factory=list)


class WhenSpec(_Strict):
    case: list[str] = Field(default_factory=list)
    facts: list[FactClauseSpec] = Field(default_factory=list)


class ExceptionSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str
    citation: Citation
    unless: str


class RuleSpec(_Strict):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
    version: int = Field(ge=1)
    status: Status
    title: str = Field(max_length=100)
    summary: str = Field(max_length=140)
    family: Family
    duty: Duty
    severity: Severity
    due_soon_severity: Severity = Severity.INFO
    principle: str
    rationale: str
    remediation: str
    citations: list[Citation] = Field(default_factory=list)
    effective_from: date
    effective_to: date | None = None
    parameters: list[str] = Field(default_factory=list)
    requires: list[str] = Field(default_factory=list)
    when: WhenSpec
    message: str
    message_due_soon: str | None = None
    message_scheduled: str | None = None
    message_missed: str | None = None
    suppressed_by: list[str] = Field(default_factory=list)
    exceptions: list[ExceptionSpec] = Field(default_factory=list)
