"""The one rule for typed text: control characters go, over-long text is refused, never cut."""

import pytest
from django.utils import translation
from openpyxl import Workbook

from casework.errors import ValidationFailed
from casework.text import clean_text


def test_control_characters_are_removed_but_tabs_and_line_breaks_kept():
    typed = "\x00 门牌\x07号\t3栋\r\n二单元\r楼上\x1b[31m漏水\x7f\x85 "
    assert clean_text(typed, field="note", limit=100) == "门牌号\t3栋\n二单元\n楼上[31m漏水"


def test_what_xml_cannot_hold_is_removed_so_an_xlsx_export_never_breaks():
    every_control = "".join(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)])
    typed = f"甲{every_control}乙\ud800丙\ufffe\uffff"
    cleaned = clean_text(typed, field="note", limit=100)
    assert cleaned == "甲\t\n\n乙丙"
    Workbook().active.cell(row=1, column=1, value=cleaned)  # openpyxl refuses illegal ones


def test_over_long_text_is_refused_naming_the_field_not_cut():
    assert clean_text("字" * 120, field="title", limit=120) == "字" * 120
    with pytest.raises(ValidationFailed) as refused:
        clean_text("字" * 121, field="title", limit=120)
    assert (refused.value.field, refused.value.code) == ("title", "max_length")
    assert "120" in refused.value.message and "121" in refused.value.message


def test_the_length_is_counted_after_cleaning():
    assert clean_text("  " + "字" * 10 + "\x00\x00\n", field="title", limit=10) == "字" * 10


@pytest.mark.parametrize("typed", [None, "", "   ", "\x00\x01", "\r\n\t"])
def test_required_text_cannot_be_empty(typed):
    with pytest.raises(ValidationFailed) as refused:
        clean_text(typed, field="reason", limit=500, required=True)
    assert (refused.value.field, refused.value.code) == ("reason", "required")
    assert clean_text(typed, field="reason", limit=500) == ""


def test_something_that_is_not_text_is_refused():
    with pytest.raises(ValidationFailed) as refused:
        clean_text(["a"], field="note", limit=10)
    assert (refused.value.field, refused.value.code) == ("note", "invalid")


def test_the_label_names_the_field_in_the_message_in_both_languages():
    with translation.override("en"):
        with pytest.raises(ValidationFailed) as refused:
            clean_text("", field="reason", limit=500, required=True, label="Reason")
        assert refused.value.message == "Reason: This field is required."
        with pytest.raises(ValidationFailed) as refused:
            clean_text("x" * 3, field="title", limit=2, label="Title")
        assert refused.value.message == "Title: At most 2 characters (this has 3)."
    with translation.override("zh-hans"):
        with pytest.raises(ValidationFailed) as refused:
            clean_text("x" * 3, field="title", limit=2, label="标题")
        assert refused.value.message == "标题：最多 2 个字（现有 3 个）。"
