"""Points for work that ends at intake, read by scoring without either app importing the other
(see ``scoring/providers.py``): a request answered on the spot (现场解答) scores for the person
who gave the answer, once verified by the call-back sample (抽查回访); a failed call-back takes
points off.

An answer is verified when the sample of its worker's month is complete (every drawn call-back
checked, ``CallbackSample.completed_at``) and its own call-back, if drawn, did not fail. Until
then it is pending and scores nothing; a failed one never scores. ``withheld`` tells the "why
these points" page what is pending and what was voided.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from requests_app.models import Callback, CallbackOutcome, CallbackSample, RequestEvent
from requests_app.models.requests import RequestEventKind


def _answers(start, end):
    return RequestEvent.objects.filter(
        kind=RequestEventKind.ANSWERED_ON_SPOT, created_at__gte=start, created_at__lt=end
    )


def sample_complete():
    """The answer's worker has a complete sample for the month the answer was given in."""
    return Exists(
        CallbackSample.objects.filter(
            worker_id=OuterRef("actor_id"),
            starts_at__lte=OuterRef("created_at"),
            ends_at__gt=OuterRef("created_at"),
            completed_at__isnull=False,
        )
    )


def answer_voided():
    return Exists(
        Callback.objects.filter(request_id=OuterRef("request_id"), outcome=CallbackOutcome.FAILED)
    )


def answered_on_spot(start, end):
    """One row per verified answer given on the spot in [start, end): who answered, where."""
    return (
        _answers(start, end)
        .filter(sample_complete())
        .exclude(answer_voided())
        .annotate(score_person=F("actor_id"), score_unit=F("request__unit_id"))
    )


def callback_failed(start, end):
    """One row per failed call-back of an answer given in [start, end), against its worker."""
    return Callback.objects.filter(
        outcome=CallbackOutcome.FAILED, answered_at__gte=start, answered_at__lt=end
    ).annotate(score_person=F("sample__worker_id"), score_unit=F("request__unit_id"))


def describe(kind, ids):
    if kind == "callback_failed":
        rows = Callback.objects.filter(pk__in=ids).values_list(
            "pk", "request_id", "request__tracking_code", "note"
        )
    else:
        rows = RequestEvent.objects.filter(pk__in=ids).values_list(
            "pk", "request_id", "request__tracking_code", "request__description"
        )
    return {
        pk: (f"{code} {text[:40]}", reverse("requests_app:detail", args=[request_id]))
        for pk, request_id, code, text in rows
    }


def withheld(*, person_id, start, end) -> list[dict]:
    """The person's answers of [start, end) that do not score: pending a call-back (their
    month's sample not drawn or not fully checked) and voided (a failed call-back). Each item
    is ``{source, state, label, count, months, items: [(label, url)], url}``. One query."""
    failed_note = Callback.objects.filter(
        request_id=OuterRef("request_id"), outcome=CallbackOutcome.FAILED
    ).values("note")[:1]
    rows = list(
        _answers(start, end)
        .filter(actor_id=person_id)
        .annotate(complete=sample_complete(), voided=answer_voided(), note=Subquery(failed_note))
        .filter(Q(complete=False) | Q(voided=True))
        .order_by("created_at", "pk")
        .values_list("created_at", "voided", "request_id", "request__tracking_code", "note")
    )
    pending = [at for at, voided, *_rest in rows if not voided]
    voided = [(pk, code, note or "") for _at, is_void, pk, code, note in rows if is_void]
    found = []
    url = reverse("requests_app:callback-samples")
    if pending:
        found.append(
            {
                "source": "answered_on_spot",
                "state": "pending",
                "label": _("Answers on the spot waiting for their call-back sample"),
                "count": len(pending),
                "months": sorted({f"{timezone.localtime(at):%Y-%m}" for at in pending}),
                "items": [],
                "url": url,
            }
        )
    if voided:
        found.append(
            {
                "source": "answered_on_spot",
                "state": "voided",
                "label": _("Answers on the spot voided by a failed call-back"),
                "count": len(voided),
                "months": [],
                "items": [
                    (f"{code} {note[:40]}", reverse("requests_app:detail", args=[pk]))
                    for pk, code, note in voided
                ],
                "url": url,
            }
        )
    return found


SOURCES = {"answered_on_spot": answered_on_spot, "callback_failed": callback_failed}


def _percent(value) -> str:
    return "—" if value is None else f"{value}%"


def report_sections(*, unit, start, end) -> list[dict]:
    """The quarterly report's sections about intake, for ``unit``'s subtree in [start, end):
    the 民情书记's visits and the call-back verification, in the report's words. Each is
    ``{"title", "sentence", "tables": [{"header": [...], "rows": [[...]], "widths": [...]}]}``
    (widths relative); scoring lays them out (``scoring.report_sections``)."""
    from requests_app.selectors.callbacks import verification_figures
    from requests_app.selectors.visit_figures import visit_figures

    visits = visit_figures(unit=unit, start=start, end=end)
    counts = ["visits", "collected", "answered_on_spot", "assisted", "merged", "rejected"]
    count_header = [
        _("Visits"),
        _("Collected"),
        _("Answered on the spot"),
        _("Assisted (cases opened)"),
        _("Merged"),
        _("Rejected"),
        _("Pending"),
    ]
    checked = verification_figures(unit=unit, start=start, end=end)
    return [
        {
            "title": _("Minqing secretaries' visits (民情书记下访)"),
            "sentence": visits["summary"],
            "tables": [
                {
                    "header": [_("Minqing secretary"), *count_header],
                    "rows": [
                        [row["person"]["name"], *(row[key] for key in counts), row["pending"]]
                        for row in visits["secretaries"]
                    ],
                    "widths": [3, *[1.4] * 7],
                },
            ],
        },
        {
            "title": _("Call-back verification (抽查回访)"),
            "sentence": _(
                "%(answers)d answers given on the spot: %(sampled)d drawn for a call-back, "
                "%(confirmed)d confirmed, %(failed)d failed, %(unchecked)d not yet called; "
                "%(verified)d answers score, %(pending)d wait for their sample, %(voided)d "
                "were voided."
            )
            % checked,
            "tables": [
                {
                    "header": [_("Flagged for review"), _("Month"), _("Share"), _("Median")],
                    "rows": [
                        [
                            row["name"],
                            row["month"],
                            _percent(row["share"]),
                            _percent(row["median"]),
                        ]
                        for row in checked["flagged"]
                    ],
                    "widths": [3, 1.5, 1.5, 1.5],
                }
            ]
            if checked["flagged"]
            else [],
        },
    ]
