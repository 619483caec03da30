"""Retention (PIPL art. 19, 47): residents' personal data is kept only while it is needed.

A resident is needed while any of their requests is still open or any case opened for them is
still being worked, and for ``MINQING_RETENTION_YEARS`` after the last was settled (a reopened
complaint, an appeal, an inspection). After that the nightly job anonymises them: the person
goes, the record of what was asked, where, when and how it ended stays, so every count, rate,
tally and score reads the same before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from casework.models.cases import TERMINAL_STATES
from casework.services.retention import cases_scrub_personal
from casework.text import scrub_personal
from requests_app.models import Request, RequestStatus, Resident, RetentionRun

#: What an anonymised resident's name reads as (stored data, not an interface string).
ANONYMISED_NAME = "已匿名"
#: The request fields staff type about the resident, scrubbed of phone and ID numbers.
REQUEST_TEXT_FIELDS = ("description", "answer", "reject_reason")


@dataclass(frozen=True)
class RetentionResult:
    cutoff: datetime
    residents: int = 0
    requests: int = 0
    cases: int = 0
    batches: int = 0


def retention_cutoff(*, now: datetime, years: int) -> datetime:
    """The same moment ``years`` calendar years before ``now`` (29 February becomes the 28th)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def residents_due_for_anonymising(*, cutoff: datetime):
    """Residents not yet anonymised, recorded before ``cutoff``, with nothing still pending.

    Pending: a request not decided, or decided at or after the cut-off; a case (of any of their
    requests) not closed or cancelled, or closed at or after the cut-off. A parked case (挂账)
    is pending, however old.
    """
    pending = Request.objects.filter(resident=OuterRef("pk")).filter(
        Q(status=RequestStatus.COLLECTED)
        | Q(decided_at__isnull=True)
        | Q(decided_at__gte=cutoff)
        | (
            Q(case__isnull=False)
            & (
                ~Q(case__state__in=TERMINAL_STATES)
                | Q(case__closed_at__isnull=True)
                | Q(case__closed_at__gte=cutoff)
            )
        )
    )
    return Resident.objects.filter(anonymised_at__isnull=True, created_at__lt=cutoff).exclude(
        Exists(pending)
    )


def residents_anonymise(
    *, now: datetime, years: int, batch_size: int = 200, dry_run: bool = False
) -> RetentionResult:
    """Anonymise the residents settled more than ``years`` years before ``now``.

    For each one: name becomes ``已匿名``, phone, its look-up hash and address are emptied,
    ``anonymised_at`` is set; on their requests the ID number (encrypted and masked) is emptied
    and phone and ID numbers in the free text are replaced; the closed cases of those requests
    are scrubbed the same way through ``casework.services.retention``. Statuses, places,
    categories, channels, dates and every event stay, so counts and rates do not move.

    Batched: each batch of ``batch_size`` residents is one transaction, re-checked under a row
    lock, and writes one ``RetentionRun``. Idempotent: an anonymised resident is never picked
    again. ``dry_run`` counts what would be done and writes nothing.
    """
    cutoff = retention_cutoff(now=now, years=years)
    due = residents_due_for_anonymising(cutoff=cutoff)
    if dry_run:
        requests = Request.objects.filter(resident__in=due)
        return RetentionResult(
            cutoff=cutoff,
            residents=due.count(),
            requests=requests.count(),
            cases=requests.filter(case__isnull=False).values("case").distinct().count(),
        )
    totals = {"residents": 0, "requests": 0, "cases": 0, "batches": 0}
    while True:
        run = _anonymise_batch(due=due, now=now, cutoff=cutoff, batch_size=batch_size)
        if run is None:
            break
        totals["residents"] += run.residents
        totals["requests"] += run.requests
        totals["cases"] += run.cases
        totals["batches"] += 1
    return RetentionResult(cutoff=cutoff, **totals)


@transaction.atomic
def _anonymise_batch(*, due, now: datetime, cutoff: datetime, batch_size: int):
    ids = list(due.order_by("pk").values_list("pk", flat=True)[:batch_size])
    if not ids:
        return None
    # Lock, then ask again: a request collected for one of them meanwhile keeps them.
    residents = list(
        Resident.objects.select_for_update().filter(pk__in=ids).order_by("pk").only("pk")
    )
    ids = list(due.filter(pk__in=[r.pk for r in residents]).values_list("pk", flat=True))
    if not ids:
        return None
    Resident.objects.filter(pk__in=ids).update(
        name=ANONYMISED_NAME, phone="", phone_hash="", address="", anonymised_at=now
    )
    requests = list(
        Request.objects.select_for_update()
        .filter(resident_id__in=ids)
        .order_by("pk")
        .only("pk", "case_id", "id_number_encrypted", "id_number_masked", *REQUEST_TEXT_FIELDS)
    )
    for request in requests:
        fields = []
        if request.id_number_encrypted or request.id_number_masked:
            request.id_number_encrypted = ""
            request.id_number_masked = ""
            fields += ["id_number_encrypted", "id_number_masked"]
        for name in REQUEST_TEXT_FIELDS:
            value = getattr(request, name)
            scrubbed = scrub_personal(value)
            if scrubbed != value:
                setattr(request, name, scrubbed)
                fields.append(name)
        if fields:
            request.save(update_fields=fields)
    case_ids = sorted({r.case_id for r in requests if r.case_id is not None})
    cases = cases_scrub_personal(case_ids=case_ids) if case_ids else 0
    return RetentionRun.objects.create(
        ran_at=now,
        cutoff=cutoff,
        residents=len(ids),
        requests=len(requests),
        cases=cases,
        resident_ids=sorted(ids),
    )
