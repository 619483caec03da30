"""Pinyin search keys, so a worker can type "wy" to find 物业."""

from pypinyin import Style, lazy_pinyin


def pinyin_key(text: str) -> str:
    """Return "initials full-pinyin" in lower case, e.g. "wygl wuyeguanli" for 物业管理."""
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore"))
    full = "".join(lazy_pinyin(text, errors="ignore"))
    return f"{initials} {full}".lower()
