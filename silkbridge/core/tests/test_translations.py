"""Every UI string is translated: the catalogues are complete and in step with the code."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from silkbridge.conftest import running_in_ci

PACKAGE = Path(__file__).resolve().parents[2]
LOCALES = ("zh_Hans", "ur")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")


def _catalogue(locale: str, root: Path = PACKAGE) -> polib.POFile:
    return polib.pofile(str(root / "locale" / locale / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete_and_placeholders_match(locale):
    catalogue = _catalogue(locale)
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {locale}: {untranslated[:10]}"
    assert fuzzy == [], f"fuzzy in {locale}: {fuzzy[:10]}"
    for entry in catalogue.translated_entries():
        expected = set(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            if entry.msgid_plural and not expected:
                continue
            assert set(PLACEHOLDER.findall(translation)) <= expected | set(PLACEHOLDER.findall(entry.msgid_plural)), (
                entry.msgid
            )


def test_catalogues_hold_every_string_in_the_code(tmp_path):
    """Extract the strings again (as `make messages` does) and compare with the committed catalogues:
    a new string that nobody translated fails here."""
    if shutil.which("xgettext") is None:
        if running_in_ci():
            pytest.fail("GNU gettext (xgettext) is required in CI")
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path / "silkbridge"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests", "static"))
    completed = subprocess.run(
        [
            str(Path(sys.executable).parent / "django-admin"),
            "makemessages",
            "-l",
            "zh_Hans",
            "-l",
            "ur",
            "--no-obsolete",
            "--no-location",
            "--ignore",
            "tests/*",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
        # No settings: makemessages then writes into the copy's locale/, never into the real one.
        env={"PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin"},
    )
    assert completed.returncode == 0, completed.stderr
    for locale in LOCALES:
        fresh = {entry.msgid for entry in _catalogue(locale, copy)}
        committed = {entry.msgid for entry in _catalogue(locale)}
        assert fresh - committed == set(), f"strings missing from {locale}: run `make messages` and translate"
        untranslated = [entry.msgid for entry in _catalogue(locale, copy).untranslated_entries()]
        assert untranslated == [], f"untranslated in {locale}: {untranslated[:10]}"
