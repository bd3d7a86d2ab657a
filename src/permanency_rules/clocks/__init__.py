"""Legal clocks: due dates and statuses of every federal permanency deadline of a case.

Two clock starts (domain.md 1.0): removal for the case plan, the finding on efforts to prevent
removal and relative notice; the date entered foster care (DEFC) for the permanency hearing,
the finding on efforts to finalize and the 15-of-22 count. Months are calendar months
(``dateutil.relativedelta``), never day counts; nothing here reads today's date.

One module per deadline family (``removal_clocks``, ``court``, ``visits``, ``tpr``, ``youth``,
``trial_home_visit``), each holding the per-case clock and, beside it, its column-wise twin
(``*_columns``), registered once in ``registry.CLOCKS``; ``compute`` runs them either way.
"""

from .compute import ClockColumns, Clocks, column_clocks, compute_clocks
from .dates import add_months, age_on
from .deadline import Deadline, DeadlineName, DeadlineStatus
from .entry import date_entered_foster_care

__all__ = [
    "ClockColumns",
    "Clocks",
    "Deadline",
    "DeadlineName",
    "DeadlineStatus",
    "add_months",
    "age_on",
    "column_clocks",
    "compute_clocks",
    "date_entered_foster_care",
]
