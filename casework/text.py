"""The one rule for free text people type: what is kept, what is refused.

Every service that stores text a person typed (a title, a note, a reason, an answer) passes it
through :func:`clean_text`, so the same input gets the same answer in every app and on every
entry point (pages, API, imports).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casework.errors import ValidationFailed

#: Characters no stored text keeps: the C0 controls but tab and newline, DEL, the C1 controls,
#: lone surrogates (a JSON body can carry one) and the two noncharacters U+FFFE and U+FFFF.
#: None of them can be written to XML 1.0, so one of them would break an XLSX export later.
_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile(r"\r\n?")


def clean_text(
    value: str | None, *, field: str, limit: int, required: bool = False, label: str = ""
) -> str:
    """Return ``value`` cleaned for storing, or raise ``ValidationFailed`` naming ``field``.

    Line breaks become ``\\n``; control characters other than tab and newline are removed;
    surrounding whitespace is stripped. ``None`` counts as empty. Empty text is refused when
    ``required`` (code ``required``), and text longer than ``limit`` characters is refused
    (code ``max_length``), never cut short. ``label``, the field's name as people read it, starts
    the message, so it still makes sense shown away from its field (a message, the API).
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(_message(_("Enter text."), label), field=field, code="invalid")
    text = _UNWANTED.sub("", _LINE_BREAK.sub("\n", value)).strip()
    if required and not text:
        raise ValidationFailed(
            _message(_("This field is required."), label), field=field, code="required"
        )
    if len(text) > limit:
        raise ValidationFailed(
            _message(
                _("At most %(limit)d characters (this has %(length)d).")
                % {"limit": limit, "length": len(text)},
                label,
            ),
            field=field,
            code="max_length",
        )
    return text


def query_text(value: str | None, *, field: str) -> str:
    """Return ``value``, a query string's parameter, or raise ``ValidationFailed`` naming it.

    A NUL character is refused: no text has one, and PostgreSQL refuses it in any query or
    stored value, so it would fail deep in the database driver (a 500) instead.
    """
    value = value or ""
    if "\x00" in value:
        raise ValidationFailed(
            _("This contains a NUL character, which no text may hold."),
            field=field,
            code="null_characters_not_allowed",
        )
    return value


def _message(message: str, label: str) -> str:
    if not label:
        return message
    return _("%(label)s: %(message)s") % {"label": label, "message": message}


#: Mainland ID numbers (18 characters, or the old 15 digits), mobile numbers (11 digits from 13x
#: to 19x, perhaps with ``+86`` and spaces or hyphens) and landlines with an area code, none of
#: them part of a longer run of digits.
_PERSONAL_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"\d{17}[\dXx]|\d{15}"
    r"|(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}"
    r"|0\d{2,3}[\s-]?\d{7,8}"
    r")(?![0-9A-Za-z])"
)
#: What a removed number reads as.
SCRUBBED = "[已删除]"


def scrub_personal(text: str) -> str:
    """Return ``text`` with mainland phone and ID numbers replaced by ``SCRUBBED``.

    Used by the retention job on free text staff typed about a resident. It recognises numbers
    only: a name or an address written into the text stays.
    """
    if not text:
        return text
    return _PERSONAL_NUMBER.sub(SCRUBBED, text)


# Django's forms put ``_(":")`` after each label, and Django's own Chinese catalogue keeps it an
# ASCII colon; the project's catalogue (which comes first) makes it the full-width "：".
gettext_noop(":")
