"""What each source kind of points is: who it scores, what its quantity counts, what its
evidence ids point at.

The SQL that gathers each kind lives in ``scoring.services.aggregates``; this table is what the
explanation page, the API and the admin read to describe an entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from scoring.models import SourceKind

S = SourceKind

#: What the ids in ``ScoreEntry.refs`` point at.
REF_CASE = "case"
REF_EVIDENCE = "evidence"
REF_SERVICE_CARD = "service_card"
REF_VERIFICATION = "verification"
REF_DUAL_SERVICE = "dual_service"
REF_VOLUNTEER_ACTIVITY = "volunteer_activity"
REF_EVALUATION = "evaluation"
REF_NONE = ""

PERSON = "person"
UNIT = "unit"


@dataclass(frozen=True)
class Source:
    kind: str
    subject: str
    ref: str
    #: What one unit of quantity is ("per case", "per hour", …).
    per: Promise


PER_CASE = _("per case")
PER_EVENT = _("per event")
PER_PERIOD = _("per overdue period")
PER_WEEK = _("per week logged")
PER_ACTIVITY = _("per activity")
PER_PLEDGE = _("per pledge checked")
PER_HOUR = _("per hour")
PER_PERSON = _("per person served")
PER_EVALUATION = _("per evaluation")
PER_RATE_POINT = _("per percentage point")
PER_REQUEST = _("per request")

SOURCES: dict[str, Source] = {
    s.kind: s
    for s in [
        Source(S.CASE_OPENED, PERSON, REF_CASE, PER_CASE),
        Source(S.CASE_ACCEPTED_ON_TIME, PERSON, REF_CASE, PER_CASE),
        Source(S.CASE_ACCEPTED_LATE, PERSON, REF_CASE, PER_CASE),
        Source(S.CASE_RESOLVED_ON_TIME, PERSON, REF_CASE, PER_CASE),
        Source(S.CASE_RESOLVED_LATE, PERSON, REF_CASE, PER_CASE),
        Source(S.CASE_OVERDUE, PERSON, REF_CASE, PER_PERIOD),
        Source(S.CASE_REOPENED, PERSON, REF_CASE, PER_CASE),
        Source(S.CASE_RETURNED_WRONGLY, PERSON, REF_CASE, PER_CASE),
        Source(S.FEEDBACK_SATISFIED, PERSON, REF_CASE, PER_CASE),
        Source(S.FEEDBACK_BASICALLY_SATISFIED, PERSON, REF_CASE, PER_CASE),
        Source(S.FEEDBACK_UNSATISFIED, PERSON, REF_CASE, PER_CASE),
        Source(S.FEEDBACK_VISIT, PERSON, REF_CASE, PER_CASE),
        Source(S.CONSULTATION_DECISION, PERSON, REF_CASE, PER_EVENT),
        Source(S.ANSWERED_ON_SPOT, PERSON, REF_EVIDENCE, PER_REQUEST),
        Source(S.CALLBACK_FAILED, PERSON, REF_EVIDENCE, PER_REQUEST),
        Source(S.SERVICE_CARD_ROUTINE, PERSON, REF_SERVICE_CARD, PER_WEEK),
        Source(S.SERVICE_CARD_SPECIAL, PERSON, REF_SERVICE_CARD, PER_EVENT),
        Source(S.SERVICE_CARD_KEY, PERSON, REF_SERVICE_CARD, PER_ACTIVITY),
        Source(S.COMMITMENT_KEPT, PERSON, REF_VERIFICATION, PER_PLEDGE),
        Source(S.COMMITMENT_BROKEN, PERSON, REF_VERIFICATION, PER_PLEDGE),
        Source(S.DUAL_SERVICE_HOURS, PERSON, REF_DUAL_SERVICE, PER_HOUR),
        Source(S.VOLUNTEER_PARTICIPATION, PERSON, REF_VOLUNTEER_ACTIVITY, PER_ACTIVITY),
        Source(S.VOLUNTEER_ORGANISED, PERSON, REF_VOLUNTEER_ACTIVITY, PER_ACTIVITY),
        Source(S.VOLUNTEER_PEOPLE_SERVED, PERSON, REF_VOLUNTEER_ACTIVITY, PER_PERSON),
        Source(S.EVALUATION_EXCELLENT, PERSON, REF_EVALUATION, PER_EVALUATION),
        Source(S.EVALUATION_GOOD, PERSON, REF_EVALUATION, PER_EVALUATION),
        Source(S.EVALUATION_FAIR, PERSON, REF_EVALUATION, PER_EVALUATION),
        Source(S.EVALUATION_POOR, PERSON, REF_EVALUATION, PER_EVALUATION),
        Source(S.UNIT_RESPONSE_RATE, UNIT, REF_NONE, PER_RATE_POINT),
        Source(S.UNIT_RESOLUTION_RATE, UNIT, REF_NONE, PER_RATE_POINT),
        Source(S.UNIT_SATISFACTION_RATE, UNIT, REF_NONE, PER_RATE_POINT),
        Source(S.MANUAL, PERSON, REF_NONE, _("by hand")),
    ]
}

#: Kinds another app may report through ``score_evidence_record`` (the intake).
INTAKE_SOURCES = frozenset({S.ANSWERED_ON_SPOT})


def source_label(kind: str) -> str:
    try:
        return str(SourceKind(kind).label)
    except ValueError:
        return kind
