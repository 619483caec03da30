"""Scoring models, split by domain and re-exported here."""

from scoring.models.evidence import (
    DualRegistration,
    DualServiceRecord,
    Evidence,
    Grade,
    ServiceCardEntry,
    ServiceCardKind,
    SupervisorEvaluation,
    VolunteerActivity,
    VolunteerTeam,
)
from scoring.models.interviews import Interview, InterviewReason, InterviewStatus
from scoring.models.ledger import (
    Quarter,
    QuarterAction,
    QuarterActionKind,
    QuarterStatus,
    ScoreEntry,
    ScoreResult,
)
from scoring.models.pledges import (
    Commitment,
    Verification,
    VerificationDraw,
    VerificationOutcome,
)
from scoring.models.rules import (
    Indicator,
    PointRule,
    ScoringPolicy,
    SourceKind,
    StarBasis,
    StarThreshold,
    Subject,
)

__all__ = [
    "Commitment",
    "DualRegistration",
    "DualServiceRecord",
    "Evidence",
    "Grade",
    "Indicator",
    "Interview",
    "InterviewReason",
    "InterviewStatus",
    "PointRule",
    "Quarter",
    "QuarterAction",
    "QuarterActionKind",
    "QuarterStatus",
    "ScoreEntry",
    "ScoreResult",
    "ScoringPolicy",
    "ServiceCardEntry",
    "ServiceCardKind",
    "SourceKind",
    "StarBasis",
    "StarThreshold",
    "Subject",
    "SupervisorEvaluation",
    "Verification",
    "VerificationDraw",
    "VerificationOutcome",
    "VolunteerActivity",
    "VolunteerTeam",
]
