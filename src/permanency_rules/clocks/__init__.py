"""Legal clocks: due dates and statuses of every federal permanency deadline of a case.

Two clock starts (domain.md 1.0): removal for the case plan, the finding on efforts to prevent
removal and relative notice; the date entered foster care (DEFC) for the permanency hearing,
the finding on efforts to finalize and the 15-of-22 count. Months are calendar months
(``dateutil.relativedelta``), never day counts; nothing here reads today's date.
"""

from .compute import Clocks, compute_clocks
from .dates import add_months, age_on
from .deadline import Deadline, DeadlineName, DeadlineStatus
from .entry import date_entered_foster_care

__all__ = [
    "Clocks",
    "Deadline",
    "DeadlineName",
    "DeadlineStatus",
    "add_months",
    "age_on",
    "compute_clocks",
    "date_entered_foster_care",
]
