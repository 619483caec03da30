"""The installable web app: its manifest, icons, the service worker that keeps the field pages
for offline use, the page shown offline for a page never kept, and the outbox page.

The service worker is served from the site's root (``/sw.js``) so its scope covers every page.
Its cache name carries a version made from its own text and the files it keeps, so a new
release replaces the old caches when it activates.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from casework.models import CaseState

#: The static files every field page needs, kept when the service worker installs.
PRECACHE = [
    "css/minqing.css",
    "css/offline.css",
    "css/forms.css",
    "vendor/htmx/htmx.min.js",
    "js/minqing.js",
    "js/outbox.js",
    "js/offline.js",
    "js/picker.js",
    "js/menu.js",
    "requests_app/intake.js",
    "requests_app/requests.css",
    "dispatch/suggest.js",
    "dispatch/suggest.css",
    "icons/icon-192.png",
    "icons/favicon-32.png",
]
BRAND_RED = "#c62828"
ICONS = settings.BASE_DIR / "static" / "icons"


@cache
def _static_digest() -> str:
    """A digest of the precached files' contents (kept for the process; a deploy restarts it)."""
    digest = hashlib.sha256()
    for path in PRECACHE:
        found = finders.find(path)
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


@require_GET
def service_worker(request):
    """The one service worker of the site, for every field page (see templates/sw.js)."""
    context = {
        "precache": [static(path) for path in PRECACHE],
        "version": "VERSION",
        "keep_hours": int(settings.MINQING_OFFLINE_KEEP_HOURS),
    }
    draft = render_to_string("sw.js", context, request=request)
    # While developing, the files change under a running server: read them each time.
    files = _static_digest.__wrapped__() if settings.DEBUG else _static_digest()
    version = hashlib.sha256((draft + files).encode()).hexdigest()[:12]
    body = draft.replace('"VERSION"', json.dumps(version), 1)
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@cache_control(max_age=86400, public=True)
def manifest(request):
    """The web app manifest: installed, the site opens on the worker's home, full screen."""
    icon = lambda name, size, purpose="any": {  # noqa: E731
        "src": static(f"icons/{name}"),
        "sizes": f"{size}x{size}",
        "type": "image/png",
        "purpose": purpose,
    }
    body = {
        "name": "民情 Minqing",
        "short_name": "民情",
        "description": "民情：居民诉求收集、办理、反馈 · Residents' requests, intake to feedback",
        "lang": "zh-CN",
        "start_url": reverse("home") + "?source=app",
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": BRAND_RED,
        "background_color": "#ffffff",
        "icons": [
            icon("icon-192.png", 192),
            icon("icon-512.png", 512),
            icon("maskable-512.png", 512, "maskable"),
        ],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    path = ICONS / "favicon.ico"
    if not path.exists():  # pragma: no cover - the icons are in the repository
        raise Http404
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


@require_GET
@cache_control(max_age=3600, public=True)
def offline(request):
    """Shown by the service worker for a page never kept on this device. The same for everyone
    (it is cached with the static files): no user, both languages."""
    return render(request, "offline.html")


@never_cache
@login_required
def outbox(request):
    """What waits on this device to be sent: drawn by static/js/offline.js from IndexedDB."""
    states = {value: str(label) for value, label in CaseState.choices}
    return render(request, "outbox.html", {"case_states": states})
