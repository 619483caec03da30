"""The message catalogue is complete: every string the templates and code mark for translation
has a Chinese translation in config/locale/zh_Hans/LC_MESSAGES/django.po, neither empty nor fuzzy.

``makemessages`` runs over the project (with the Makefile's ignores) into a copy of the locale
folder, so the committed catalogue is never touched; gettext's ``msgattrib`` then lists what is
untranslated or fuzzy. Needs only gettext (installed by .ci/system-packages). To fix a failure:
``make messages``, translate the entries listed, ``make messages`` again (compiles).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[1]
LOCALE = REPO / "config" / "locale"
#: As in the Makefile's ``messages`` target, plus folders the test suite leaves behind.
IGNORE = [
    ".venv/*",
    "staticfiles/*",
    "tests/*",
    "bench/*",
    "artefacts/*",
    ".test-media*",
    "media/*",
    "node_modules/*",
]


def _need_gettext():
    if not (shutil.which("xgettext") and shutil.which("msgattrib")):
        message = "needs gettext (xgettext, msgmerge, msgattrib)"
        if os.environ.get("CI"):
            pytest.fail(f"CI: {message}")
        pytest.skip(message)


def _msgids(po_text: str) -> list[str]:
    """The msgids of a .po text (msgctxt shown as ``ctx|msgid``), header left out."""
    found = []
    for block in po_text.split("\n\n"):
        context = re.search(r'^msgctxt ((?:".*"\n?)+)', block, re.M)
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not msgid:
            continue
        text = _joined(msgid.group(1))
        if not text:
            continue
        found.append(f"{_joined(context.group(1))}|{text}" if context else text)
    return found


def _joined(quoted: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', quoted))


def test_every_marked_string_has_a_chinese_translation(tmp_path, settings, monkeypatch):
    _need_gettext()
    js = [
        path.relative_to(REPO)
        for path in (REPO / "static").rglob("*.js")
        if "vendor" not in path.parts and re.search(r"\bn?gettext\(", path.read_text("utf-8"))
    ]
    assert not js, f"{js} translate in JavaScript: extend this test to the djangojs domain as well"

    locale = tmp_path / "locale"
    shutil.copytree(LOCALE, locale)
    settings.LOCALE_PATHS = [locale]
    monkeypatch.chdir(REPO)
    call_command(
        "makemessages",
        locale=["zh_Hans"],
        domain="django",
        ignore_patterns=IGNORE,
        no_obsolete=True,
        verbosity=0,
    )
    po = locale / "zh_Hans" / "LC_MESSAGES" / "django.po"
    missing = {}
    for kind, flag in (("untranslated", "--untranslated"), ("fuzzy", "--only-fuzzy")):
        out = subprocess.run(
            [shutil.which("msgattrib"), flag, "--no-obsolete", "--no-wrap", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for msgid in _msgids(out):
            missing.setdefault(msgid, kind)
    listing = "\n".join(f"  [{kind}] {msgid}" for msgid, kind in sorted(missing.items()))
    assert not missing, (
        f"{len(missing)} strings lack a Chinese translation in "
        f"config/locale/zh_Hans/LC_MESSAGES/django.po:\n{listing}"
    )
