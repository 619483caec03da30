"""The registry of what a person can do to a case: read by the case page and the API alike.

Each :class:`Action` names its service (through ``run``), its input (one DRF serializer, which
the page renders as a form too), its label, and when it is on offer. Who may take it and from
which states is ``casework.workflow``'s table; whether this person is such a party is
``casework.policies``'. Adding an action is one entry here plus one service; the page can never
offer what the API refuses, because both ask :func:`available_actions` and both call the same
``run``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
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
from casework.models import Case
from casework.policies import parties
from casework.services.cases import (
    extensions_used,
    max_extensions,
    open_parts,
    pending_extension,
)

# --- The registry -----------------------------------------------------------------------------


def _always(case: Case, user) -> bool:
    return True


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    input: type[ActionInput]
    #: ``run(case, user, data, version)`` calls the service with the validated input.
    run: Callable[[Case, Any, dict, int | None], Any]
    #: Said on the page after it succeeded.
    done: Any = ""
    #: On offer only when this holds too (e.g. an extension is waiting for a decision).
    ready: Callable[[Case, Any], bool] = _always
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


def _may_apply_extension(case: Case, user) -> bool:
    return (
        case.due_at is not None
        and case.due_at > timezone.now()
        and pending_extension(case) is None
        and extensions_used(case) < max_extensions()
    )


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
            ready=lambda case, user: bool(open_parts(case, user)),
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
            ready=_may_apply_extension,
        ),
        Action(
            "extension_decide",
            _("Decide on the extension"),
            ExtensionDecideInput,
            lambda c, u, v, ver: services.extension_decide(
                case=c, actor=u, approve=v["approve"], note=v.get("note", ""), version=ver
            ),
            done=_("Extension decided."),
            ready=lambda case, user: pending_extension(case) is not None,
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
                case=c, actor=u, upload=v["image"], caption=v.get("caption", "")
            ),
            done=_("Photo added."),
            multipart=True,
        ),
    ]
}


def available_actions(user, case: Case) -> list[str]:
    """The actions ``user`` may take on ``case`` now: by state, by party, and ready.

    Reads only what ``case_list`` prefetches, so a list of cases costs no query per row.
    """
    mine = parties(user, case)
    return [
        name
        for name, action in ACTIONS.items()
        if case.state in action.rule.sources
        and mine & action.rule.parties
        and action.ready(case, user)
    ]
