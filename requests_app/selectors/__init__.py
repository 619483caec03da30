"""Intake reads shared by pages, API and the demo, scoped to what the viewer may see."""

from requests_app.selectors.requests import (
    Candidate,
    case_requests,
    mask_name,
    request_duplicate_candidates,
    request_get,
    request_list,
    request_read,
    request_track,
)
from requests_app.selectors.residents import (
    resident_get,
    resident_list,
    resident_requests,
    resident_visible,
)
from requests_app.selectors.visits import visit_counts, visit_get, visit_list

__all__ = [
    "Candidate",
    "case_requests",
    "mask_name",
    "request_duplicate_candidates",
    "request_get",
    "request_list",
    "request_read",
    "request_track",
    "resident_get",
    "resident_list",
    "resident_requests",
    "resident_visible",
    "visit_counts",
    "visit_get",
    "visit_list",
]
