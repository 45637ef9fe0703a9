#!/usr/bin/env python
"""The leaders' indicators at two sizes side by side (issue 6): «Indikator kommune» with 3 000
and with 30 000 persons in the pathway (about 300 000 goals, sub-goals and measures and
1 000 000 audit rows at 30 000), each in a database of its own, built once and kept.

    make bench-indicators      (throwaway SQLite databases under var/bench/)
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/oppfolging_bench make bench-indicators

For each size it builds the database unless one built by the same builder (a hash of
``oppfolging/indicators/bench.py``) with the same size, seed and history is there (a small JSON
file beside it under var/bench/ says how it was built); then it measures both, one after the
other, with ``manage.py bench_indicators`` in a subprocess per database, and prints the rows per
table, the build time, the pages' queries and server times, the slowest indicators, the time
ratio and the targets. With PostgreSQL the databases are ``<name>_indicators_<size>`` beside
the one named (created and dropped here; the name must contain "bench").

BENCH_INDICATORS_SIZES="300 3000" for a quick run; BENCH_RUNS (default 10) timed requests a page.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
SIZES = [int(size) for size in os.environ.get("BENCH_INDICATORS_SIZES", "3000 30000").split()]
RUNS = int(os.environ.get("BENCH_RUNS", "10"))
SEED, YEARS = 1, 3  # as oppfolging/indicators/management/commands/bench_indicators.py


def _builder_hash() -> str:
    source = (ROOT / "oppfolging" / "indicators" / "bench.py").read_bytes()
    return hashlib.sha256(source).hexdigest()[:16]


def _database(base: str, size: int) -> str:
    if not base or base.startswith("sqlite"):
        return f"sqlite:///{BENCH_DIR / f'indicators-{size}.sqlite3'}"
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/')}_indicators_{size}"
    if "bench" not in name:
        raise SystemExit(f'Refusing: the PostgreSQL database "{name}" has no "bench" in its name.')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _shown(url: str) -> str:
    """The URL without a password, for the cache file and the output."""
    if url.startswith("sqlite"):
        return url
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


def _postgres(url: str, *, recreate: bool) -> bool:
    """Whether the database exists; with ``recreate``, drop it (the audit rows cannot be
    deleted any other way) and create it empty."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if recreate:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return exists


def _exists(url: str) -> bool:
    if url.startswith("sqlite"):
        return Path(urlsplit(url).path).exists()
    return _postgres(url, recreate=False)


def _fresh(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(urlsplit(url).path)
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        _postgres(url, recreate=True)


def _manage(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    env.pop("DATABASE_URL_FILE", None)
    env.pop("OPPFOLGING_TESTING", None)
    command = [sys.executable, "manage.py", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603 - our own manage.py
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed (exit {done.returncode}) on {_shown(url)}")


def _run(url: str, size: int, *extra: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "result.json"
        _manage(url, "bench_indicators", "--persons", str(size), "--json", str(out), *extra)
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def _built(url: str, size: int) -> dict[str, Any]:
    """The database of ``size`` persons, built unless the cache says it is there already."""
    cache = BENCH_DIR / f"indicators-{size}-{urlsplit(url).scheme}.json"
    wanted = {
        "builder": _builder_hash(),
        "persons": size,
        "seed": SEED,
        "years": YEARS,
        "database": _shown(url),
    }
    if cache.exists() and _exists(url):
        known: dict[str, Any] = json.loads(cache.read_text(encoding="utf-8"))
        if {key: known.get(key) for key in wanted} == wanted:
            print(f"{size} persons: reusing {_shown(url)} (built {known['built_on']})", flush=True)
            return {**known, "reused": True}
    print(f"{size} persons: building {_shown(url)} ...", flush=True)
    _fresh(url)
    _manage(url, "migrate", "--noinput", "-v0")
    result = _run(url, size, "--build-only")  # the history ends today (Oslo)
    # ``wanted`` last: the command's own "database" (vendor and name) must not replace the URL
    # the next run compares with, or every run rebuilds.
    known = {**result, **wanted, "built_on": result["end"]}
    cache.write_text(json.dumps(known, indent=1), encoding="utf-8")
    return known


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from oppfolging.indicators.management.commands.bench_indicators import report

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    base = os.environ.get("BENCH_DATABASE_URL", "")
    databases = {size: _database(base, size) for size in SIZES}
    builds = {size: _built(url, size) for size, url in databases.items()}
    results = []
    for size, url in databases.items():
        print(f"{size} persons: measuring ...", flush=True)
        result = _run(url, size, "--end", builds[size]["end"], "--runs", str(RUNS))
        result["build_seconds"] = builds[size].get("build_seconds")
        result["reused"] = builds[size].get("reused", False)
        result["database"] = _shown(url)
        results.append(result)
    saved = BENCH_DIR / f"indicators-results-{urlsplit(databases[SIZES[-1]]).scheme}.json"
    saved.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print()
    print("\n".join(report(results)))
    print(f"\n(every figure, each indicator's time and query count included: {saved.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
