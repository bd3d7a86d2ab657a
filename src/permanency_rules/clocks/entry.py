"""The date a child is "considered to have entered foster care" (DEFC).

Two clocks start at different dates (domain.md 1.0): the case plan, the finding on efforts to
prevent removal and relative notice run from removal; the permanency hearing, the finding on
efforts to finalize and the 15-of-22 count run from DEFC. Mixing them up is the most common bug.
``defc_known_on`` decides it per case, ``defc_columns`` for every case at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np

from ..model.case import Case, Episode
from ..model.codes import HearingFinding
from .context import Episodes, HeldHearings, earliest
from .dates import Days, Maybe, add_days


def date_entered_foster_care(episode: Episode, defc_days: int, *, adjudications: Iterable[date] = ()) -> date:
    """DEFC: the earlier of the first abuse/neglect adjudication and removal + ``defc_days``.

    42 USC 675(5)(F). With no known adjudication, removal + 60 days (the latest DEFC can be).
    ``adjudications`` adds further adjudication dates (e.g. from hearing findings).
    [R] An adjudication before removal (a child adjudicated while still at home) cannot start
    foster care before the child is in it: DEFC is then the removal date.
    """
    removal = episode.removal_date
    latest = add_days(removal, defc_days)
    known = [d for d in (episode.first_adjudication_date, *adjudications) if d is not None]
    if not known:
        return latest
    return max(removal, min(latest, *known))


def defc_known_on(case: Case, as_of: date, defc_days: int) -> date:
    """DEFC as known on ``as_of``: adjudications after ``as_of`` have not happened yet.

    Held hearings of the current episode with the finding ``abuse_neglect_adjudicated`` count as
    adjudications too, so a missing ``first_adjudication_date`` does not push DEFC late.
    """
    ep = case.episode
    first = ep.first_adjudication_date
    episode = ep.model_copy(
        update={"first_adjudication_date": first if first is not None and first <= as_of else None}
    )
    from_hearings = [
        h.date
        for h in case.hearings
        if not h.scheduled
        and ep.removal_date <= h.date <= as_of
        and HearingFinding.ABUSE_NEGLECT_ADJUDICATED in h.findings
    ]
    return date_entered_foster_care(episode, defc_days, adjudications=from_hearings)


def defc_columns(ep: Episodes, first_adjudication: Maybe, hearings: HeldHearings, defc_days: int) -> Days:
    """``defc_known_on`` for every case: the earlier of adjudication and removal + ``defc_days``."""
    latest_defc = ep.removal + defc_days
    adjudicated = earliest(
        first_adjudication.where(first_adjudication.day <= ep.evaluated),
        hearings.first(hearings.finding(HearingFinding.ABUSE_NEGLECT_ADJUDICATED)),
    )
    return np.where(
        adjudicated.has, np.maximum(ep.removal, np.minimum(latest_defc, adjudicated.day)), latest_defc
    )
