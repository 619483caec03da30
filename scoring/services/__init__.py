"""Every write of scoring, one function each. Re-exported for callers outside the app.

Other apps feed scoring only through ``score_evidence_record`` / ``score_evidence_withdraw``.
"""

from scoring.services.appeals import appeal_decide, appeal_file, appeal_withdraw
from scoring.services.dual_cadence import dual_cadence_record, dual_cadence_withdraw
from scoring.services.evidence import (
    dual_registration_create,
    dual_service_record,
    evaluation_record,
    service_card_record,
    volunteer_activity_record,
    volunteer_team_create,
)
from scoring.services.intake import score_evidence_record, score_evidence_withdraw
from scoring.services.ledger import interview_record, score_entry_add, score_entry_remove
from scoring.services.pledges import commitment_create, verification_draw, verification_record
from scoring.services.quarters import (
    quarter_compute,
    quarter_get_or_create,
    quarter_publish,
    quarter_reopen,
)

__all__ = [
    "appeal_decide",
    "appeal_file",
    "appeal_withdraw",
    "commitment_create",
    "dual_cadence_record",
    "dual_cadence_withdraw",
    "dual_registration_create",
    "dual_service_record",
    "evaluation_record",
    "interview_record",
    "quarter_compute",
    "quarter_get_or_create",
    "quarter_publish",
    "quarter_reopen",
    "score_entry_add",
    "score_entry_remove",
    "score_evidence_record",
    "score_evidence_withdraw",
    "service_card_record",
    "verification_draw",
    "verification_record",
    "volunteer_activity_record",
    "volunteer_team_create",
]
