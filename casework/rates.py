"""The six rates (三率 and their kin) as plain arithmetic over counted events.

Every rate is ``numerator / denominator`` over events of one period, ``None`` when nothing was
due (a zero denominator), never a made-up zero. What each counts:

- response 响应率: sign-fors (签收) done within the sign-for deadline / sign-fors in the period;
- resolution 解决率: answers that found the problem solved / answers;
- satisfaction 满意率: answers where the resident was satisfied or basically satisfied /
  answers;
- on_time 按期办结率: resolutions (办结, also by a consultation) before the deadline / resolutions;
- return 回退率: returns (回退) by handlers / assignments in the period;
- redo 重办率: reopenings for redo (重办: an unsatisfied or unsolved answer, a failed check) /
  resolutions in the period.

Beside them, counts that are not rates: approved extensions (延期, on-time is judged against the
approved deadline, so the number of extensions is shown next to it, as 12345 hotlines do) and
cases parked (挂账: waiting on a budget or plan; never counted as resolved). Assignments include
transfers (转办) and sends up (兜底): each is a dispatch a return can follow.

An *answer* is either of the two ways a resident's verdict on a result reaches the system
(``casework.tallies.ANSWERS``): the return visit (回访) a worker records for them, and the
resident's own rating on the tracking page or through the SMS link (``resident_feedback``).
Both count, each as one answer, in the resolution and the satisfaction rates (and an unsolved or
unsatisfied one that reopens the case in the redo rate): they are two answers given, as a
hotline counts both its call-back and the caller's own evaluation. A result may thus have an
answer of each kind (the resident's own is taken once per result; a second is refused). Where
the two disagree the case is flagged for a supervisor's check (``selfservice``), and the rates
keep both answers as given.

Every answer counts, as 12345 hotlines count every call-back: a case answered unsatisfied
and, after the redo, satisfied counts one of each, and once in redo. A case with no answer
yet is in neither denominator. Events are counted on the local (Asia/Shanghai) day they happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RATE_NAMES = ("response", "resolution", "satisfaction", "on_time", "return", "redo")


@dataclass
class Counts:
    """The counted events of one unit in one period."""

    signed: int = 0
    signed_on_time: int = 0
    answered: int = 0  # answers: return visits (回访) and residents' own ratings
    solved: int = 0
    pleased: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    assigned: int = 0
    returned: int = 0
    reopened: int = 0
    #: Not rates: approved extensions (延期) and cases parked (挂账) in the period.
    extended: int = 0
    parked: int = 0
    extra: dict = field(default_factory=dict)

    def add(self, other: Counts) -> Counts:
        for name in self.__dataclass_fields__:
            if name != "extra":
                setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def ratio(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator`` rounded to 4 places, or ``None`` when nothing was due."""
    if not denominator:
        return None
    return round(numerator / denominator, 4)


#: Each rate's numerator and denominator, the counts it divides: the one definition of each rate,
#: read by :func:`rates` and by the pages that show the counts behind a rate.
RATE_TERMS: dict[str, tuple[str, str]] = {
    "response": ("signed_on_time", "signed"),
    "resolution": ("solved", "answered"),
    "satisfaction": ("pleased", "answered"),
    "on_time": ("resolved_on_time", "resolved"),
    "return": ("returned", "assigned"),
    "redo": ("reopened", "resolved"),
}


def rates(c: Counts) -> dict[str, float | None]:
    return {
        name: ratio(getattr(c, numerator), getattr(c, denominator))
        for name, (numerator, denominator) in RATE_TERMS.items()
    }
