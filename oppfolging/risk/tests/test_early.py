"""Reading a batch's extract while Django starts (risk/early.py): the read is taken only for the
folder and date it was started for, once; arguments that name no folder or date start nothing;
an error of the read reaches the batch, which reads the folder as the importer would; and
``manage.py`` starts it for ``risk_score`` only."""

from __future__ import annotations

import datetime
import gc
import sys

import polars as pl
import pytest

from oppfolging.risk import early, engine, synthetic
from oppfolging.risk.extract import KEY, scan_keyed, write_extract

AS_OF = datetime.date(2025, 12, 31)


@pytest.fixture(autouse=True)
def _nothing_left():
    yield
    early.take(".", AS_OF)  # whatever a test started and did not take


@pytest.fixture
def folder(tmp_path):
    write_extract(synthetic.generate(150, seed=4, end=AS_OF), tmp_path / "csv", format="csv")
    return tmp_path / "csv"


def _same(read: list[pl.DataFrame], expected: list[pl.DataFrame]) -> bool:
    key = KEY
    return all(a.sort(key).equals(b.sort(key)) for a, b in zip(read, expected, strict=True))


def test_the_read_is_taken_for_its_folder_and_date_once(folder):
    early.start(["--extract", str(folder), "--as-of", AS_OF.isoformat(), "--municipality", "9990"])
    read = early.take(folder / ".." / folder.name, AS_OF)  # the same folder, spelled otherwise
    assert read is not None
    assert _same(read, engine.read_population(scan_keyed(folder), as_of=AS_OF))
    assert early.take(folder, AS_OF) is None  # once


def test_another_folder_or_date_takes_nothing(folder, tmp_path):
    early.start(["--as-of", AS_OF.isoformat(), "--extract", str(folder)])
    assert early.take(folder, AS_OF - datetime.timedelta(days=1)) is None
    early.start(["--as-of", AS_OF.isoformat(), "--extract", str(folder)])
    assert early.take(tmp_path, AS_OF) is None


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        ["--as-of", "2025-12-31"],
        ["--extract", "/no/such/folder", "--as-of", "2025-12-31"],
        ["--extract", "{folder}", "--as-of", "31.12.2025"],
        ["--extract"],
    ],
)
def test_arguments_without_a_folder_or_date_start_nothing(folder, arguments, capsys):
    early.start([argument.format(folder=folder) for argument in arguments])
    assert early.take(folder, AS_OF) is None
    assert capsys.readouterr() == ("", "")  # the command's own parser reports what is wrong


def test_without_a_date_the_read_is_for_today(folder):
    early.start(["--extract", str(folder)])
    assert early.take(folder, early.scoring_date(None)) is not None


def test_an_error_of_the_read_is_raised_where_it_is_taken(folder):
    header, first, *rest = (folder / "services.csv").read_text().splitlines()
    number, kind, _hours, start, end = first.split(",")
    (folder / "services.csv").write_text("\n".join([header, f"{number},{kind},mange,{start},{end}", *rest]))
    early.start(["--extract", str(folder), "--as-of", AS_OF.isoformat()])
    with pytest.raises(pl.exceptions.ComputeError):
        early.take(folder, AS_OF)


def test_manage_py_starts_the_read_for_the_batch_only(monkeypatch):
    from django.core import management

    import manage

    started: list[list[str]] = []
    monkeypatch.setattr(early, "start", started.append)
    monkeypatch.setattr(management, "execute_from_command_line", lambda argv: None)
    try:
        for argv in (
            ["manage.py", "risk_score", "--extract", "x"],
            ["manage.py", "migrate", "--extract", "x"],
        ):
            monkeypatch.setattr(sys, "argv", argv)
            manage.main()
    finally:
        gc.unfreeze()
    assert started == [["--extract", "x"]]
