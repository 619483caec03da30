"""Every page each role can reach fits a tablet and a phone, in both orientations.

For each role the test signs in, crawls the links from the home page (same origin, GET only, one
page per URL pattern, at most ``MAX_PAGES``), and at each size checks every page for:

* sideways overflow: ``document.scrollingElement.scrollWidth`` must not pass the window's width;
* touch targets: every visible link, button, input, select, textarea, summary and label that
  wraps a checkbox or radio is at least 44×44 CSS px (WCAG 2.5.5). Exempt, per WCAG 2.5.8's
  inline exception: a link inside running text (its nearest block is a ``<p>``, ``<dd>``,
  ``<figcaption>`` or ``<blockquote>``) and not styled as a button. Links in tables, navigation
  and lists are *not* exempt;
* names: every visible input, select and textarea has an accessible name (a ``<label>``,
  ``aria-label`` or ``aria-labelledby``);
* badges carry text, so colour is never the only signal.

Every offender is reported with its page, size, selector and text. A full-page screenshot of
each page at each size is saved under ``$MINQING_ARTEFACTS`` (default ``artefacts/screenshots``).
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from casework.models import Role

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = [(768, 1024), (1024, 768), (390, 844), (844, 390)]
MAX_PAGES = 40
MIN_TARGET = 44

#: Paths never followed: they sign out, switch language, download files, or are not the
#: site's own pages (Django's admin, the API and its docs).
SKIP_PATH = re.compile(
    r"^/(accounts/logout|i18n/|admin/|api/|static/|media/|healthz)|/sw\.js$|/photos/|/reveal/"
)
SKIP_QUERY = re.compile(r"(^|&)format=(xlsx|csv|pdf|json)")

MEASURE = """
(MIN) => {
  const visible = (el) => {
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') return false;
    const r = el.getBoundingClientRect();
    // Visually hidden helpers (.sr-only, a skip link until focused) are not targets.
    return !(r.width <= 2 && r.height <= 2);
  };
  const selector = (el) => {
    const parts = [];
    for (let node = el; node && node.nodeType === 1 && parts.length < 4;
         node = node.parentElement) {
      let part = node.tagName.toLowerCase();
      if (node.id) { parts.unshift(part + '#' + node.id); break; }
      const classes = [...node.classList].slice(0, 2);
      if (classes.length) part += '.' + classes.join('.');
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  const text = (el) => (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '')
    .trim().replace(/\\s+/g, ' ').slice(0, 40);
  const inlineText = (el) => el.tagName === 'A' && !el.classList.contains('button')
    && el.closest('p, dd, figcaption, blockquote') !== null;

  const small = [];
  const seen = new Set();
  const targets = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary');
  for (let el of targets) {
    // A checkbox or radio is tapped through its label: measure the label.
    if (el.matches('input[type=checkbox], input[type=radio]') && el.closest('label')) {
      el = el.closest('label');
    }
    // A file input laid over its button is measured as the button.
    if (el.matches('input[type=file]') && el.parentElement
        && getComputedStyle(el).opacity === '0') el = el.parentElement;
    if (seen.has(el) || !visible(el) || inlineText(el)) continue;
    seen.add(el);
    const r = el.getBoundingClientRect();
    if (r.width < MIN - 0.5 || r.height < MIN - 0.5) {
      small.push({what: 'small', w: Math.round(r.width), h: Math.round(r.height),
                  selector: selector(el), text: text(el)});
    }
  }
  const unnamed = [];
  for (const el of document.querySelectorAll(
      'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea')) {
    if (!visible(el) && !(el.type === 'file')) continue;
    const named = (el.labels && el.labels.length) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby');
    if (!named) unnamed.push({what: 'no name', selector: selector(el), text: el.name || ''});
  }
  const mute = [];
  for (const el of document.querySelectorAll('.badge, .count')) {
    if (visible(el) && !el.textContent.trim()) {
      mute.push({what: 'badge without text', selector: selector(el), text: ''});
    }
  }
  const root = document.scrollingElement;
  return {
    scrollWidth: root.scrollWidth, innerWidth: window.innerWidth,
    small, unnamed, mute,
  };
}
"""

LINKS = """
() => [...document.querySelectorAll('a[href]')]
  .filter((a) => !a.hasAttribute('download'))
  .map((a) => a.href)
"""


def _pattern(path: str) -> str | None:
    """The URL pattern a path belongs to, e.g. ``casework:case-detail``; ``None`` if none."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _crawl(page, origin: str) -> list[str]:
    """Links reachable from the home page: same origin, GET, one per URL pattern."""
    queue, seen_urls, pages, patterns = ["/"], set(), [], set()
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen_urls:
            continue
        seen_urls.add(url)
        parts = urlsplit(url)
        if SKIP_PATH.search(parts.path) or SKIP_QUERY.search(parts.query):
            continue
        pattern = _pattern(parts.path)
        if pattern is None or pattern in patterns:
            continue
        response = page.goto(origin + url)
        if response is None or response.status >= 400:
            continue
        if not (response.headers.get("content-type") or "").startswith("text/html"):
            continue
        landed = urlsplit(page.url)
        if landed.path != parts.path:  # redirected (e.g. to the login page): not this pattern
            continue
        patterns.add(pattern)
        pages.append(url)
        for href in page.evaluate(LINKS):
            link = urlsplit(href)
            if f"{link.scheme}://{link.netloc}" != origin:
                continue
            local = link.path + (f"?{link.query}" if link.query else "")
            if local not in seen_urls:
                queue.append(local)
    return pages


def _issue13_pages(world) -> list[str]:
    """Pages of issue 13 the crawl may not reach within ``MAX_PAGES``: appeals (list, one appeal,
    the form), the 双报到 rhythm, call-backs, the visit figures and coverage, the rankings, the
    history, honours and the honour roll. Each role gets those it may open."""
    from django.urls import reverse

    return [
        reverse("scoring:appeals"),
        reverse("scoring:appeal", args=[world.appeal.pk]),
        reverse("scoring:appeal-new", args=[world.quarter.code, world.appeal_entry.pk]),
        reverse("scoring:dual-cadence"),
        reverse("requests_app:callbacks"),
        reverse("requests_app:callback-samples"),
        reverse("requests_app:visit-figures"),
        reverse("requests_app:visit-coverage"),
        reverse("scoring:rankings"),
        reverse("scoring:my-history"),
        reverse("scoring:history", args=[world.users[Role.GRID_WORKER].pk]),
        reverse("scoring:honours"),
        reverse("scoring:honour-round", args=[world.honour_round.pk]),
        reverse("scoring:honour-roll", args=[world.honour_round.county_id, world.honour_year]),
    ]


def _visit_also(page, origin: str, urls: list[str], crawled: list[str]) -> list[str]:
    """Of ``urls``, those this role can open (an HTML page, not redirected) and whose pattern
    the crawl did not already cover."""
    covered = {_pattern(urlsplit(url).path) for url in crawled}
    found = []
    for url in urls:
        pattern = _pattern(url)
        if pattern in covered:
            continue
        response = page.goto(origin + url)
        if response is None or response.status >= 400:
            continue
        if not (response.headers.get("content-type") or "").startswith("text/html"):
            continue
        if urlsplit(page.url).path != url:
            continue
        covered.add(pattern)
        found.append(url)
    return found


def _slug(url: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", url).strip("-") or "home"


ROLES = [
    Role.ADMIN,
    Role.SUPERVISOR,
    Role.HANDLER,
    Role.GRID_WORKER,
    Role.MINQING_SECRETARY,
    Role.VOLUNTEER,
]


@pytest.mark.parametrize("role", ROLES, ids=[str(r) for r in ROLES])
def test_every_page_fits_every_size(role, world, browser, live_server, login_as, artefacts_dir):
    origin = live_server.url
    context = browser.new_context(viewport={"width": 768, "height": 1024}, locale="zh-CN")
    try:
        login_as(context, world.users[role])
        page = context.new_page()
        pages = _crawl(page, origin)
        pages += _visit_also(page, origin, _issue13_pages(world), pages)
        assert len(pages) >= 3, f"{role}: the crawl found only {pages}"
        problems: dict[str, list[str]] = {}  # what is wrong → where (page @size)
        shots = artefacts_dir / str(role)
        shutil.rmtree(shots, ignore_errors=True)  # no stale pictures from an earlier run
        shots.mkdir(parents=True)
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            for url in pages:
                page.goto(origin + url)
                where = f"{url} @{width}×{height}"
                page.screenshot(path=shots / f"{width}x{height}-{_slug(url)}.png", full_page=True)
                found = page.evaluate(MEASURE, MIN_TARGET)
                if found["scrollWidth"] > found["innerWidth"] + 1:
                    problems.setdefault(
                        f"scrolls sideways ({found['scrollWidth']} px in {found['innerWidth']})",
                        [],
                    ).append(where)
                for item in found["small"]:
                    what = f"target {item['w']}×{item['h']} {item['selector']} “{item['text']}”"
                    problems.setdefault(what, []).append(where)
                for item in found["unnamed"] + found["mute"]:
                    what = f"{item['what']}: {item['selector']} {item['text']}"
                    problems.setdefault(what, []).append(where)
        report = [
            f"{what}\n    on {', '.join(wheres[:6])}"
            + (f" and {len(wheres) - 6} more" if len(wheres) > 6 else "")
            for what, wheres in problems.items()
        ]
        assert not report, f"{role}: {len(report)} problems on {len(pages)} pages:\n" + (
            "\n".join(report)
        )
    finally:
        context.close()
