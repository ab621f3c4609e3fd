"""Indonesian and English are complete: every catalogue entry is translated, and every
phrase of the Jinja2 reader templates (which ``make messages`` reads as ``_("…")``) is
in the catalogues, so no reader sees an English word on an Indonesian page."""

import gettext
import re
from pathlib import Path

import pytest

WARTA = Path(__file__).resolve().parent.parent / "warta"
CATALOGUES = sorted(WARTA.glob("*/locale/*/LC_MESSAGES/django.po"))
PHRASE = re.compile(r"""_\((?:"([^"]*)"|'([^']*)')\)""")


def entries(po_file):
    """(msgid, [msgstr...], fuzzy) of each entry but the header."""
    for block in po_file.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields, current = {}, None
        for line in lines:
            if line.startswith(("msgid", "msgstr")):
                current, _, value = line.partition(" ")
                fields[current] = [value]
            elif line.startswith('"') and current:
                fields[current].append(line)
        text = {key: "".join(part[1:-1] for part in parts) for key, parts in fields.items()}
        if "msgid" in text:
            yield text["msgid"], [v for k, v in text.items() if k.startswith("msgstr")], fuzzy


@pytest.mark.parametrize("po_file", CATALOGUES, ids=lambda path: str(path.relative_to(WARTA)))
def test_every_entry_is_translated(po_file):
    untranslated = [
        msgid for msgid, strings, fuzzy in entries(po_file) if fuzzy or not all(strings)
    ]
    assert untranslated == []


def test_both_languages_have_a_catalogue_for_every_app():
    apps = {path.parts[-5] for path in CATALOGUES}
    for app in apps:
        for language in ("id", "en"):
            assert (WARTA / app / "locale" / language / "LC_MESSAGES" / "django.mo").exists()


def test_every_phrase_of_the_reader_templates_is_in_the_indonesian_catalogues():
    indonesian = {}
    for mo_file in WARTA.glob("*/locale/id/LC_MESSAGES/django.mo"):
        with mo_file.open("rb") as file:
            indonesian.update(gettext.GNUTranslations(file)._catalog)
    phrases = {
        double or single
        for template in WARTA.glob("*/jinja2/**/*.html")
        for double, single in PHRASE.findall(template.read_text(encoding="utf-8"))
    }
    assert len(phrases) > 40  # the templates were found and read
    assert sorted(phrase for phrase in phrases if not indonesian.get(phrase)) == []
