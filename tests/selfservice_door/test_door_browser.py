"""The door in a real browser, on a phone and a tablet: it fits, every control is a big enough
target with a name, the script's steps work under the site's CSP, and the vendored ALTCHA widget
solves the server's challenge (its worker loads from our own static files)."""

import pytest

from requests_app.models import Channel, Request
from selfservice.models import SpentChallenge

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = [(390, 844), (768, 1024)]

MEASURE = """
() => {
  const visible = (el) => {
    if (!el.getClientRects().length) return false;
    const r = el.getBoundingClientRect();
    return getComputedStyle(el).visibility !== 'hidden' && !(r.width <= 2 && r.height <= 2);
  };
  const out = {overflow: document.scrollingElement.scrollWidth - window.innerWidth,
               small: [], unnamed: []};
  const targets = 'main a, main button, main input, main select, main textarea, '
    + 'main label:has(input[type=radio])';
  for (const el of document.querySelectorAll(targets)) {
    if (!visible(el) || el.type === 'radio' || el.type === 'hidden') continue;
    if (el.tagName === 'A' && el.closest('p') && !el.classList.contains('button')) continue;
    const r = el.getBoundingClientRect();
    if (r.height < 44 || r.width < 44) out.small.push(el.outerHTML.slice(0, 80));
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)
        && !(el.labels && el.labels.length) && !el.getAttribute('aria-label')) {
      out.unnamed.push(el.outerHTML.slice(0, 80));
    }
  }
  return out;
}
"""


def _problems(page):
    found = []
    page.on("console", lambda m: found.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: found.append(str(e)))
    return found


@pytest.mark.parametrize("size", SIZES, ids=["phone", "tablet"])
def test_a_resident_reports_with_the_script_on_a_phone_and_a_tablet(
    request, live_server, tree, kinds, artefacts_dir, size
):
    page = request.getfixturevalue("page")
    page.set_viewport_size({"width": size[0], "height": size[1]})
    problems = _problems(page)
    page.goto(live_server.url + "/report/")
    page.fill("#door-q", "ygxq")
    page.wait_for_selector("[data-places] input[type=radio]")
    page.check(f"[data-places] input[value='{tree.compound_a1.pk}']")
    page.fill("#door-description", "电梯故障，电梯停在五楼不动，老人下不了楼")
    # Suggested from the text; a tap picks it in the list.
    page.wait_for_selector(".door-chip")
    page.click(".door-chip >> nth=0")
    assert page.input_value("#door-category") == str(kinds.lift.pk)
    page.fill("#door-phone", "13812345678")
    measured = page.evaluate(MEASURE)
    assert measured["overflow"] <= 0, measured
    assert measured["small"] == [], measured
    assert measured["unnamed"] == [], measured
    page.screenshot(path=str(artefacts_dir / f"door-{size[0]}x{size[1]}.png"), full_page=True)
    page.click("[data-submit]")
    page.wait_for_selector(".door-code")
    filed = Request.objects.get()
    assert filed.channel == Channel.ONLINE and filed.category == kinds.lift
    assert page.inner_text(".door-code").strip() == filed.tracking_code_display
    measured = page.evaluate(MEASURE)
    assert measured["overflow"] <= 0 and measured["small"] == [], measured
    page.screenshot(path=str(artefacts_dir / f"door-done-{size[0]}x{size[1]}.png"), full_page=True)
    assert problems == []


def test_similar_requests_are_offered_as_the_resident_types_and_a_voice_is_added(
    request, live_server, tree, kinds, artefacts_dir
):
    page = request.getfixturevalue("page")
    page.set_viewport_size({"width": 390, "height": 844})
    problems = _problems(page)
    for phone in ("13812345678", "13900001111"):
        page.goto(live_server.url + "/report/")
        page.fill("#door-q", "阳光")
        page.wait_for_selector("[data-places] input[type=radio]")
        page.check(f"[data-places] input[value='{tree.compound_a1.pk}']")
        page.fill("#door-description", "3栋楼道灯坏了一个星期，晚上看不见路")
        page.fill("#door-phone", phone)
        if phone == "13812345678":
            page.click("[data-submit]")
            page.wait_for_selector(".door-code")
    page.wait_for_selector("[data-similar]:not([hidden]) button[name=voice]")
    page.screenshot(path=str(artefacts_dir / "door-similar-390x844.png"), full_page=True)
    measured = page.evaluate(MEASURE)
    assert measured["overflow"] <= 0 and measured["small"] == [], measured
    page.click("button[name=voice]")
    page.wait_for_selector(".door-code")
    first = Request.objects.get()
    assert page.inner_text(".door-code").strip() == first.tracking_code_display
    assert first.voices.count() == 1
    assert problems == []


def test_the_widget_solves_the_servers_challenge_under_the_csp(
    request, live_server, tree, kinds, settings, artefacts_dir
):
    settings.MINQING_DOOR_FREE_ATTEMPTS = 0
    settings.MINQING_DOOR_CHALLENGE_COST = 1000
    page = request.getfixturevalue("page")
    page.set_viewport_size({"width": 390, "height": 844})
    problems = _problems(page)
    page.goto(live_server.url + "/report/")
    page.wait_for_selector("altcha-widget")
    page.fill("#door-q", "阳光")
    page.wait_for_selector("[data-places] input[type=radio]")
    page.check(f"[data-places] input[value='{tree.compound_a1.pk}']")
    page.fill("#door-description", "小区门口的路灯不亮了")
    page.fill("#door-phone", "13812345678")
    page.wait_for_function(
        "() => document.querySelector('altcha-widget').getState() === 'verified'",
        timeout=60_000,
    )
    measured = page.evaluate(MEASURE)
    assert measured["overflow"] <= 0, measured
    page.screenshot(path=str(artefacts_dir / "door-check-390x844.png"), full_page=True)
    page.click("[data-submit]")
    page.wait_for_selector(".door-code")
    assert Request.objects.count() == 1 and SpentChallenge.objects.count() == 1
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
    assert problems == []


def test_without_script_the_form_still_files(request, live_server, tree, kinds, browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(live_server.url + "/report/")
    page.fill("#door-q", "锦绣")
    page.click("[data-search-button]")
    page.check(f"[data-places] input[value='{tree.compound_b1.pk}']")
    page.fill("#door-description", "垃圾桶满了三天没人清")
    page.fill("#door-phone", "13812345678")
    page.click("[data-submit]")
    page.wait_for_selector(".door-code")
    assert Request.objects.get().unit == tree.compound_b1
    context.close()
