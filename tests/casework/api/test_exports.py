"""XLSX exports: the filtered list, formula-like cells neutralised, the export recorded."""

import io

from openpyxl import load_workbook

from casework.exports import neutralise
from casework.models import ExportRecord


def _sheet(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_formula_like_text_is_neutralised():
    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [neutralise(v) for v in ("+1", "-2", "@SUM(A1)", "\tx")] == [
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
    ]
    assert neutralise("电梯") == "电梯"
    assert neutralise(-3) == -3


def test_a_control_character_stored_before_text_was_cleaned_never_breaks_an_export(
    api_as, open_case, people
):
    """One such character once made openpyxl refuse the whole list for everyone above it."""
    from casework.models import Case

    case = open_case(title="电梯")
    # Rows written before clean_text existed: set below the services on purpose.
    Case.objects.filter(pk=case.pk).update(title="电梯\x07停了", description="\x1b[31m")
    rows = _sheet(api_as(people.supervisor_a).get("/api/v1/cases/", {"format": "xlsx"}))
    assert rows[1][1] == "电梯停了"


def test_the_case_list_exports_with_its_filters(api_as, open_case, drive, people):
    open_case(title="=cmd|' /C calc'!A0")
    drive(open_case(title="已派单"), "assigned")
    client = api_as(people.supervisor_a)
    rows = _sheet(client.get("/api/v1/cases/", {"format": "xlsx", "state": "new"}))
    assert rows[0][0] == "编号"
    assert len(rows) == 2
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    record = ExportRecord.objects.get()
    assert (record.user, record.what, record.rows) == (people.supervisor_a, "cases", 1)
    assert record.filters == {"state": "new"}


def test_an_export_respects_the_viewers_scope(api_as, open_case, people, tree):
    open_case(title="A区")
    open_case(title="B区", unit=tree.compound_b1, who=people.grid_b1)
    rows = _sheet(api_as(people.grid_b1).get("/api/v1/cases/", {"format": "xlsx"}))
    assert [r[1] for r in rows[1:]] == ["B区"]
