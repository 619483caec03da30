"""Pinyin search keys, so a worker can type "wy" to find 物业."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin


def pinyin_key(text: str) -> str:
    """Return "initials full-pinyin" in lower case, e.g. "wygl wuyeguanli" for 物业管理."""
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore"))
    full = "".join(lazy_pinyin(text, errors="ignore"))
    return f"{initials} {full}".lower()


def pinyin_field() -> models.CharField:
    """The ``pinyin`` column places, people and categories carry: their name's
    :func:`pinyin_key`, set when they are saved, never edited by hand."""
    return models.CharField(
        _("pinyin"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("Initials and full pinyin of the name, for search."),
    )
