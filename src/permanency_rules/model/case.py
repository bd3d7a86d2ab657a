"""The case aggregate: every fact the rules read, typed.

Lists carry optional ``id`` fields; when a source system gives none, ``Case.item_ids`` derives
one from the item's content, so ids (and so finding ids) do not depend on list order.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from .codes import (
    AssessmentKind,
    CasePlanComponent,
    ConnectionKind,
    DischargeReason,
    EffortsNotRequiredGround,
    GoalRole,
    GoalType,
    HearingFinding,
    HearingType,
    NeedDomain,
    ParentRole,
    Participant,
    Party,
    PlacementSetting,
    RemovalManner,
    RemovalReason,
    ReviewType,
    ServiceStatus,
    ServiceType,
    TprException,
)


def _iso_date(value: Any) -> Any:
    """Only a ``date`` or ``YYYY-MM-DD`` text: not a number (0 would be 1970-01-01), not a
    timestamp (``2020-02-11T00:00:00Z`` is not a date), not a ``datetime``."""
    if isinstance(value, datetime) or (
        isinstance(value, str) and (len(value) != 10 or value[4] != "-" or value[7] != "-")
    ):
        raise ValueError("not a valid date: expected YYYY-MM-DD")
    if isinstance(value, date | str):
        return value
    raise ValueError("not a valid date: expected YYYY-MM-DD")


def _flag(value: Any) -> Any:
    """Only ``true``/``false`` (JSON booleans, or that text from a table): not yes, 1 or on."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ValueError("not a valid boolean: expected true or false")


def _case_id(value: str) -> str:
    if value != value.strip():
        raise ValueError("a case id may not start or end with spaces")
    return value


def _item_id(value: str) -> str:
    """An id, or a reference to one, is never blank or padded: ``" n1"`` would be a
    different id from ``"n1"`` (an orphaned service, a second parent), and ``""`` is no id."""
    if not value.strip():
        raise ValueError("an id may not be blank")
    if value != value.strip():
        raise ValueError("an id may not start or end with spaces")
    return value


#: The strict forms of a date, a flag, a case id and an item id (or a reference to one).
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Flag = Annotated[bool, BeforeValidator(_flag)]
CaseId = Annotated[str, AfterValidator(_case_id)]
ItemId = Annotated[str, AfterValidator(_item_id)]
#: ``date`` under another name, for fields called ``date`` (a field may not shadow its own type).
CalendarDate = IsoDate


class Part(BaseModel):
    """Base for every part: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Child(Part):
    """The child in care; identified by a pseudonymous id only."""

    id: ItemId | None = Field(None, description="Pseudonymous child id; never a name.")
    birth_date: IsoDate | None = Field(
        None, description="Date of birth (AFCARS DOB); when unknown, age-based rules are not evaluable."
    )


class Episode(Part):
    """One removal episode (AFCARS LATREMDT, DODFCDT, DISREASN)."""

    removal_date: IsoDate = Field(description="Date of this removal from home (AFCARS LATREMDT).")
    first_adjudication_date: IsoDate | None = Field(
        None,
        description="First judicial finding of abuse or neglect; the date entered foster care is the "
        "earlier of this and removal + 60 days.",
    )
    discharge_date: IsoDate | None = Field(
        None, description="Date the child left foster care (AFCARS DODFCDT); absent while the case is open."
    )
    discharge_reason: DischargeReason | None = Field(
        None, description="Why the child left care (AFCARS DISREASN); needs a discharge date."
    )
    removal_reasons: list[RemovalReason] = Field(
        default_factory=list,
        description="Circumstances associated with the removal (AFCARS removal reasons).",
    )
    manner_of_removal: RemovalManner | None = Field(
        None, description="Court-ordered or voluntary (AFCARS MANREM); unknown counts as court-ordered."
    )


class Placement(Part):
    """One placement setting over a date range."""

    id: ItemId | None = Field(None, description="Source system id; derived from the content when absent.")
    setting: PlacementSetting = Field(description="Placement setting (AFCARS CURPLSET).")
    start_date: IsoDate = Field(description="First day in this placement.")
    end_date: IsoDate | None = Field(None, description="Last day in this placement; absent while current.")
    relative: Flag | None = Field(None, description="Caregiver is a relative.")
    extended_until: IsoDate | None = Field(
        None, description="Trial home visit: the end date a court set for an extension (45 CFR 1356.21(e))."
    )


class Goal(Part):
    """A permanency goal (AFCARS CASEGOAL), primary or concurrent, over a date range."""

    id: ItemId | None = Field(None, description="Source system id; derived from the content when absent.")
    type: GoalType = Field(description="The permanency goal (AFCARS CASEGOAL; 42 USC 675(5)(C)).")
    role: GoalRole = Field(GoalRole.PRIMARY, description="Primary goal, or a concurrent plan beside it.")
    start_date: IsoDate = Field(description="Date the goal was set.")
    end_date: IsoDate | None = Field(
        None, description="Date the goal was ended or replaced; absent while active."
    )
    target_date: IsoDate | None = Field(
        None, description="Date the goal is to be achieved by; a plan, so it may lie after as_of."
    )


class CasePlan(Part):
    """A written case plan (42 USC 675(1)) and what it covers."""

    id: ItemId | None = Field(None, description="Source system id; derived from the content when absent.")
    date: CalendarDate = Field(description="Date the plan was completed or updated.")
    components: list[CasePlanComponent] = Field(
        default_factory=list, description="Required parts the plan documents."
    )
    participants: list[Participant] = Field(
        default_factory=list, description="Who took part in developing the plan."
    )


class Parent(Part):
    """A parent, identified by role (and id when a case has two of one role)."""

    id: ItemId | None = Field(None, description="Defaults to the role, e.g. 'mother'.")
    role: ParentRole = Field(description="The parent's role.")
    rights_terminated_date: IsoDate | None = Field(None, description="Date parental rights were terminated.")
    deceased: Flag = Field(False, description="The parent has died.")
    whereabouts_unknown_since: IsoDate | None = Field(
        None, description="Date since which the parent's whereabouts are unknown."
    )
    diligent_search_completed_date: IsoDate | None = Field(
        None, description="Date a diligent search for this parent was completed."
    )
    incarcerated: Flag = Field(False, description="The parent is currently incarcerated.")


class Need(Part):
    """An assessed need of the child, a parent or a caregiver."""

    id: ItemId = Field(description="Id that services refer to (services[].need).")
    whose: Party = Field(description="Whose need it is.")
    domain: NeedDomain = Field(description="The area of need.")
    identified_date: IsoDate = Field(description="Date the need was identified.")
    resolved_date: IsoDate | None = Field(None, description="Date the need was resolved; absent while open.")


class NeedsAssessment(Part):
    """A needs assessment of one party, so that 'not assessed' can be told from 'no need'
    (CFSR Items 12A1 child, 12B1 parents, 12C1 caregivers; 42 USC 675(1)(B))."""

    id: ItemId | None = Field(None, description="Source system id; derived from the content when absent.")
    party: Party = Field(description="Whose needs were assessed: child, mother, father or caregiver.")
    date: CalendarDate = Field(description="Date the assessment was completed.")
    kind: AssessmentKind = Field(
        AssessmentKind.INITIAL, description="initial (the first) or ongoing (a reassessment)."
    )


class Service(Part):
    """A service referred to answer one need."""

    id: ItemId | None = Field(None, description="Source system id; derived from the content when absent.")
    need: ItemId = Field(description="Id of the need this service answers.")
    type: ServiceType = Field(description="The kind of service.")
    status: ServiceStatus = Field(description="Where the service stands (referred, waitlisted, active, ...).")
    referred_date: IsoDate = Field(description="Date of referral.")
    started_date: IsoDate | None = Field(None, description="Date the service started; absent if not started.")
    ended_date: IsoDate | None = Field(None, description="Date the service ended.")
    trauma_informed: Flag = Field(False, description="The service is a trauma-informed intervention.")


class AppLaDocumentation(Part):
    """What 42 USC 675a(a) asks at each permanency hearing for a child with APPLA."""

    intensive_family_finding: Flag = Field(
        False, description="Intensive, ongoing efforts to return home or find a family were documented."
    )
    child_asked: Flag = Field(False, description="The court asked the child about the desired outcome.")
    compelling_reasons: Flag = Field(
        False, description="Compelling reasons why no other permanency goal is in the child's best interests."
    )
    normalcy: Flag = Field(
        False, description="Steps to ensure the reasonable and prudent parent standard were documented."
    )


class Hearing(Part):
    """A court hearing, held or scheduled, and the findings it made."""

    id: ItemId | None = Field(None, description="Source system id; derived from the content when absent.")
    type: HearingType = Field(description="The kind of hearing.")
    date: CalendarDate = Field(description="Date held (or, when scheduled, the date set).")
    scheduled: Flag = Field(False, description="Not yet held; may be after as_of.")
    findings: list[HearingFinding] = Field(default_factory=list, description="Judicial findings made.")
    appla_documentation: AppLaDocumentation | None = Field(
        None, description="APPLA documentation at a permanency hearing (42 USC 675a(a))."
    )
    efforts_not_required_ground: EffortsNotRequiredGround | None = Field(
        None,
        description="With a reasonable_efforts_not_required finding: its ground under 42 USC "
        "671(a)(15)(D)(i)-(iii) (aggravated circumstances, murder or manslaughter, felony assault, "
        "involuntary TPR of a sibling).",
    )


class Review(Part):
    """A periodic review (court or administrative), held or scheduled."""

    id: ItemId | None = Field(None, description="Source system id; derived from the content when absent.")
    type: ReviewType = Field(description="Court review or administrative review.")
    date: CalendarDate = Field(description="Date held (or, when scheduled, the date set).")
    scheduled: Flag = Field(False, description="Not yet held; may be after as_of.")


class Tpr(Part):
    """Termination of parental rights: the petition, or a documented exception to filing."""

    petition_date: IsoDate | None = Field(None, description="Date a TPR petition was filed.")
    exception: TprException | None = Field(
        None, description="Documented exception to filing (42 USC 675(5)(E)(i)-(iii))."
    )
    exception_date: IsoDate | None = Field(None, description="Date the exception was documented.")


class CaseworkerVisit(Part):
    """A caseworker's visit with the child."""

    id: ItemId | None = Field(None, description="Source system id; derived from the content when absent.")
    date: CalendarDate = Field(description="Date of the visit.")
    in_residence: Flag = Field(True, description="The visit took place where the child lives.")


class ParentVisit(Part):
    """Family time: a visit between the child and a parent."""

    id: ItemId | None = Field(None, description="Source system id; derived from the content when absent.")
    parent: ItemId | None = Field(None, description="Id of the parent; any parent if absent.")
    date: CalendarDate = Field(description="Date of the visit.")


class DatedRecord(Part):
    """A document or event known only by its date."""

    date: CalendarDate = Field(description="Date of the record.")


class Mentor(Part):
    """A mentor for a youth in care, over a date range."""

    start_date: IsoDate = Field(description="Date the mentoring began.")
    end_date: IsoDate | None = Field(None, description="Date the mentoring ended; absent while ongoing.")


class AdultConnection(Part):
    """A lasting connection between a youth and a caring adult."""

    id: ItemId | None = Field(None, description="Source system id; derived from the content when absent.")
    kind: ConnectionKind = Field(description="Who the adult is to the youth.")
    since: IsoDate | None = Field(None, description="Date the connection was documented.")


class Sibling(Part):
    """A sibling of the child, and how the siblings are kept together or in contact."""

    id: ItemId | None = Field(None, description="Source system id; derived from the content when absent.")
    in_care: Flag = Field(True, description="The sibling is also in foster care.")
    placed_together: Flag = Field(False, description="The sibling is placed with the child.")
    contact_plan: Flag = Field(False, description="A plan for contact between the siblings exists.")
    contact_contraindicated: Flag = Field(
        False, description="Contact or joint placement is documented as contrary to safety or well-being."
    )


class Case(Part):
    """One child's case: the unit that rules evaluate."""

    case_id: CaseId = Field(
        min_length=1, description="Unique id of the case; appears in every finding and error."
    )
    office: str | None = Field(None, description="Office or unit, for grouping caseload summaries.")
    worker_id: str | None = Field(
        None, description="Pseudonymous id of the assigned caseworker; never a name."
    )
    child: Child = Field(description="The child.")
    episode: Episode = Field(description="The current (latest) removal episode.")
    prior_episodes: list[Episode] = Field(
        default_factory=list, description="Earlier, closed episodes (count toward 15 of 22 months)."
    )
    placements: list[Placement] = Field(default_factory=list, description="Placements in this episode.")
    goals: list[Goal] = Field(default_factory=list, description="Permanency goals, past and present.")
    case_plans: list[CasePlan] = Field(default_factory=list, description="Written case plans.")
    parents: list[Parent] = Field(default_factory=list, description="The child's parents.")
    needs: list[Need] = Field(default_factory=list, description="Assessed needs.")
    needs_assessments: list[NeedsAssessment] = Field(
        default_factory=list, description="Needs assessments per party, initial and ongoing."
    )
    services: list[Service] = Field(default_factory=list, description="Services, each answering one need.")
    hearings: list[Hearing] = Field(default_factory=list, description="Court hearings, held or scheduled.")
    reviews: list[Review] = Field(default_factory=list, description="Periodic reviews, held or scheduled.")
    tpr: Tpr | None = Field(None, description="Termination of parental rights petition or exception.")
    caseworker_visits: list[CaseworkerVisit] = Field(
        default_factory=list, description="Caseworker visits with the child."
    )
    parent_visits: list[ParentVisit] = Field(default_factory=list, description="Visits with parents.")
    relative_notice: DatedRecord | None = Field(
        None, description="Notice to adult relatives after removal (42 USC 671(a)(29))."
    )
    relative_notice_exception: DatedRecord | None = Field(
        None,
        description="Date a family or domestic violence exception to notifying relatives was documented "
        "(42 USC 671(a)(29)).",
    )
    transition_plan: DatedRecord | None = Field(
        None, description="Transition plan for a youth aging out (42 USC 675(5)(H))."
    )
    credit_reports: list[DatedRecord] = Field(
        default_factory=list,
        description="Credit reports obtained for a youth 14 or older (42 USC 675(5)(I)).",
    )
    mentor: Mentor | None = Field(None, description="A mentor for the youth.")
    adult_connections: list[AdultConnection] = Field(
        default_factory=list, description="Caring adults the youth is connected to."
    )
    siblings: list[Sibling] = Field(default_factory=list, description="The child's siblings.")

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
