#!/usr/bin/env python
"""The first page of a demo plan's PDF as a PNG, for the docs (issue 4's closing note).

    python benchmarks/plan_pdf_page.py                      # Kari's plan -> docs/images/plan-pdf-page1.png
    python benchmarks/plan_pdf_page.py --person Sigrid      # the nynorsk plan of Lidal
    python benchmarks/plan_pdf_page.py --out /tmp/page.png --pdf /tmp/plan.pdf

It loads the demo into a throwaway SQLite database of its own (a temporary directory, deleted
afterwards: whatever DATABASE_URL says is never touched), builds the person's plan as their
coordinator prints it — through the same code as the PDF route — and turns page 1 into a PNG
with the first tool it finds: ``pdftoppm`` (Debian's poppler-utils), pypdfium2, or headless
Chromium through Playwright (a screenshot of the same HTML WeasyPrint printed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "images" / "plan-pdf-page1.png"
RESOLUTION = 110  # dpi: an A4 page about 910 x 1290 pixels
CHROMIUM = Path("/usr/bin/chromium")


def _setup(database: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DEBUG"] = "1"  # the demo's synthetic identity numbers need it
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from oppfolging.core.demo import load_demo

    load_demo()


def _document(given_name: str) -> tuple[bytes, str]:
    """The person's plan as PDF and as the HTML it was printed from."""
    from oppfolging.core.tenancy import unscoped
    from oppfolging.people.models import Person
    from oppfolging.plans import pdf, pdf_render
    from oppfolging.plans.models import CarePlan
    from oppfolging.teams.models import AssignmentStatus, CoordinatorAssignment

    with unscoped():
        person = Person.objects.get(given_name=given_name)
        plan = CarePlan.objects.get(person=person)
        assignment = CoordinatorAssignment.objects.filter(
            team__person=person, status=AssignmentStatus.ACTIVE
        ).first()
        printed_by = assignment.coordinator.get_full_name() if assignment else "Demo"
        document = pdf.build_document(plan, person=person, as_of=None, printed_by=printed_by)
        if document is None:
            raise SystemExit(f"{given_name}'s plan has no version to print.")
        html = pdf_render.render_html(document)
    return pdf_render.render_pdf(html), html


def _with_pdftoppm(pdf_file: Path, out: Path) -> bool:
    tool = shutil.which("pdftoppm")
    if tool is None:
        return False
    prefix = out.with_suffix("")
    command = [tool, "-png", "-r", str(RESOLUTION), "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run([*command, str(pdf_file), str(prefix)], check=True)  # noqa: S603 - our own files
    return out.exists()


def _with_pdfium(pdf_file: Path, out: Path) -> bool:
    try:
        import pypdfium2  # type: ignore[import-not-found]
    except ImportError:
        return False
    page = pypdfium2.PdfDocument(str(pdf_file))[0]
    page.render(scale=RESOLUTION / 72).to_pil().save(out)
    return True


def _with_chromium(html: str, out: Path) -> bool:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        return False
    launch = {"executable_path": str(CHROMIUM)} if CHROMIUM.exists() else {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(headless=True, args=["--no-sandbox"], **launch)  # type: ignore[arg-type]
            page = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
            page.set_content(html)
            page.emulate_media(media="print")
            page.screenshot(path=str(out), full_page=False)
            browser.close()
    except Error as exc:
        print(f"Chromium: {exc}", file=sys.stderr)
        return False
    return out.exists()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--person", default="Kari", help="the demo person's given name (default Kari)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"the PNG (default {DEFAULT_OUT})")
    parser.add_argument("--pdf", type=Path, help="also keep the whole PDF here")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="plan-pdf-") as work:
        _setup(Path(work) / "demo.sqlite3")
        body, html = _document(args.person)
        pdf_file = Path(work) / "plan.pdf"
        pdf_file.write_bytes(body)
        if args.pdf:
            args.pdf.write_bytes(body)
        for convert in (_with_pdftoppm, _with_pdfium):
            if convert(pdf_file, out):
                print(f"{out} (page 1 of {args.person}'s plan, {convert.__name__.removeprefix('_with_')})")
                return 0
        if _with_chromium(html, out):
            print(f"{out} (page 1 of {args.person}'s plan, Chromium screenshot of the printed HTML)")
            return 0
    print(
        "No way to turn a PDF page into an image here: install poppler-utils (pdftoppm), "
        "pypdfium2, or Chromium.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
