#!/usr/bin/env python
"""The population batch at scale (issue 5): score 1 000 000 synthetic persons with about 20
events each, and compare the time with merely reading the same input.

    make bench-risk                      (BENCH_RISK_PERSONS=200000 for a smaller run)

1. generates the synthetic population once (seed 1, history to 2025-12-31) and caches it under
   ``var/bench/risk-<n>/`` as CSV (``csv/``, the INPUT: what a municipality's EHR, KPR/IPLOS and
   hospital exports deliver) and as Parquet (``parquet/``, for comparison);
2. for each of the two: measures the START, ``manage.py risk_score --help`` (Python, Django and
   the batch's imports; best of three), then runs :data:`PAIRS` pairs side by side, each pair
   a FLOOR and a batch right after it:

   - the FLOOR: the time to merely read every input table fully (``pl.read_csv`` of each file,
     in this process, the files in the page cache), the best of three reads in a row;
   - the batch, ``manage.py risk_score --extract var/bench/risk-<n>/csv --as-of 2025-12-31
     --municipality 9990 -v2``, in a subprocess on a fresh throwaway SQLite database
     ``var/bench/risk.sqlite3`` (deleted, migrated, one municipality «Benchmark kommune» 9990),
     so its wall time includes starting Python and Django, and its peak memory and CPU time
     (``getrusage`` of a small wrapper process's child) are its own;
3. prints every pair's floor, total and ratio, then for the pair with the median ratio every
   part — the batch's stages, its own seconds, the start, the total, CPU time, persons/s, peak
   memory (the highest of the pairs), the ratio total/floor and the load average around the
   runs — against the targets (under 60 s, under 4 GB, a ratio under 3), and the same for the
   Parquet copy.

Since stop 12 ``manage.py`` starts reading the extract before Django is up
(``oppfolging/risk/early.py``), so the read overlaps the start: the batch's own ``seconds`` count
from the command's start and no longer hold the whole read, and the total less the start is no
longer the batch's work (the "ratio without the start" it printed until then is gone).

Why pairs: the machine's speed moves by a third between minutes, and a read of 715 MB moves with
it more than the batch does (on the same 2-CPU container the floor was 1.06 s in a quiet minute
and 1.68 s in another). A floor and a batch measured minutes apart compare the minutes, not the
code; a floor and the batch right after it compare the code, and the median of three such pairs
is what the target is judged on. (Until stop 11 one such pair was measured: the best of three
reads, then the batch once.)
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PERSONS = int(os.environ.get("BENCH_RISK_PERSONS", "1000000"))
SEED = 1
END = datetime.date(2025, 12, 31)
BENCH = ROOT / "var" / "bench"
CACHE = BENCH / f"risk-{PERSONS // 1000}k" if PERSONS < 1_000_000 else BENCH / f"risk-{PERSONS // 1_000_000}m"
DATABASE = BENCH / "risk.sqlite3"
STORE = BENCH / "risk-store"
MUNICIPALITY = ("Benchmark kommune", "9990")
TARGET_SECONDS, TARGET_BYTES, TARGET_RATIO = 60.0, 4 * 1024**3, 3.0
PAIRS = int(os.environ.get("BENCH_RISK_PAIRS", "3"))


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{DATABASE}",
            "OPPFOLGING_RISK_STORE_DIR": str(STORE),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    return env


def generate() -> None:
    """The synthetic population in CSV and Parquet, unless the cache already has it."""
    stamp = CACHE / "stamp.json"
    wanted = {"persons": PERSONS, "seed": SEED, "end": END.isoformat(), "version": 1}
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        print(f"cached population: {CACHE}")
        return
    sys.path.insert(0, str(ROOT))
    from oppfolging.risk import synthetic
    from oppfolging.risk.extract import write_extract

    shutil.rmtree(CACHE, ignore_errors=True)
    started = time.perf_counter()
    extract = synthetic.generate(PERSONS, seed=SEED, years=2, end=END).collect()
    generated = time.perf_counter() - started
    write_extract(extract, CACHE / "csv", format="csv")
    write_extract(extract, CACHE / "parquet", format="parquet")
    rows = synthetic.expected_rows(extract)
    events = sum(rows.values()) - rows["persons"]
    print(
        f"generated {PERSONS} persons with {events} events ({events / PERSONS:.1f} each) "
        f"in {generated:.1f} s, "
        f"written in {time.perf_counter() - started - generated:.1f} s"
    )
    stamp.write_text(json.dumps(wanted))


def floor(folder: Path, suffix: str, runs: int = 3) -> float:
    """Best of ``runs``: reading every table of ``folder`` fully, and nothing else."""
    import polars as pl

    reader = pl.read_csv if suffix == "csv" else pl.read_parquet
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for path in sorted(folder.glob(f"*.{suffix}")):
            reader(path)
        times.append(time.perf_counter() - started)
    return min(times)


def database() -> None:
    DATABASE.unlink(missing_ok=True)
    shutil.rmtree(STORE, ignore_errors=True)
    env = _environment()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    code = (
        "import django; django.setup()\n"
        "from oppfolging.core.models import Municipality\n"
        f"Municipality.objects.get_or_create(number={MUNICIPALITY[1]!r}, "
        f"defaults={{'name': {MUNICIPALITY[0]!r}}})\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)  # noqa: S603


_WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - started
used = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(done.stderr[-2000:])
print(json.dumps({"seconds": seconds, "code": done.returncode, "stdout": done.stdout,
                  "maxrss_kb": used.ru_maxrss, "cpu": used.ru_utime + used.ru_stime}))
"""


def start_up(runs: int = 3) -> float:
    """Best of ``runs``: starting Python and Django and importing the batch's modules, and
    nothing else (``manage.py risk_score --help``)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "risk_score", "--help"],
            cwd=ROOT,
            env=_environment(),
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    return min(times)


def batch(folder: Path) -> dict[str, Any]:
    """Wall seconds, CPU seconds, peak memory (bytes) and output of the batch on ``folder``. A
    small wrapper process runs it and measures it, so the figures are the batch's alone."""
    command = [
        sys.executable,
        "manage.py",
        "risk_score",
        "--extract",
        str(folder),
        "--as-of",
        END.isoformat(),
        "--municipality",
        MUNICIPALITY[1],
        "-v2",
    ]
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _WRAPPER, *command],
        cwd=ROOT,
        env=_environment(),
        check=True,
        capture_output=True,
        text=True,
    )  # fmt: skip
    report: dict[str, Any] = json.loads(done.stdout)
    if report["code"] != 0:
        raise SystemExit(f"the batch failed:\n{done.stderr}")
    return report


def _inside(output: str) -> float:
    """The batch's own seconds (from reading the extract to the commit), as it prints them."""
    for line in output.splitlines():
        if line.startswith("seconds:"):
            return float(line.split(":", 1)[1])
    return 0.0


def main() -> None:
    BENCH.mkdir(parents=True, exist_ok=True)
    generate()
    results = {}
    for kind in ("csv", "parquet"):
        folder = CACHE / kind
        load_before = os.getloadavg()[0]
        start = start_up()
        pairs = []
        for _ in range(PAIRS):
            database()  # a fresh database for each run: every run writes the whole batch
            low = floor(folder, kind)
            pairs.append((low, batch(folder)))
        results[kind] = (start, pairs, load_before, os.getloadavg()[0])
    print()
    for kind, (start, pairs, load_before, load_after) in results.items():
        label = "INPUT (CSV)" if kind == "csv" else "for comparison (Parquet)"
        print(f"== {label}: {folder_size(CACHE / kind) / 1e6:.0f} MB")
        ratios = [float(report["seconds"]) / low for low, report in pairs]
        for number, ((low, report), ratio) in enumerate(zip(pairs, ratios, strict=True), start=1):
            print(
                f"pair {number}: floor {low:.2f} s, batch {float(report['seconds']):.2f} s, ratio {ratio:.2f}"
            )
        low, report = pairs[sorted(range(len(pairs)), key=ratios.__getitem__)[len(pairs) // 2]]
        seconds, output = float(report["seconds"]), str(report["stdout"])
        peak = max(int(other["maxrss_kb"]) for _, other in pairs) * 1024
        inside = _inside(output)
        ratio = seconds / low
        print(f"-- the pair with the median ratio of {len(pairs)}:")
        print(output.rstrip())
        print(f"floor (read every table, best of 3): {low:.2f} s")
        print(f"start (Python, Django, imports):     {start:.2f} s  (manage.py risk_score --help, best of 3)")
        print(f"inside the command (its 'seconds'):  {inside:.2f} s  (the read began before it)")
        print(f"before and after the command:        {seconds - inside:.2f} s")
        print(f"total (the batch in a subprocess):   {seconds:.2f} s  [target < {TARGET_SECONDS:.0f} s]")
        print(f"CPU time of the batch:               {report['cpu']:.2f} s  (user + system, both cores)")
        print(f"persons/s:                           {PERSONS / seconds:,.0f}".replace(",", " "))
        print(f"peak memory (highest of the pairs):  {peak / 1024**3:.2f} GB  [target < 4 GB]")
        print(f"ratio total/floor:                   {ratio:.2f}  [target < {TARGET_RATIO:.0f}]")
        print(f"load average before / after:         {load_before:.1f} / {load_after:.1f}")
        ok = seconds < TARGET_SECONDS and peak < TARGET_BYTES and ratio < TARGET_RATIO
        print(f"targets: {'met' if ok else 'NOT met'}")
        print()


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.iterdir() if path.is_file())


if __name__ == "__main__":
    main()
