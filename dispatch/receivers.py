"""Listening to requests_app's history: each collected request gets its suggestion recorded.

requests_app does not know dispatch; dispatch hears of a collection from the ``collected``
``RequestEvent`` that ``request_collect`` writes, whichever door the request came through. Not
business rules: saved categories and places only make the serving memory read them again.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from casework.models import Case, Category, OrgUnit
from dispatch.services.recording import request_collected
from dispatch.services.serving import categories_changed
from dispatch.services.units import tallies_forget
from requests_app.models import RequestEvent, RequestEventKind


def request_event_saved(sender, instance: RequestEvent, created: bool, raw=False, **kwargs):
    # No query here: the id is noted and the work waits for the commit.
    if created and not raw and instance.kind == RequestEventKind.COLLECTED:
        request_collected(instance.request_id)


def case_saved(sender, instance, created: bool, raw=False, **kwargs):
    # A new case changes which units led an area's cases; an assignment waits for the next
    # five minutes (the tallies' life).
    if created:
        tallies_forget()


def connect() -> None:
    post_save.connect(
        request_event_saved, sender=RequestEvent, dispatch_uid="dispatch.request_collected"
    )
    # What a process keeps to suggest fast is read again once categories or places change.
    for signal in (post_save, post_delete):
        signal.connect(categories_changed, sender=Category, dispatch_uid="dispatch.categories")
        signal.connect(tallies_forget, sender=OrgUnit, dispatch_uid="dispatch.places")
    post_save.connect(case_saved, sender=Case, dispatch_uid="dispatch.cases")
