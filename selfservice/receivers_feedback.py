"""Where selfservice listens to casework: its ``events.recorded`` signal, sent inside the
writer's transaction (``casework/events``). A result asks the resident by SMS; a worker's 回访
is compared with the resident's own answer. Events of other kinds cost no query."""

from __future__ import annotations

from casework.models import CaseState, EventKind


def case_events_recorded(sender, events, **kwargs):
    from selfservice.feedback import rating_link_issue, visit_recorded

    for event in events:
        if event.kind == EventKind.FEEDBACK:
            visit_recorded(event)
        elif event.to_state == CaseState.RESOLVED and event.kind in (
            EventKind.RESOLVED,
            EventKind.CONSULTED,
        ):
            rating_link_issue(case=event.case, now=event.created_at)
