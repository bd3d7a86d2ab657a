"""The case aggregate: every fact the rules read, typed.

Lists carry optional ``id`` fields; when a source system gives none, ``Case.item_ids`` derives
one from the item's content, so ids (and so finding ids) do not depend on list order.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .codes import (
    CasePlanComponent,
    ConnectionKind,
    DischargeReason,
    GoalRole,
    GoalType,
    HearingFinding,
    HearingType,
    NeedDomain,
    ParentRole,
    Participant,
    Party,
    PlacementSetting,
    RemovalReason,
    ReviewType,
    ServiceStatus,
    ServiceType,
    TprException,
)


class Part(BaseModel):
    """Base for every part: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Child(Part):
    id: str | None = Field(None, description="Pseudonymous child id; never a name.")
    birth_date: date | None = None


class Episode(Part):
    """One removal episode (AFCARS LATREMDT, DODFCDT, DISREASN)."""

    removal_date: date
    first_adjudication_date: date | None = Field(
        None, description="First judicial finding of abuse or neglect (starts DEFC)."
    )
    discharge_date: date | None = None
    discharge_reason: DischargeReason | None = None
    removal_reasons: list[RemovalReason] = Field(default_factory=list)


class Placement(Part):
    id: str | None = None
    setting: PlacementSetting
    start_date: date
    end_date: date | None = None
    relative: bool | None = Field(None, description="Caregiver is a relative.")


class Goal(Part):
    id: str | None = None
    type: GoalType
    role: GoalRole = GoalRole.PRIMARY
    start_date: date
    end_date: date | None = None
    target_date: date | None = None


class CasePlan(Part):
    id: str | None = None
    date: date
    components: list[CasePlanComponent] = Field(default_factory=list)
    participants: list[Participant] = Field(default_factory=list)


class Parent(Part):
    id: str | None = Field(None, description="Defaults to the role, e.g. 'mother'.")
    role: ParentRole
    rights_terminated_date: date | None = None
    deceased: bool = False
    whereabouts_unknown_since: date | None = None
    diligent_search_completed_date: date | None = None
    incarcerated: bool = False


class Need(Part):
    id: str
    whose: Party
    domain: NeedDomain
    identified_date: date
    resolved_date: date | None = None


class Service(Part):
    id: str | None = None
    need: str = Field(description="Id of the need this service answers.")
    type: ServiceType
    status: ServiceStatus
    referred_date: date
    started_date: date | None = None
    ended_date: date | None = None
    trauma_informed: bool = False


class AppLaDocumentation(Part):
    """What 42 USC 675a(a) asks at each permanency hearing for a child with APPLA."""

    intensive_family_finding: bool = False
    child_asked: bool = False
    compelling_reasons: bool = False
    normalcy: bool = False


class Hearing(Part):
    id: str | None = None
    type: HearingType
    date: date
    scheduled: bool = Field(False, description="Not yet held; may be after as_of.")
    findings: list[HearingFinding] = Field(default_factory=list)
    appla_documentation: AppLaDocumentation | None = None


class Review(Part):
    id: str | None = None
    type: ReviewType
    date: date
    scheduled: bool = False


class Tpr(Part):
    petition_date: date | None = None
    exception: TprException | None = None
    exception_date: date | None = None


class CaseworkerVisit(Part):
    id: str | None = None
    date: date
    in_residence: bool = True


class ParentVisit(Part):
    id: str | None = None
    parent: str | None = Field(None, description="Id of the parent; any parent if absent.")
    date: date


class DatedRecord(Part):
    date: date


class Mentor(Part):
    start_date: date
    end_date: date | None = None


class AdultConnection(Part):
    id: str | None = None
    kind: ConnectionKind
    since: date | None = None


class Sibling(Part):
    id: str | None = None
    in_care: bool = True
    placed_together: bool = False
    contact_plan: bool = False
    contact_contraindicated: bool = False


class Case(Part):
    """One child's case: the unit that rules evaluate."""

    case_id: str = Field(min_length=1)
    office: str | None = None
    worker_id: str | None = None
    child: Child
    episode: Episode
    prior_episodes: list[Episode] = Field(default_factory=list)
    placements: list[Placement] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    case_plans: list[CasePlan] = Field(default_factory=list)
    parents: list[Parent] = Field(default_factory=list)
    needs: list[Need] = Field(default_factory=list)
    services: list[Service] = Field(default_factory=list)
    hearings: list[Hearing] = Field(default_factory=list)
    reviews: list[Review] = Field(default_factory=list)
    tpr: Tpr | None = None
    caseworker_visits: list[CaseworkerVisit] = Field(default_factory=list)
    parent_visits: list[ParentVisit] = Field(default_factory=list)
    relative_notice: DatedRecord | None = None
    transition_plan: DatedRecord | None = None
    credit_reports: list[DatedRecord] = Field(default_factory=list)
    mentor: Mentor | None = None
    adult_connections: list[AdultConnection] = Field(default_factory=list)
    siblings: list[Sibling] = Field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.episode.discharge_date is None


def content_id(prefix: str, item: BaseModel) -> str:
    """A short id from an item's content: stable under shuffling of the list it sits in."""
    payload = json.dumps(item.model_dump(mode="json", exclude={"id"}), sort_keys=True)
    return f"{prefix}-{hashlib.sha256(payload.encode()).hexdigest()[:10]}"


def item_ids(prefix: str, items: list[Any]) -> list[str]:
    """Ids for a list of parts: the given id, else a content id (suffixed when repeated)."""
    out: list[str] = []
    seen: dict[str, int] = {}
    for item in items:
        given = getattr(item, "id", None)
        base = given if given else content_id(prefix, item)
        if not given:
            n = seen.get(base, 0)
            seen[base] = n + 1
            base = base if n == 0 else f"{base}.{n}"
        out.append(base)
    return out


def parent_id(parent: Parent) -> str:
    return parent.id or parent.role.value
