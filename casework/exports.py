"""Lists to XLSX: formula-like cells neutralised, the export recorded.

Personal data is masked by the columns each list declares (they read masked values), never
here: this module only writes what it is given.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from casework.models import ExportRecord

#: Characters that make a spreadsheet read a cell as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 100_000

Column = tuple[str, Callable[[Any], Any]]


def neutralise(value: Any) -> Any:
    """Make a text that would start a formula inert by prefixing a quote, and drop characters a
    workbook cannot hold (control characters stored before text was cleaned at the door would
    otherwise make openpyxl refuse the whole export); leave numbers alone."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        )
    return value


def xlsx_bytes(*, title: str, columns: list[Column], rows: Iterable[Any]) -> tuple[bytes, int]:
    """Write ``rows`` as a one-sheet workbook; returns the file and how many rows it holds."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append([str(header) for header, _ in columns])
    count = 0
    for row in rows:
        sheet.append([neutralise(get(row)) for _, get in columns])
        count += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), count


@transaction.atomic
def export_record(*, user, what: str, filters: dict, rows: int) -> ExportRecord:
    """Record who exported which list with which filters (the export's audit row)."""
    return ExportRecord.objects.create(user=user, what=what, filters=filters, rows=rows)
