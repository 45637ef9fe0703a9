"""Translation catalogues without the gettext tools: compile .po to .mo with Babel.

``python -m oppfolging.lib.catalogs compile locale`` compiles every
``locale/<lang>/LC_MESSAGES/django.po`` and fails on a catalogue Babel cannot read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_catalogs(locale_dir: Path) -> list[Path]:
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name, abort_invalid=True)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] != "compile":
        sys.stderr.write("usage: python -m oppfolging.lib.catalogs compile LOCALE_DIR\n")
        return 2
    written = compile_catalogs(Path(argv[2]))
    sys.stdout.write(f"compiled {len(written)} catalogues\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
