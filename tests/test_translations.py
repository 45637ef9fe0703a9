"""No untranslated string in bokmål, nynorsk or English, and placeholders are named."""

from __future__ import annotations

from pathlib import Path

from oppfolging.lib import catalogs


def test_catalogues_are_complete_and_current():
    problems = catalogs.check()
    more = f"\n… and {len(problems) - 40} more" if len(problems) > 40 else ""
    assert problems == [], "\n".join(problems[:40]) + more


def test_extraction_finds_template_and_python_strings():
    found = {m.msgid for m in catalogs.extract()}
    assert "Hopp til hovedinnhold" in found  # templates/base.html
    assert "Kontrollsifrene stemmer ikke. Sjekk at nummeret er skrevet riktig." in found  # Python
    assert "%(counter)s person er registrert." in found  # blocktranslate with count


def test_positional_placeholders_are_reported(tmp_path: Path):
    (tmp_path / "oppfolging").mkdir()
    source = 'from django.utils.translation import gettext as _\n_("%s er lagret")\n'
    (tmp_path / "oppfolging" / "x.py").write_text(source)
    (tmp_path / "config").mkdir()
    (tmp_path / "templates").mkdir()
    problems = catalogs.check(tmp_path)
    assert any("positional placeholder" in p for p in problems)
    assert any("missing" in p for p in problems)
