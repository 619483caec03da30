"""The registry of what a person can do to a case: read by the case page and the API alike.

Each :class:`Action` names its service (through ``run``), its input (one DRF serializer, which
the page renders as a form too), its label, and when it is on offer. Who may take it and from
which states is ``casework.workflow``'s table; whether this person is such a party is
``casework.policies``'. Adding an action is one entry here plus one service; the page can never
offer what the API refuses, because both ask :func:`action_offer` and both call the same
``run``.

Only what will succeed is offered: an action the state and the person allow, but that the
service would refuse for a reason the viewer can know now (a close before the resident's time
to answer has run out, a second extension while one waits…), is left out by its ``why_not``
and listed with that reason as *not available now*, on the page and in the API alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from casework import services, workflow
from casework.actions.inputs import (
    ActionInput,
    AssignInput,
    CoReportInput,
    ExtensionDecideInput,
    ExtensionInput,
    FeedbackInput,
    NoteInput,
    ParkInput,
    PhotoInput,
    ReasonInput,
    ResultInput,
    SendUpInput,
    TextInput,
    TransferInput,
    UnparkInput,
)
from casework.models import Case, CaseState, Satisfaction
from casework.policies import parties
from casework.selectors.cases import desk_rows, desks_above, send_up_levels
from casework.services.cases import (
    extensions_used,
    feedback_wait,
    max_extensions,
    open_parts,
    pending_extension,
)
from casework.services.cases.notes import MAX_CASE_PHOTOS

S = CaseState

# --- The registry -----------------------------------------------------------------------------


def _always(case: Case, user, now: datetime) -> str | None:
    return None


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    input: type[ActionInput]
    #: ``run(case, user, data, version)`` calls the service with the validated input.
    run: Callable[[Case, Any, dict, int | None], Any]
    #: Said on the page after it succeeded.
    done: Any = ""
    #: ``why_not(case, user, now)``: ``None`` when the action may be taken now, else why not
    #: (e.g. no extension waits for a decision). Reads only what ``case_list`` prefetches.
    why_not: Callable[[Case, Any, datetime], str | None] = _always
    #: States before the action's own in which its parties are told what it waits for, and that
    #: message (the resident's feedback waits for the result).
    early: tuple[frozenset[str], Any] = field(default=(frozenset(), ""))
    #: The API's path under ``/api/v1/cases/{id}/``.
    url_path: str = ""
    #: The input carries a file.
    multipart: bool = False

    @property
    def rule(self) -> workflow.Rule:
        return workflow.RULES[self.name]

    @property
    def path(self) -> str:
        return self.url_path or self.name


def _assign(case, user, v, version):
    return services.case_assign(
        case=case,
        actor=user,
        handler=v.get("handler"),
        unit=v.get("unit"),
        co_handlers=v.get("co_handlers") or [],
        due_at=v.get("due_at"),
        version=version,
        note=v.get("note", ""),
    )


# --- Why an allowed action is not on offer now ---------------------------------------------
# Each mirrors a refusal of the action's service (casework/services/cases/), read from what the
# case page and the lists already hold; tests/casework/test_offers.py takes every action offered,
# as every role from every state, and checks that it succeeds.


def _extension_why_not(case: Case, user, now: datetime) -> str | None:
    if pending_extension(case) is not None:
        return gettext("An extension is already waiting for a decision.")
    if case.due_at is None or case.due_at <= now:
        return gettext("The deadline has passed: more time is applied for before it passes.")
    if extensions_used(case) >= max_extensions():
        return ngettext(
            "Your unit has used its %(n)d extension of this case's deadline.",
            "Your unit has used all %(n)d extensions of this case's deadline.",
            max_extensions(),
        ) % {"n": max_extensions()}
    return None


def _decide_why_not(case: Case, user, now: datetime) -> str | None:
    if pending_extension(case) is None:
        return gettext("No extension is waiting for a decision.")
    return None


def _co_report_why_not(case: Case, user, now: datetime) -> str | None:
    if not open_parts(case, user):
        return gettext("Your unit's part of this case is already reported.")
    return None


def close_waits(case: Case, now: datetime) -> timedelta | None:
    """How long until a supervisor may close ``case`` without the resident's feedback; ``None``
    once they may close it (after positive feedback, or the wait has run out)."""
    if case.satisfaction and case.satisfaction != Satisfaction.UNSATISFIED:
        return None
    wait = feedback_wait()
    if case.resolved_at is None:
        return wait
    left = case.resolved_at + wait - now
    return left if left > timedelta(0) else None


def _close_why_not(case: Case, user, now: datetime) -> str | None:
    left = close_waits(case, now)
    if left is None:
        return None
    days = feedback_wait().days
    more = max(1, math.ceil(left / timedelta(days=1)))
    return ngettext(
        "Without the resident's feedback a case is closed %(days)d days after its result "
        "(%(left)d more day).",
        "Without the resident's feedback a case is closed %(days)d days after its result "
        "(%(left)d more days).",
        more,
    ) % {"days": days, "left": more}


def _send_up_why_not(case: Case, user, now: datetime) -> str | None:
    # The desks are read once per request for every case shown (cached on the viewer).
    rows = getattr(user, _DESKS_ATTR, None)
    if rows is None:
        rows = desk_rows()
        if user is not None:
            setattr(user, _DESKS_ATTR, rows)
    if not send_up_levels(case, desks_above(case, rows)):
        return gettext("There is no service desk above to take the case.")
    return None


def _photo_why_not(case: Case, user, now: datetime) -> str | None:
    # Read only when the photos are already counted or loaded (the case page, the API's detail):
    # a list never pays for it, and the service still refuses the 21st.
    count = getattr(case, "photo_count", None)
    if count is None:
        loaded = getattr(case, "_prefetched_objects_cache", {}).get("photos")
        count = None if loaded is None else len(loaded)
    if count is not None and count >= MAX_CASE_PHOTOS:
        return gettext("At most %(n)d photos.") % {"n": MAX_CASE_PHOTOS}
    return None


_DESKS_ATTR = "_minqing_desk_rows"

_BEFORE_RESULT = frozenset({S.NEW, S.ASSIGNED, S.IN_PROGRESS, S.REOPENED})


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        Action("assign", _("Assign"), AssignInput, _assign, done=_("Assigned.")),
        Action(
            "accept",
            _("Sign for it"),
            NoteInput,
            lambda c, u, v, ver: services.case_accept(
                case=c, actor=u, version=ver, note=v.get("note", "")
            ),
            done=_("Signed for: the case is yours."),
        ),
        Action(
            "return",
            _("Return it"),
            ReasonInput,
            lambda c, u, v, ver: services.case_return(
                case=c, actor=u, reason=v["reason"], version=ver
            ),
            done=_("Returned to the supervisor."),
        ),
        Action(
            "co_report",
            _("Report your unit's part"),
            CoReportInput,
            lambda c, u, v, ver: services.co_handling_report(
                case=c, actor=u, opinion=v["opinion"], unit=v.get("unit"), version=ver
            ),
            done=_("Your unit's part is reported."),
            why_not=_co_report_why_not,
            url_path="co-report",
        ),
        Action(
            "extension",
            _("Apply for more time"),
            ExtensionInput,
            lambda c, u, v, ver: services.extension_apply(
                case=c, actor=u, due_at=v["due_at"], reason=v["reason"], version=ver
            ),
            done=_("Applied for an extension; a supervisor decides."),
            why_not=_extension_why_not,
        ),
        Action(
            "extension_decide",
            _("Decide on the extension"),
            ExtensionDecideInput,
            lambda c, u, v, ver: services.extension_decide(
                case=c, actor=u, approve=v["approve"], note=v.get("note", ""), version=ver
            ),
            done=_("Extension decided."),
            why_not=_decide_why_not,
            url_path="extension/decide",
        ),
        Action(
            "resolve",
            _("Report the result"),
            ResultInput,
            lambda c, u, v, ver: services.case_resolve(
                case=c, actor=u, result=v["result"], version=ver
            ),
            done=_("Result reported; the resident's feedback comes next."),
            early=(frozenset({S.ASSIGNED}), _("Sign for the case first.")),
        ),
        Action(
            "feedback",
            _("Record the resident's feedback"),
            FeedbackInput,
            lambda c, u, v, ver: services.feedback_record(
                case=c,
                actor=u,
                solved=v["solved"],
                satisfaction=v["satisfaction"],
                note=v.get("note", ""),
                version=ver,
            ),
            done=_("Feedback recorded."),
            early=(_BEFORE_RESULT, _("The resident is asked once the result is reported.")),
        ),
        Action(
            "reopen",
            _("Reopen for redo"),
            ReasonInput,
            lambda c, u, v, ver: services.case_reopen(
                case=c, actor=u, reason=v["reason"], version=ver
            ),
            done=_("Reopened for redo."),
        ),
        Action(
            "close",
            _("Close"),
            NoteInput,
            lambda c, u, v, ver: services.case_close(
                case=c, actor=u, note=v.get("note", ""), version=ver
            ),
            done=_("Closed."),
            why_not=_close_why_not,
        ),
        Action(
            "transfer",
            _("Transfer to another unit (转办)"),
            TransferInput,
            lambda c, u, v, ver: services.case_transfer(
                case=c,
                actor=u,
                unit=v["unit"],
                handler=v.get("handler"),
                due_at=v.get("due_at"),
                reason=v["reason"],
                version=ver,
            ),
            done=_("Transferred."),
        ),
        Action(
            "send_up",
            _("Send up to a desk (兜底)"),
            SendUpInput,
            lambda c, u, v, ver: services.case_send_up(
                case=c, actor=u, reason=v["reason"], level=v.get("level"), version=ver
            ),
            done=_("Sent up to the desk."),
            url_path="send-up",
            why_not=_send_up_why_not,
        ),
        Action(
            "park",
            _("Park it (挂账)"),
            ParkInput,
            lambda c, u, v, ver: services.case_park(
                case=c, actor=u, plan=v["plan"], review_on=v["review_on"], version=ver
            ),
            done=_("Parked; its supervisors are reminded on the review date."),
        ),
        Action(
            "unpark",
            _("Take it off the parked list"),
            UnparkInput,
            lambda c, u, v, ver: services.case_unpark(
                case=c, actor=u, note=v.get("note", ""), due_at=v.get("due_at"), version=ver
            ),
            done=_("Taken off the parked list; handling resumes."),
        ),
        Action(
            "cancel",
            _("Cancel the case"),
            ReasonInput,
            lambda c, u, v, ver: services.case_cancel(
                case=c, actor=u, reason=v["reason"], version=ver
            ),
            done=_("Cancelled."),
        ),
        Action(
            "chase",
            _("Chase the handler"),
            NoteInput,
            lambda c, u, v, ver: services.case_chase(case=c, actor=u, note=v.get("note", "")),
            done=_("Chased."),
        ),
        Action(
            "note",
            _("Add a note"),
            TextInput,
            lambda c, u, v, ver: services.case_note(case=c, actor=u, note=v["text"]),
            done=_("Note added."),
        ),
        Action(
            "photo",
            _("Add a photo"),
            PhotoInput,
            lambda c, u, v, ver: services.case_photo_add(
                case=c,
                actor=u,
                upload=v["image"],
                caption=v.get("caption", ""),
                stage=v.get("stage", "other"),
            ),
            done=_("Photo added."),
            multipart=True,
            why_not=_photo_why_not,
        ),
    ]
}


@dataclass(frozen=True)
class Unavailable:
    """An action this person could take on this case, but not now, and why."""

    action: str
    label: Any
    reason: str


@dataclass(frozen=True)
class Offer:
    #: The actions on offer, in the registry's order.
    available: list[str]
    #: The ones left out for a reason the viewer can know now.
    unavailable: list[Unavailable]


_OFFER_ATTR = "_minqing_offer"


def action_offer(user, case: Case, *, now: datetime | None = None) -> Offer:
    """What ``user`` may do to ``case`` now, and what they could but not now, with the reason.

    Allowed by state ∧ a party ∧ nothing in the case says no. Reads only what ``case_list``
    prefetches, so a list of cases costs no query per row; kept on the case object for the
    request (the API's ``actions`` and ``unavailable`` read it once).
    """
    key = (getattr(user, "pk", None), case.state, case.version)
    if now is None:
        cached = getattr(case, _OFFER_ATTR, None)
        if cached is not None and cached[0] == key:
            return cached[1]
    when = now or timezone.now()
    mine = parties(user, case)
    available: list[str] = []
    unavailable: list[Unavailable] = []
    for name, action in ACTIONS.items():
        if not mine & action.rule.parties:
            continue
        if case.state in action.rule.sources:
            reason = action.why_not(case, user, when)
            if reason is None:
                available.append(name)
            else:
                unavailable.append(Unavailable(name, action.label, str(reason)))
        elif case.state in action.early[0]:
            unavailable.append(Unavailable(name, action.label, str(action.early[1])))
    offer = Offer(available, unavailable)
    if now is None:
        setattr(case, _OFFER_ATTR, (key, offer))
    return offer


def available_actions(user, case: Case) -> list[str]:
    """The actions ``user`` may take on ``case`` now: by state, by party, and ready."""
    return action_offer(user, case).available
