"""Translation catalogues without the gettext tools.

- ``compile``: every ``locale/<lang>/LC_MESSAGES/django.po`` to ``.mo`` with Babel.
- ``check``: every string the code and templates mark for translation is in every catalogue,
  translated, not fuzzy, with the same named placeholders, and no positional ``%s`` anywhere.

Strings are extracted in pure Python too: Python files with Babel's extractor, templates by
turning them into gettext calls with Django's own ``templatize`` (what ``makemessages`` does before
it hands them to xgettext) and reading those with the same extractor. ``make test`` runs ``check``
through the test suite, so a new untranslated string fails the build on any machine.

    python -m oppfolging.lib.catalogs compile locale
    python -m oppfolging.lib.catalogs check
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("config", "oppfolging", "templates")
LANGUAGES = ("nb", "nn", "en")
KEYWORDS = {
    "gettext": None,
    "gettext_lazy": None,
    "_": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
POSITIONAL = re.compile(r"%[sdif]")
NAMED = re.compile(r"%\((\w+)\)[sdif]")


def _read(po_path: Path) -> Catalog:
    with po_path.open("rb") as handle:
        return read_po(handle, locale=po_path.parent.parent.name, abort_invalid=True)


def compile_catalogs(locale_dir: Path) -> list[Path]:
    written = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
        catalog = _read(po_path)
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


@dataclass(frozen=True)
class SourceMessage:
    msgid: str
    plural: str | None
    context: str | None
    where: str


def _from_python(source: str, where: str) -> Iterator[SourceMessage]:
    for lineno, funcname, message, _comments in extract_python(
        io.BytesIO(source.encode("utf-8")), KEYWORDS, [], {"encoding": "utf-8"}
    ):
        parts: list[str] = [str(p) for p in message] if isinstance(message, tuple) else [str(message)]
        context: str | None = None
        if str(funcname).startswith(("pgettext", "npgettext")):
            context, parts = parts[0], parts[1:]
        if not parts or not parts[0]:
            continue
        plural = parts[1] if len(parts) > 1 else None
        yield SourceMessage(parts[0], plural, context, f"{where}:{lineno}")


def extract(root: Path = ROOT) -> list[SourceMessage]:
    """Every translatable string in our Python files and templates."""
    from django.utils.translation.template import templatize

    found: list[SourceMessage] = []
    for directory in SOURCE_DIRS:
        for path in sorted((root / directory).rglob("*")):
            if "migrations" in path.parts or "tests" in path.parts or not path.is_file():
                continue
            relative = str(path.relative_to(root))
            if path.suffix == ".py":
                found.extend(_from_python(path.read_text(encoding="utf-8"), relative))
            elif path.suffix in {".html", ".txt"}:
                code = templatize(path.read_text(encoding="utf-8"), origin=relative)
                found.extend(_from_python(code, relative))
    return found


def check(root: Path = ROOT) -> list[str]:
    """Problems with the catalogues, one line each; empty when all is well."""
    problems: list[str] = []
    messages = extract(root)
    for message in messages:
        for text in filter(None, (message.msgid, message.plural)):
            if POSITIONAL.search(text.replace("%%", "")):
                problems.append(f"{message.where}: positional placeholder in {text!r}; use %(name)s")
    for language in LANGUAGES:
        po_path = root / "locale" / language / "LC_MESSAGES" / "django.po"
        if not po_path.exists():
            problems.append(f"{po_path}: missing")
            continue
        catalog = _read(po_path)
        for message in messages:
            entry = catalog.get(message.msgid, context=message.context)
            if entry is None:
                problems.append(f"{language}: not in the catalogue: {message.msgid!r} ({message.where})")
                continue
            problems.extend(f"{language}: {problem}" for problem in _entry_problems(entry))
    return sorted(set(problems))


def _entry_problems(entry: object) -> list[str]:
    from babel.messages.catalog import Message

    assert isinstance(entry, Message)  # noqa: S101 - catalog.get returns Message or None
    ids = entry.id if isinstance(entry.id, tuple | list) else (entry.id,)
    strings = entry.string if isinstance(entry.string, tuple | list) else (entry.string,)
    label = repr(ids[0])
    if entry.fuzzy:
        return [f"fuzzy: {label}"]
    if not all(strings):
        return [f"untranslated: {label}"]
    wanted = set(NAMED.findall(" ".join(str(i) for i in ids)))
    problems = []
    for string in strings:
        if not set(NAMED.findall(str(string))) <= wanted:
            problems.append(f"placeholders differ: {label} -> {string!r}")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "compile":
        written = compile_catalogs(Path(argv[2]))
        sys.stdout.write(f"compiled {len(written)} catalogues\n")
        return 0
    if len(argv) == 2 and argv[1] == "check":
        import django

        django.setup()
        problems = check()
        sys.stdout.write("\n".join(problems) + ("\n" if problems else "catalogues complete\n"))
        return 1 if problems else 0
    sys.stderr.write("usage: python -m oppfolging.lib.catalogs compile LOCALE_DIR | check\n")
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
