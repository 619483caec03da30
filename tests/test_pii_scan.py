"""Residents' phones and ID numbers are masked in every page, API answer, export, the PDF report
and every log line, by default.

Residents with real-looking phones and valid ID numbers ask for things, their requests become
cases that move along; then a supervisor and an administrator read every page and every API
answer the resolver knows (ids filled from ``tests/test_url_walk.py``'s walk), export every list
that exports, and read the quarter's PDF, while every log record is captured. No body, cell, page
of the PDF, email or log line may hold a full phone or ID number, theirs or any other.

Exempt: the reveal doors (``REVEAL``), which show one number in full on purpose, to the roles that
may, with a reason, throttled and recorded (``requests_app/services/personal.py``). The test asks
them too, to show that they need the reason and that what they show goes nowhere else (not into
the log, not into the next page).
"""

from __future__ import annotations

import io
import logging
import re
from contextlib import contextmanager, suppress
from functools import cached_property
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.urls import NoReverseMatch, get_resolver, reverse

from casework.services import category_create
from tests.requests_app.conftest import valid_id_number
from tests.test_url_walk import WALK, World, _walk

PHONES = ["13912345678", "15887654321", "18677778888", "17722223333"]
ID_NUMBERS = [valid_id_number("45092319850312456"), valid_id_number("45092320010728002")]

# Any full mainland mobile number or 18-character ID number, not only the residents'.
PHONE_RE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")
ID_RE = re.compile(
    r"(?<![0-9A-Za-z])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"[0-9]{3}[0-9Xx](?![0-9A-Za-z])"
)

# The doors that show a number in full, on purpose: POST only, a reason required, throttled and
# recorded. Their answers are not scanned; the log lines they write are.
REVEAL = {
    "requests_app:reveal",
    "requests_app:resident-reveal",
    "api:request-reveal",
    "api:resident-reveal",
}
# Not read here: the admin site (staff only, Django's model permissions; its Resident and
# Request pages show masked values, see requests_app/admin.py), logout and the language switch
# (no page of their own).
SKIP_PREFIXES = ("admin:",)
SKIP = {"logout", "set_language"}


def unmasked(text: str) -> list[str]:
    """Every full phone or ID number in ``text``: the residents', then any other."""
    found = [value for value in (*PHONES, *ID_NUMBERS) if value in text]
    found += PHONE_RE.findall(text) + ID_RE.findall(text)
    return sorted(set(found))


class PiiWorld(World):
    """``tests/test_url_walk.py``'s world, its request, case and visit those of residents with
    full phones and ID numbers."""

    @cached_property
    def needs_id(self):
        return category_create(
            code="welfare-subsistence",
            name="低保申请",
            deadline_class="complex",
            requires_id_number=True,
        )

    def collect(self, **fields):
        from requests_app.services import request_collect

        defaults = {
            "actor": self.people.grid_a1,
            "channel": "onsite",
            "category": self.category,
            "unit": self.tree.building_a1,
            "description": "楼道灯不亮，晚上回家看不见",
        }
        return request_collect(**{**defaults, **fields})

    def build(self):
        """Four residents, their requests, a visit, cases moved along, a computed quarter."""
        from casework import services
        from requests_app.services import (
            request_answer_on_spot,
            request_open_case,
            visit_create,
        )

        p, t = self.people, self.tree
        needs_id = self.needs_id
        self.visit_ = visit_create(actor=p.grid_a1, unit=t.grid_a1)
        first = self.collect(
            category=needs_id,
            description="申请低保，家中老人长期卧床",
            resident={"name": "王秀英", "phone": PHONES[0], "address": "阳光小区1栋302"},
            id_number=ID_NUMBERS[0],
            visit=self.visit_,
        )
        second = self.collect(
            unit=t.compound_a1,
            resident={"name": "李建国", "phone": PHONES[1], "address": "阳光小区3栋101"},
        )
        third = self.collect(
            category=needs_id,
            channel="hotline",
            description="咨询低保复核材料",
            resident={"name": "陈小梅", "phone": PHONES[2], "address": "阳光小区2栋502"},
            id_number=ID_NUMBERS[1],
        )
        fourth = self.collect(
            actor=p.grid_b1,
            unit=t.compound_b1,
            description="小区门口积水",
            resident={"name": "赵大勇", "phone": PHONES[3], "address": "锦绣小区5栋"},
        )
        # The same resident asks again: a known phone joins the record.
        self.collect(
            unit=t.grid_a1,
            description="路灯坏了",
            resident={"name": "王秀英", "phone": PHONES[0]},
        )
        request_answer_on_spot(request=second, actor=p.grid_a1, answer="已告知物业")
        case = request_open_case(request=first, actor=p.grid_a1)
        case = services.case_assign(case=case, actor=p.supervisor_a, unit=t.company)
        case = services.case_accept(case=case, actor=p.handler_company)
        services.case_note(case=case, actor=p.supervisor_a, note="已电话联系居民")
        other = request_open_case(request=third, actor=p.grid_a1)
        services.case_assign(case=other, actor=p.supervisor_a, unit=t.company)
        request_open_case(request=fourth, actor=p.grid_b1)
        self.case_ = case
        self.request_ = first
        self.season  # noqa: B018  (a computed, published quarter)

    @property
    def case(self):
        return self.case_

    @property
    def request(self):
        return self.request_

    @property
    def visit(self):
        return self.visit_


@pytest.fixture
def pii(tree, people, open_case, category, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = PiiWorld(tree, people, open_case, category)
    return world


@contextmanager
def every_log_line(caplog):
    """Every record of every logger at DEBUG, those that do not propagate to the root too."""
    caplog.set_level(logging.DEBUG)
    extra = []
    for name in ("django.request", "django.server", "django.security", "celery", "casework"):
        logger = logging.getLogger(name)
        if not logger.propagate:
            logger.addHandler(caplog.handler)
            extra.append(logger)
    saved = {}
    for name in list(logging.root.manager.loggerDict):
        logger = logging.getLogger(name)
        saved[name] = logger.level
        logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        for logger in extra:
            logger.removeHandler(caplog.handler)
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def _get_urls(world) -> list[tuple[str, str]]:
    """(name, url) for every GET the resolver knows, ids filled."""
    urls = []
    for name, entry in _walk(get_resolver()):
        if name in SKIP or name in REVEAL or name.startswith(SKIP_PREFIXES):
            continue
        pattern = entry.pattern
        has_parameter = bool(getattr(pattern, "converters", None) or pattern.regex.groupindex)
        if not has_parameter:
            with suppress(NoReverseMatch):
                urls.append((name, reverse(name)))
            continue
        if name in WALK:
            ask = WALK[name](world)
            url = reverse(name, kwargs=ask.kwargs)
            if ask.query:
                url = f"{url}?{urlencode(ask.query)}"
            urls.append((name, url))
        elif name == "api:category-detail":
            urls.append((name, reverse(name, kwargs={"pk": world.needs_id.pk})))
    # Lists in full: everyone's, every page size the lists allow.
    urls += [
        ("requests_app:list", reverse("requests_app:list") + "?all=1"),
        ("api:request-list", reverse("api:request-list") + "?page_size=100"),
        ("api:resident-list", reverse("api:resident-list") + "?page_size=100"),
        ("api:case-list", reverse("api:case-list") + "?page_size=100"),
    ]
    return urls


def _xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += [str(value) for value in row if value is not None]
    return "\n".join(cells)


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        return _pdf_text(response.content)
    if "spreadsheetml" in kind:
        return _xlsx_text(response.content)
    if kind.startswith("image/") or getattr(response, "streaming", False):
        return ""
    return response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("viewer", ["town_supervisor", "admin"])
def test_no_page_answer_export_pdf_or_log_line_shows_a_full_number(
    viewer, pii, client, api_client, caplog
):
    leaks = {}
    counts = {"pages": 0, "api": 0, "xlsx": 0, "pdf": 0}
    with every_log_line(caplog):
        pii.build()
        person = getattr(pii.people, viewer)
        client.force_login(person)
        api_client.force_login(person)
        for name, url in _get_urls(pii):
            door = api_client if name.startswith("api:") else client
            response = door.get(url)
            assert response.status_code < 500, (name, url)
            found = unmasked(_text(response))
            if found:
                leaks[url] = found
            counts["api" if name.startswith("api:") else "pages"] += 1
            if name.startswith("api:") and "{" not in url and response.status_code == 200:
                joiner = "&" if "?" in url else "?"
                export = api_client.get(f"{url}{joiner}format=xlsx")
                if "spreadsheetml" in export.get("Content-Type", ""):
                    counts["xlsx"] += 1
                    found = unmasked(_xlsx_text(export.content))
                    if found:
                        leaks[f"{url} (xlsx)"] = found
        report = api_client.get(reverse("api:scoring-report", kwargs={"code": pii.code}))
        assert report.status_code == 200
        counts["pdf"] += 1
        found = unmasked(_pdf_text(report.content))
        if found:
            leaks["report.pdf"] = found
        # The pages that take a phone: the repeat-caller hint and the API's search.
        hint = client.post(reverse("requests_app:resident-lookup"), {"phone": PHONES[0]})
        assert hint.status_code == 200 and "王秀英" in hint.content.decode()
        if unmasked(hint.content.decode()):
            leaks["residents/lookup/"] = unmasked(hint.content.decode())
        search = api_client.post(
            reverse("api:resident-search"), {"phone": PHONES[0]}, format="json"
        )
        assert search.status_code == 200 and "王秀英" in search.content.decode()
        if unmasked(search.content.decode()):
            leaks["api residents/search/"] = unmasked(search.content.decode())
        # A refused case action shows the case again (400), with its resident.
        refused = client.post(reverse("case-act", kwargs={"pk": pii.case.pk, "action": "note"}))
        if unmasked(refused.content.decode()):
            leaks["case-act (400)"] = unmasked(refused.content.decode())
    assert counts["pages"] >= 40 and counts["api"] >= 40, counts
    assert counts["xlsx"] >= 3, counts
    assert leaks == {}
    lines = [caplog.handler.format(record) for record in caplog.records]
    assert [line for line in lines if unmasked(line)] == []
    mails = [f"{m.subject}\n{m.body}" for m in mail.outbox]
    assert [m for m in mails if unmasked(m)] == []


def test_the_walk_reads_what_the_residents_asked(pii, api_as):
    """The control: the pages read above do hold the residents (masked), so a full number
    would have been seen."""
    pii.build()
    api = api_as(pii.people.admin)
    body = api.get(reverse("api:request-list") + "?page_size=100").content.decode()
    assert "王秀英" in body and "李建国" in body and "赵大勇" in body
    assert "139****5678" in body or "5678" in body


def test_the_reveal_doors_need_a_reason_and_leave_nothing_in_the_log(
    pii, api_as, client_as, caplog
):
    """The exempt doors: refused without a reason; with one, the full number is in that answer
    only, never in a log line nor in the pages read afterwards."""
    with every_log_line(caplog):
        pii.build()
        api = api_as(pii.people.supervisor_a)
        request = pii.request
        url = reverse("api:request-reveal", kwargs={"pk": request.pk})
        assert api.post(url, {"field": "phone"}, format="json").status_code == 400
        assert api.post(url, {"field": "phone", "reason": ""}, format="json").status_code == 400
        shown = api.post(url, {"field": "phone", "reason": "回访核实"}, format="json")
        assert shown.status_code == 200 and shown.json() == {"phone": PHONES[0]}
        shown = api.post(url, {"field": "id_number", "reason": "核实低保"}, format="json")
        assert shown.status_code == 200 and shown.json() == {"id_number": ID_NUMBERS[0]}
        resident = reverse("api:resident-reveal", kwargs={"pk": request.resident_id})
        assert api.post(resident, {}, format="json").status_code == 400
        page = client_as(pii.people.supervisor_a)
        no_reason = page.post(
            reverse("requests_app:resident-reveal", kwargs={"pk": request.resident_id})
        )
        assert no_reason.status_code == 400 and PHONES[0] not in no_reason.content.decode()
        after = [
            page.get(reverse("requests_app:detail", kwargs={"pk": request.pk})),
            page.get(reverse("requests_app:resident", kwargs={"pk": request.resident_id})),
            api.get(reverse("api:request-detail", kwargs={"pk": request.pk})),
        ]
        for response in after:
            assert response.status_code == 200
            assert unmasked(response.content.decode()) == []
    lines = [caplog.handler.format(record) for record in caplog.records]
    assert [line for line in lines if unmasked(line)] == []


def test_the_scan_sees_a_full_number_and_passes_a_masked_one():
    assert unmasked(f"电话{PHONES[0]}，身份证{ID_NUMBERS[0]}") == sorted(
        {PHONES[0], ID_NUMBERS[0]}
    )
    assert unmasked("tel: 13000000000") == ["13000000000"]
    assert unmasked("139****5678 450923********4567 2026-12-01T13:05:04 9VZQ5NQWAZ") == []
