"""The request list as XLSX: filtered, scoped, personal data masked, formulas neutralised."""

import io

from openpyxl import load_workbook

from casework.models import ExportRecord


def _rows(response):
    assert response.status_code == 200, response.content[:300]
    return [
        list(r)
        for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]


def test_requests_export_masks_phones_and_neutralises_formulas(api_as, collect, people):
    collect(description="=1+2 电梯坏了")
    collect(channel="hotline", description="路灯不亮")
    rows = _rows(
        api_as(people.supervisor_a).get(
            "/api/v1/requests/", {"format": "xlsx", "channel": "onsite"}
        )
    )
    assert len(rows) == 2
    _header, row = rows
    text = " ".join(str(v) for v in row)
    assert "138****5678" in text and "13812345678" not in text
    assert "'=1+2 电梯坏了" in row
    assert "=1+2 电梯坏了" not in row
    record = ExportRecord.objects.get()
    assert (
        record.what == "requests" and record.rows == 1 and record.filters == {"channel": "onsite"}
    )


def test_requests_export_respects_scope(api_as, collect, people):
    collect()
    rows = _rows(api_as(people.grid_b1).get("/api/v1/requests/", {"format": "xlsx"}))
    assert len(rows) == 1  # the header only
