"""Around the work, not transitions: notes, photos, chasing (催办). Any party may add history."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import events
from casework.errors import ValidationFailed
from casework.models import Case, CaseEvent, CasePhoto, PhotoStage
from casework.photos import clean_photo, photo_files_forget, photo_save
from casework.policies import authorise
from casework.services.cases._core import lock, tell, text

#: Photos one case may carry.
MAX_CASE_PHOTOS = 20


@transaction.atomic
def case_note(*, case: Case | int, actor, note: str) -> CaseEvent:
    """Add a note to the case's history (no change of state, no version bump).

    Any party to the case may: a supervisor, the lead handler, a co-handler, a collector.
    """
    case = lock(case, version=None)
    authorise(case, actor, "note")
    return events.note_added(case, actor=actor, note=text(note, field="text", required=True))


def case_photo_add(
    *, case: Case | int, actor, upload, caption: str = "", stage: str = PhotoStage.OTHER
) -> CasePhoto:
    """Add a photo (the site, the work done) to the case, decoded and re-encoded (no EXIF).

    ``stage`` says when it was taken, as 12345 practice asks: before the work (处置前), after it
    (处置后), or other; the photo's event records it. Any party to the case may. The file is
    written before the transaction and removed again if the transaction fails, so nothing is
    left half-written.
    """
    case_id = case if isinstance(case, int) else case.pk
    caption = text(caption, field="caption", limit=200)
    if stage not in PhotoStage.values:
        raise ValidationFailed(
            _("Choose before, after or other."), field="stage", code="invalid_choice"
        )
    clean = clean_photo(upload, field="image")
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = lock(case_id, version=None)
            authorise(locked, actor, "photo")
            if locked.photos.count() >= MAX_CASE_PHOTOS:
                raise ValidationFailed(
                    _("At most %(n)d photos.") % {"n": MAX_CASE_PHOTOS},
                    field="image",
                    code="too_many",
                )
            now = timezone.now()
            stored.append(photo_save(clean, folder="cases/photos", now=now))
            photo = CasePhoto.objects.create(
                case=locked,
                image=stored[0],
                width=clean.width,
                height=clean.height,
                size=len(clean.content),
                added_by=actor,
                added_at=now,
                caption=caption,
                stage=stage,
            )
            events.photo_added(
                locked, actor=actor, photo_id=photo.pk, caption=caption, stage=stage, at=now
            )
    except BaseException:
        photo_files_forget(stored)
        raise
    return photo


@transaction.atomic
def case_chase(*, case: Case | int, actor, note: str = "") -> CaseEvent:
    """A supervisor chases the handler (催办): an event on the case and a notification."""
    case = lock(case, version=None)
    authorise(case, actor, "chase")
    note = text(note, field="note", limit=300)
    event = events.case_chased(case, actor=actor, note=note)
    tell(case, "chased", "handlers", note)
    tell(case, "chased", "co_handlers", note)
    return event
