"""The public page to report a problem (报事), phone first, no login: ``/report/``.

One form, in the order a resident thinks: where (search the compound, or the community), what
(the text; a category is optional and suggested as they type), photos (up to three), and a
phone number. It works without script: the place search is a button of the form, the category
a plain list, and open requests like this one are offered when the form is sent. With script
(``static/selfservice/door.js``) the same steps run as the resident types, through the public
API. Sending:

* when open requests nearby read alike and the resident has not said theirs is different, the
  form comes back offering them: "this is my problem too" (a ``voice`` button) or "mine is
  different" (``new_anyway``);
* otherwise ``selfservice.door.door_request_submit`` files it, or ``door_voice_add`` adds the
  voice, and the resident is sent to ``/report/done/`` with the tracking code (kept in the
  session, so the code never sits in a URL or an access log).

Refusals come back on the form (400), budgets as 429 with ``Retry-After``.
"""

from __future__ import annotations

import segno
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from casework.errors import DomainError, NotFound, Throttled
from casework.throttle import budget_retry_after, over_budget
from requests_app.services.requests import DESCRIPTION_MAX
from requests_app.views.track import tracking_url
from selfservice import door, door_budget
from selfservice.door_places import (
    door_duplicates,
    place_label,
    place_land,
    place_search,
    places_described,
)
from selfservice.door_suggest import pickable_categories

FIELDS = ("q", "place", "description", "category", "phone", "name")
SESSION_KEY = "selfservice_door_done"
#: Place searches without script, per client address per window (the API has its own rate).
SEARCH_LIMIT = 60
SEARCH_WINDOW = 600


def _public(response: HttpResponse) -> HttpResponse:
    # Not "no-referrer" as on /track/: a form posted from a page under it sends "Origin: null",
    # which the CSRF check refuses. The site's own policy (same-origin) sends no path elsewhere,
    # and these pages hold no code in their address.
    response["X-Robots-Tag"] = "noindex"
    return response


def _chosen_place(place_id: str) -> dict | None:
    """The place already picked, shown again when the form comes back."""
    try:
        chosen = place_land(place_id).chosen
    except DomainError:
        return None
    row = places_described([chosen])[0]
    return {**row, "label": place_label(row)}


def _offer(values: dict) -> list:
    """The open requests alike, for the place and text typed; none when either is missing."""
    try:
        landing = place_land(values["place"])
    except DomainError:
        return []
    return door_duplicates(chosen=landing.chosen, description=values["description"])


def _grouped_categories() -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for category in pickable_categories():
        group = category.parent.name if category.parent_id else ""
        groups.setdefault(group, []).append(category)
    return list(groups.items())


def _render(request, values: dict, *, status: int = 200, **extra) -> HttpResponse:
    places = [{**p, "label": place_label(p)} for p in extra.pop("places", [])]
    chosen = None
    if values.get("place") and not any(str(p["id"]) == values["place"] for p in places):
        chosen = _chosen_place(values["place"])
    context = {
        "values": values,
        "errors": extra.pop("errors", {}),
        "places": places,
        "chosen_place": chosen,
        "category_groups": _grouped_categories(),
        "challenge_required": door_budget.challenge_required(door_budget.address_hash(request)),
        "max_photos": door.DOOR_MAX_PHOTOS,
        "description_max": DESCRIPTION_MAX,
        **extra,
    }
    response = render(request, "selfservice/door.html", context, status=status)
    return _public(response)


def _too_many(request, values: dict, exc: Throttled) -> HttpResponse:
    response = _render(request, values, status=429, throttled=exc.message)
    response["Retry-After"] = str(int(exc.extra.get("retry_after") or 60))
    return response


def _done(request, obj, **facts) -> HttpResponse:
    request.session[SESSION_KEY] = {
        "code": obj.tracking_code,
        "category": obj.category.name,
        **facts,
    }
    return redirect("selfservice:door-done")


@never_cache
@require_http_methods(["GET", "POST"])
def door_page(request):
    """Report a problem: the form, the no-script place search, duplicates, filing, voices."""
    if request.method == "GET":
        return _render(request, {name: "" for name in FIELDS})
    values = {name: request.POST.get(name, "") for name in FIELDS}
    photos = request.FILES.getlist("photos")
    if request.POST.get("action") == "search":
        if over_budget(request, "door-search", limit=SEARCH_LIMIT, window=SEARCH_WINDOW):
            response = _render(request, values, status=429, throttled=True)
            response["Retry-After"] = str(
                budget_retry_after(request, "door-search", window=SEARCH_WINDOW)
            )
            return response
        return _render(request, values, places=place_search(values["q"]), searched=True)
    address = door_budget.address_hash(request)
    challenge = request.POST.get("altcha")
    try:
        if request.POST.get("voice"):
            voiced = door.door_voice_add(
                candidate=request.POST["voice"],
                phone=values["phone"],
                address=address,
                challenge=challenge,
            )
            return _done(request, voiced.request, voice=True, added=voiced.added)
        if not request.POST.get("new_anyway") and values["description"].strip():
            place_land(values["place"])  # an unknown place is refused before anything else
            candidates = _offer(values)
            if candidates:
                return _render(request, values, candidates=candidates, photos_dropped=bool(photos))
        filed = door.door_request_submit(
            place_id=values["place"],
            description=values["description"],
            category_id=values["category"] or None,
            phone=values["phone"],
            name=values["name"],
            photos=photos,
            address=address,
            challenge=challenge,
            track_base=request.build_absolute_uri(reverse("requests_app:track")),
        )
    except Throttled as exc:
        return _too_many(request, values, exc)
    except NotFound as exc:
        return _render(request, values, status=404, errors={"form": exc.message})
    except DomainError as exc:
        field = exc.field if exc.field in (*FIELDS, "photos", "altcha", "candidate") else None
        return _render(
            request,
            values,
            status=exc.status,
            errors={field or "form": exc.message},
            photos_dropped=bool(photos),
            # A refused voice (no phone yet): the offer stays on the page.
            candidates=_offer(values) if request.POST.get("voice") else None,
        )
    return _done(
        request,
        filed.request,
        voice=False,
        added=True,
        mobile=len(filed.request.resident.phone) == 11,
        phone=filed.request.resident.phone_masked,
    )


def _qr_svg(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")
    return mark_safe(svg)  # noqa: S308  (segno's own markup of a URL we built)


@never_cache
@require_GET
def door_done(request):
    """What was filed: the tracking code, large, with the tracking page's link and QR."""
    done = request.session.get(SESSION_KEY)
    if not done:
        return redirect("selfservice:door")
    url = tracking_url(request, done["code"])
    code = f"{done['code'][:5]}-{done['code'][5:]}"
    response = render(
        request,
        "selfservice/door_done.html",
        {"done": done, "code": code, "track_url": url, "qr": _qr_svg(url)},
    )
    return _public(response)
