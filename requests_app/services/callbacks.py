"""Call-back verification of on-the-spot answers (抽查回访): the monthly draw, the checks.

``callback_samples_draw`` draws, for a month that has ended, each worker's sample of the
answers they gave on the spot that month (``MINQING_CALLBACK_RATE`` percent, at least
``MINQING_CALLBACK_MIN``, all when fewer; ``MINQING_CALLBACK_RAISED_RATE`` for a worker whose
previous month had a failed call-back or whose on-the-spot share stands out from their town's).
Other apps' checks of a worker's self-reported work count as failed call-backs for that rule
(``register_failed_verifications``: selfservice's resident found right against the 回访 the
worker recorded). A worker's month is drawn once (``callback_sample_once``): drawing again
draws nothing new.

``callback_record`` records what the resident said, by a checker who is not the worker: a
supervisor or admin over the request's place, or a hotline call-back operator
(``Role.HOTLINE_OPERATOR``) there. The checked row is the record (who, when, outcome, note); it
is written once. When the last call-back of a sample is checked the sample is complete and the
month's answers score (``requests_app.scoring_sources``); a failed one voids its answer and
takes points off (``callback_failed``).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from casework.models import Membership, NotificationKind, OrgUnit, Role, UnitKind
from casework.selectors.scope import scope_for
from casework.services.notifications import notify
from casework.text import clean_text
from casework.workflow import SUPERVISORS
from requests_app import callbacks_calc as calc
from requests_app.models import (
    Callback,
    CallbackOutcome,
    CallbackSample,
    PersonalField,
    Request,
    RequestEvent,
    RequestEventKind,
    RequestStatus,
)
from requests_app.services import personal

#: Who may call a resident back and record the outcome, over the request's place.
CHECKER_ROLES = (Role.SUPERVISOR, Role.ADMIN, Role.HOTLINE_OPERATOR)
#: Who may draw a month's samples by hand (the schedule draws without anyone).
DRAWER_ROLES = SUPERVISORS
NOTE_MAX = 500

#: Other apps' failed verifications of a worker's own record, registered in their
#: ``AppConfig.ready()``: ``source(*, worker_ids, start, end) -> set of worker ids`` who failed
#: one about work of ``[start, end)``. requests_app never imports them.
_failed_elsewhere: list = []


def register_failed_verifications(source) -> None:
    if source not in _failed_elsewhere:
        _failed_elsewhere.append(source)


@dataclass(frozen=True)
class Settings:
    rate: int
    minimum: int
    raised_rate: int
    outlier_points: int
    min_volume: int


def callback_settings() -> Settings:
    """The sampling settings, read when used (never at import)."""
    return Settings(
        rate=settings.MINQING_CALLBACK_RATE,
        minimum=settings.MINQING_CALLBACK_MIN,
        raised_rate=settings.MINQING_CALLBACK_RAISED_RATE,
        outlier_points=settings.MINQING_CALLBACK_OUTLIER_POINTS,
        min_volume=settings.MINQING_CALLBACK_MIN_VOLUME,
    )


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_after(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def month_before(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """``[start, end)`` of the local month (Asia/Shanghai) as aware datetimes."""
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(month_start(month), time()), zone)
    end = timezone.make_aware(datetime.combine(month_after(month_start(month)), time()), zone)
    return start, end


def month_parse(value: str, *, field: str = "month") -> date:
    """``2026-03`` → the first of March 2026; ``ValidationFailed`` naming ``field`` otherwise."""
    try:
        year, number = str(value or "").strip().split("-")
        return date(int(year), int(number), 1)
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("Write a month as year and month, e.g. 2026-03."), field=field, code="invalid"
        ) from None


# --- The draw --------------------------------------------------------------------------------


@dataclass
class DrawResult:
    month: date
    drawn: list[CallbackSample] = field(default_factory=list)
    already: int = 0


def _common_path(paths: list[str]) -> str:
    first, last = min(paths), max(paths)
    step = OrgUnit.steplen
    n = 0
    while n + step <= min(len(first), len(last)) and first[: n + step] == last[: n + step]:
        n += step
    return first[:n]


def _town_of(path: str, towns: dict[str, int]) -> int | None:
    step = OrgUnit.steplen
    for end in range(step, len(path) + 1, step):
        if path[:end] in towns:
            return towns[path[:end]]
    return None


def _shares(start: datetime, end: datetime) -> dict[int, tuple[int, object, int]]:
    """Each collector's month: ``worker → (town id, on-the-spot share, collected)``."""
    towns = dict(OrgUnit.objects.filter(kind=UnitKind.TOWN).values_list("path", "pk"))
    rows = (
        Request.objects.filter(collected_at__gte=start, collected_at__lt=end)
        .order_by()
        .values("collected_by_id", "unit__path")
        .annotate(
            n=Count("pk"), answered=Count("pk", filter=Q(status=RequestStatus.ANSWERED_ON_SPOT))
        )
    )
    collected: dict[int, int] = defaultdict(int)
    answered: dict[int, int] = defaultdict(int)
    town_votes: dict[int, dict[int | None, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        worker = row["collected_by_id"]
        collected[worker] += row["n"]
        answered[worker] += row["answered"]
        town_votes[worker][_town_of(row["unit__path"], towns)] += row["n"]
    found = {}
    for worker, n in collected.items():
        votes = town_votes[worker]
        town = max(votes, key=lambda t: (votes[t], t is not None, t or 0))
        found[worker] = (town, calc.share(answered[worker], n), n)
    return found


def _checkers_over(paths: list[str]) -> set[int]:
    """The people who may check call-backs at any of ``paths`` (a role at the place or above)."""
    step = OrgUnit.steplen
    ancestors = {p[:i] for p in paths for i in range(step, len(p) + 1, step)}
    if not ancestors:
        return set()
    return set(
        Membership.objects.filter(
            role__in=CHECKER_ROLES,
            unit__path__in=ancestors,
            unit__is_active=True,
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )


@transaction.atomic
def callback_samples_draw(
    *, month: date, actor=None, seed: int | None = None, now: datetime | None = None
) -> DrawResult:
    """Draw every worker's call-back sample of ``month`` (which must have ended).

    ``actor`` ``None`` is the schedule, which draws for everyone; a person must be a supervisor
    or admin, and draws for the workers with answers in their scope (each worker's sample is
    drawn from all their answers of the month, wherever given). A worker whose month is drawn
    already is left as drawn (``already``). ``seed`` (for a reproduction) is used for every
    sample; by default each sample gets its own from ``secrets``. The checkers over each
    sample's place are told in their inbox.
    """
    now = now or timezone.now()
    month = month_start(month)
    start, end = month_bounds(month)
    if end > now:
        raise ValidationFailed(
            _("A month is drawn once it has ended."), field="month", code="month_not_ended"
        )
    answers = RequestEvent.objects.filter(
        kind=RequestEventKind.ANSWERED_ON_SPOT,
        created_at__gte=start,
        created_at__lt=end,
        request__status=RequestStatus.ANSWERED_ON_SPOT,
    )
    if actor is not None:
        scope = scope_for(actor)
        if not scope.has_role(*DRAWER_ROLES):
            raise NotPermitted(_("Only supervisors and administrators draw call-backs."))
        mine = answers.filter(scope.units_q("request__unit__")).values("actor_id")
        answers = answers.filter(actor_id__in=mine)
    rows = answers.order_by("actor_id", "request_id").values_list(
        "actor_id", "request_id", "created_at", "request__unit__path"
    )
    by_worker: dict[int, list[tuple[int, datetime, str]]] = defaultdict(list)
    for worker, request_id, at, path in rows:
        by_worker[worker].append((request_id, at, path))
    result = DrawResult(month=month)
    if not by_worker:
        return result
    done = set(
        CallbackSample.objects.filter(month=month, worker_id__in=by_worker).values_list(
            "worker_id", flat=True
        )
    )
    result.already = len(done)
    todo = {w: answers for w, answers in by_worker.items() if w not in done}
    if not todo:
        return result
    terms = callback_settings()
    shares = _shares(start, end)
    flagged, medians = calc.outliers(
        {w: shares[w] for w in shares},
        points=terms.outlier_points,
        min_volume=terms.min_volume,
    )
    failed_before = set(
        CallbackSample.objects.filter(
            month=month_before(month), worker_id__in=todo, failed_count__gt=0
        ).values_list("worker_id", flat=True)
    )
    before_start, before_end = month_bounds(month_before(month))
    for source in _failed_elsewhere:
        failed_before |= set(source(worker_ids=set(todo), start=before_start, end=before_end))
    common = {w: _common_path([p for _, _, p in found]) for w, found in todo.items()}
    units = dict(OrgUnit.objects.filter(path__in=set(common.values())).values_list("path", "pk"))
    tell: list[tuple[set[int], str]] = []
    for worker, found in sorted(todo.items()):
        raised_for_failure = worker in failed_before
        is_flagged = worker in flagged
        raised = raised_for_failure or is_flagged
        rate = terms.raised_rate if raised else terms.rate
        population = sorted(request_id for request_id, _, _ in found)
        size = calc.sample_size(len(population), rate=rate, minimum=terms.minimum)
        sample_seed = secrets.randbits(48) if seed is None else int(seed)
        chosen = set(calc.draw(population, size, sample_seed))
        town, share, collected = shares.get(worker, (None, None, 0))
        sample = CallbackSample(
            worker_id=worker,
            unit_id=units[common[worker]],
            month=month,
            starts_at=start,
            ends_at=end,
            seed=sample_seed,
            population=population,
            population_size=len(population),
            size=size,
            rate=rate,
            raised=raised,
            raised_for_failure=raised_for_failure,
            flagged=is_flagged,
            collected=collected,
            answered_share=share,
            peer_median=medians.get(town),
            drawn_by=actor,
            drawn_at=now,
        )
        try:
            with transaction.atomic():
                sample.save(force_insert=True)
        except IntegrityError:
            # Drawn at the same moment by another run (the schedule and a supervisor).
            result.already += 1
            continue
        Callback.objects.bulk_create(
            Callback(sample=sample, request_id=request_id, answered_at=at)
            for request_id, at, _path in found
            if request_id in chosen
        )
        result.drawn.append(sample)
        tell.append((_checkers_over([common[worker]]) - {worker}, common[worker]))
    recipients: set[int] = set()
    for people, _path in tell:
        recipients |= people
    if recipients:
        notify(
            user_ids=recipients,
            kind=NotificationKind.CALLBACKS_DRAWN,
            text=_("Call-backs of %(month)s were drawn: %(n)d answers to check.")
            % {"month": f"{month:%Y-%m}", "n": sum(s.size for s in result.drawn)},
            now=now,
        )
    return result


# --- The checks ------------------------------------------------------------------------------


def check_may_check(actor, callback: Callback) -> None:
    """The actor may record this call-back: out of their checking scope is a 404, the worker
    themself a 403."""
    scope = scope_for(actor)
    if not scope.has_role(*CHECKER_ROLES, path=callback.request.unit.path):
        raise NotFound(_("No such call-back."))
    if callback.sample.worker_id == actor.pk:
        raise NotPermitted(
            _("You may not check your own answers; someone else calls the resident back."),
            code="own_answer",
        )


def _lock(callback: Callback | int) -> Callback:
    pk = callback.pk if isinstance(callback, Callback) else callback
    try:
        return (
            Callback.objects.select_for_update(of=("self",))
            .select_related("sample", "request", "request__unit", "request__resident")
            .get(pk=pk)
        )
    except (Callback.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("No such call-back.")) from None


@transaction.atomic
def callback_record(
    *, callback: Callback | int, actor, outcome: str, note: str = "", now: datetime | None = None
) -> Callback:
    """Record the resident's answer to a call-back: ``confirmed`` or ``failed`` (with a note).

    Preconditions: the actor may check it (``check_may_check``), it is still pending
    (``Conflict`` otherwise). Side effects: the call-back row is written once with who and
    when; its sample's failed count moves, and the sample is complete when none is pending
    (its month's answers then score). Nothing is written when refused.
    """
    now = now or timezone.now()
    callback = _lock(callback)
    check_may_check(actor, callback)
    if callback.outcome != CallbackOutcome.PENDING:
        raise Conflict(
            _("This call-back was already recorded (%(outcome)s).")
            % {"outcome": CallbackOutcome(callback.outcome).label},
            code="invalid_state",
            extra={"outcome": callback.outcome},
        )
    if outcome not in (CallbackOutcome.CONFIRMED, CallbackOutcome.FAILED):
        raise ValidationFailed(
            _("Choose confirmed or failed."), field="outcome", code="invalid_choice"
        )
    note = clean_text(
        note,
        field="note",
        limit=NOTE_MAX,
        required=outcome == CallbackOutcome.FAILED,
        label=_("What the resident said"),
    )
    callback.outcome = outcome
    callback.note = note
    callback.checked_by = actor
    callback.checked_at = now
    callback.save(update_fields=["outcome", "note", "checked_by", "checked_at"])
    sample = CallbackSample.objects.select_for_update().get(pk=callback.sample_id)
    changed = []
    if outcome == CallbackOutcome.FAILED:
        sample.failed_count += 1
        changed.append("failed_count")
    if not sample.callbacks.filter(outcome=CallbackOutcome.PENDING).exists():
        sample.completed_at = now
        changed.append("completed_at")
    if changed:
        sample.save(update_fields=changed)
    return callback


@transaction.atomic
def callback_phone_reveal(*, actor, callback: Callback | int, reason: str = "") -> str:
    """The resident's phone in full, for the call-back: the same throttle and record as every
    reveal (``requests_app.services.personal``), allowed to whoever may check this call-back
    (a hotline operator sees no other number)."""
    callback = _lock(callback)
    check_may_check(actor, callback)
    reason = personal._clean_reason(reason)
    resident = callback.request.resident
    if resident is None or not resident.phone:
        raise ValidationFailed(_("No phone is recorded."), field="phone", code="empty")
    personal._record(
        actor, PersonalField.PHONE, resident=resident, request=callback.request, reason=reason
    )
    return resident.phone
