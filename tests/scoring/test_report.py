"""The quarterly report as a PDF and the rankings as XLSX: Chinese text renders, the figures
agree with the ranking and the dashboard, the viewer's scope holds."""

import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from casework.rates import rates
from casework.selectors.rates import rate_counts


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_report_renders_chinese_and_the_rankings(api_as, season, people, tree):
    text = _pdf_text(
        api_as(people.admin).get(f"/api/v1/scoring/quarters/{season.quarter.code}/report.pdf")
    )
    assert f"{season.quarter.code} 星级评定报告" in text
    assert "城东社区" in text and "城西社区" in text
    assert "约谈" in text and "末位通报" in text
    ranking = (
        api_as(people.admin)
        .get(f"/api/v1/scoring/quarters/{season.quarter.code}/ranking/")
        .json()["results"]
    )
    for row in ranking:
        assert row["name"] in text
        assert str(D(row["total"]).quantize(D("0.01"))) in text


def test_the_reports_rates_are_the_dashboards(api_as, season, people, tree, open_case, drive):
    quarter = season.quarter
    _, by_community = rate_counts(
        unit=tree.town, start=quarter.starts_at, end=quarter.ends_at, depth=4
    )
    text = _pdf_text(
        api_as(people.admin).get(f"/api/v1/scoring/quarters/{quarter.code}/report.pdf")
    )
    for value in rates(by_community[tree.community_a.pk]).values():
        if value is not None:
            assert f"{value * 100:.1f}%" in text


def test_the_report_keeps_to_the_viewers_scope(api_as, season, people):
    url = f"/api/v1/scoring/quarters/{season.quarter.code}/report.pdf"
    text = _pdf_text(api_as(people.supervisor_b).get(url))
    assert "城西社区" in text and "城东社区" not in text
    assert api_as(people.grid_a1).get(url).status_code == 403


def test_a_missing_font_is_a_clear_error(api_as, season, people, settings, monkeypatch):
    from reportlab.pdfbase import pdfmetrics

    from scoring import pdf_kit

    monkeypatch.setattr(pdf_kit, "FONT_CANDIDATES", ())
    monkeypatch.setattr(pdfmetrics, "getRegisteredFontNames", lambda: [])
    settings.MINQING_PDF_FONT = "/nonexistent/font.ttc"
    response = api_as(people.admin).get(
        f"/api/v1/scoring/quarters/{season.quarter.code}/report.pdf"
    )
    assert response.status_code == 503
    assert "fonts-wqy-microhei" in response.json()["detail"]


@pytest.mark.parametrize("kind", ["ranking", "communities"])
def test_the_ranking_exports_as_the_api_lists_it(api_as, season, people, kind):
    url = f"/api/v1/scoring/quarters/{season.quarter.code}/{kind}/"
    client = api_as(people.admin)
    rows = client.get(url, {"page_size": 1000}).json()["results"]
    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    sheet = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(sheet) == len(rows) + 1
    totals_in_sheet = sorted(D(str(r[7])) for r in sheet[1:])
    assert totals_in_sheet == sorted(D(r["total"]) for r in rows)


def test_the_report_counts_meetings_as_the_figures_do(api_as, season, people, tree, quarters):
    """Hand-counted: 城东 holds a four-party consultation (2 topics, 1 settled) and a joint
    meeting (1 topic, settled); 城西 a residents' council (1 topic, settled). The county: 3
    meetings, 4 topics, 3 solved, 1 through four-party consultation; 城西's supervisor sees 1,
    1, 1, 0."""
    from datetime import datetime, time

    from django.utils import timezone

    from casework.demo import clock
    from casework.services import TopicInput, meeting_create

    held = timezone.make_aware(datetime.combine(quarters.day(10), time(9)))
    parties = [("residents_committee", "张主任"), ("property_company", "王经理")]
    plan = [
        (people.supervisor_a, tree.community_a, "four_party", [("楼道灯", True), ("停车", False)]),
        (people.supervisor_a, tree.community_a, "joint", [("垃圾分类", True)]),
        (people.supervisor_b, tree.community_b, "residents_council", [("广场舞", True)]),
    ]
    with clock(held + timezone.timedelta(hours=3)):
        for actor, unit, kind, topics in plan:
            meeting_create(
                actor=actor,
                unit=unit,
                held_at=held,
                place="党群服务中心",
                topic="议事",
                participants=parties,
                type=kind,
                topics=[
                    TopicInput(title=title, decision="议定" if done else "", resolves=done)
                    for title, done in topics
                ],
            )
    url = f"/api/v1/scoring/quarters/{season.quarter.code}/report.pdf"
    county = _pdf_text(api_as(people.admin).get(url)).replace("\n", "")
    assert "召开会议3次，提出议题4个，解决问题3个，其中通过四方协商解决1个" in county
    west = _pdf_text(api_as(people.supervisor_b).get(url)).replace("\n", "")
    assert "召开会议1次，提出议题1个，解决问题1个，其中通过四方协商解决0个" in west
