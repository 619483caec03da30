"""The keys of each case event kind's ``data``, and what they hold: the one place they are
written down. ``casework.events`` writes exactly these (``None`` where a value does not apply),
and ``casework.selectors.events`` reads them by the names it takes from here."""

from __future__ import annotations

from casework.models import EventKind

K = EventKind

#: Each kind's ``data`` keys, and what they hold.
DATA_KEYS: dict[str, dict[str, str]] = {
    K.OPENED: {
        "request": "id of the request the case was opened for, if any",
        "channel": "the channel the request came in by, if any",
    },
    K.ASSIGNED: {
        "handler": "id of the named handler, or null",
        "unit": "id of the leading handling unit (首接负责), or null",
        "co_handlers": "ids of the co-handling units (协办)",
        "sign_due_at": "sign-for deadline, ISO 8601",
        "due_at": "resolve deadline, ISO 8601",
        "calendar_fallback": "true when the working calendar did not know the year",
    },
    K.ACCEPTED: {"on_time": "signed for before the sign-for deadline"},
    K.RETURNED: {
        "reason": "why the handler returned it",
        "handler": "id of the handler who held it",
        "unit": "id of the unit that held it",
    },
    K.RESOLVED: {
        "on_time": "resolved before the (approved) resolve deadline",
        "due_at": "the resolve deadline it was judged against, ISO 8601",
        "handler": "id of the handler who resolved it",
        "unit": "id of the leading unit",
        "co_pending": "ids of co-handling units whose part was not yet reported",
    },
    K.FEEDBACK: {
        "solved": "the resident says the problem was solved",
        "satisfaction": "satisfied, basically_satisfied or unsatisfied",
        "handler": "id of the handler whose work was rated",
        "unit": "id of the unit whose work was rated",
    },
    K.RESIDENT_FEEDBACK: {
        "solved": "the resident says the problem was solved",
        "satisfaction": "satisfied, basically_satisfied or unsatisfied",
        "handler": "id of the handler whose work was rated",
        "unit": "id of the unit whose work was rated",
        "round": "which resolution it answers: the case's reopen count when it was resolved",
        "via": "where the resident answered: track (the tracking page) or sms (the SMS link)",
    },
    K.REOPENED: {"reason": "why the supervisor's check failed"},
    K.CLOSED: {"reason": "feedback, no_feedback or verified"},
    K.CANCELLED: {"reason": "why it was cancelled"},
    K.ESCALATED: {"level": "1 community, 2 town, 3 county", "unit": "id of the unit told"},
    K.CHASED: {},
    K.REMINDED: {"reminder": "the reminder kind", "level": "always 0"},
    K.CONSULTED: {
        "meeting": "id of the four-party meeting",
        "on_time": "when it settled the case: resolved before the deadline, else null",
        "due_at": "when it settled the case: the deadline, else null",
        "handler": "when it settled the case: the handler, else null",
        "unit": "when it settled the case: the leading unit, else null",
    },
    K.REQUEST_MERGED: {"request": "id of the duplicate request that joined"},
    K.NOTE: {},
    K.PHOTO: {
        "photo": "id of the CasePhoto",
        "stage": "when it was taken: before (处置前), after (处置后) or other (PhotoStage)",
    },
    K.TRANSFERRED: {
        "reason": "why it was transferred (转办)",
        "from_unit": "id of the unit that held it, or null",
        "unit": "id of the receiving unit",
        "handler": "id of the named handler there, or null",
        "sign_due_at": "new sign-for deadline, ISO 8601",
        "due_at": "new resolve deadline, ISO 8601",
    },
    K.SENT_UP: {
        "reason": "why it was sent up (兜底)",
        "from_unit": "id of the unit that held it, or null",
        "unit": "id of the desk that backstops it",
        "sign_due_at": "new sign-for deadline, ISO 8601",
        "due_at": "new resolve deadline, ISO 8601",
    },
    K.CO_REPORTED: {"unit": "id of the co-handling unit that reported its part"},
    K.EXTENSION_REQUESTED: {
        "extension": "id of the Extension",
        "due_at": "the deadline asked for, ISO 8601",
        "old_due_at": "the deadline before, ISO 8601",
    },
    K.EXTENSION_DECIDED: {
        "extension": "id of the Extension",
        "approved": "true when the deadline moved",
        "due_at": "the deadline now in force, ISO 8601",
        "old_due_at": "the deadline before, ISO 8601",
        "unit": "id of the unit that asked (counts toward its extensions)",
    },
    K.PARKED: {"review_on": "the date to review the case, ISO 8601"},
    K.UNPARKED: {"due_at": "the resolve deadline after it came back, ISO 8601, or null"},
}
