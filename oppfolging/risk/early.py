"""Reading a batch's extract while Django starts.

``manage.py risk_score --extract DIR`` spends most of a second starting Python and Django and
importing the app on one processor, while the other waits: reading and summing the extract is
what the batch does most, and it needs neither Django nor the database. So ``manage.py`` calls
:func:`start` with the command's arguments before it sets Django up; it starts reading in a
thread (``reading.read_population`` of ``extract.scan_keyed(DIR)`` on the scoring date), and
the batch takes what was read (:func:`take`) when it comes to read the same folder on the same
date.

Only stdlib is imported here; Polars and the reading are imported when a read is started.
Nothing is decided here: the command checks its arguments as ever (a wrong municipality, model or
threshold ends it before anything is scored, and the thread's work is dropped). What the thread
read is used only for the folder and date it was read for; an error of the read (a value the
strict read cannot parse) is raised where the batch reads, which handles it as its own.
"""

from __future__ import annotations

import argparse
import datetime
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl


@dataclass(frozen=True)
class _Reading:
    folder: Path
    as_of: datetime.date
    result: Future[list[pl.DataFrame]]


_reading: _Reading | None = None
_lock = threading.Lock()


def scoring_date(text: str | None) -> datetime.date:
    """The date a batch scores on: ``--as-of``, else today (UTC), as the command has it."""
    return datetime.date.fromisoformat(text) if text else datetime.datetime.now(tz=datetime.UTC).date()


def start(arguments: Sequence[str]) -> None:
    """Start reading the extract that ``risk_score`` with these ``arguments`` (those after the
    command's name) will score, if they name a folder and a valid date; else do nothing (the
    command reports what is wrong)."""
    global _reading
    # Quietly: a wrong argument is for the command's own parser to report.
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    parser.add_argument("--extract", type=Path, default=None)
    parser.add_argument("--as-of", default=None)
    try:
        known, _ = parser.parse_known_args(list(arguments))
        as_of = scoring_date(known.as_of)
    except (argparse.ArgumentError, SystemExit, ValueError):
        return
    folder = known.extract
    if folder is None or not folder.is_dir():
        return
    # Imported here, before the thread starts: imports hold Python's lock, so importing Polars
    # beside Django would only delay the read.
    from oppfolging.risk.extract import scan_keyed
    from oppfolging.risk.reading import read_population

    result: Future[list[pl.DataFrame]] = Future()

    def read() -> None:
        try:
            result.set_result(read_population(scan_keyed(folder), as_of=as_of))
        except BaseException as exc:  # handed to the batch, which raises it where it reads
            result.set_exception(exc)

    with _lock:
        _reading = _Reading(folder.resolve(), as_of, result)
    # A daemon: a command that ends early (a wrong argument) does not wait for the read.
    threading.Thread(target=read, name="risk-early-read", daemon=True).start()


def take(folder: str | Path, as_of: datetime.date) -> list[pl.DataFrame] | None:
    """What :func:`start` read, if it read ``folder`` on ``as_of`` (waiting for the read to
    end), once; None if nothing was started for them. An error of the read is raised here."""
    global _reading
    with _lock:
        reading, _reading = _reading, None
    if reading is None or reading.folder != Path(folder).resolve() or reading.as_of != as_of:
        return None
    return reading.result.result()
