"""The server the browser tests talk to: ``manage.py runserver`` in a subprocess, on a fresh
database of its own with the demo loaded.

Not pytest-django's ``live_server``: that one empties its database between tests by flushing it,
and the audit table refuses DELETE by a database trigger, so every flush would fail. Here the
server gets a database nobody else uses — a temporary SQLite file, or ``<name>_browser`` beside
the PostgreSQL database that ``DATABASE_URL`` names — and nothing inside it is ever cleaned up:
the whole database goes at the end.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg
import pytest
from psycopg import sql

from config.env import env_str

REPO = Path(__file__).resolve().parents[2]
SERVER_START_SECONDS = 60.0
MANAGE_SECONDS = 300.0


@dataclass(frozen=True)
class DemoUser:
    """One entry of ``manage.py demo_logins --json``."""

    username: str
    password: str
    name: str = ""
    kind: str = ""
    roles: list[str] = dataclasses.field(default_factory=list)
    units: list[str] = dataclasses.field(default_factory=list)
    municipality: str = ""

    @property
    def is_citizen(self) -> bool:
        return self.kind == "citizen"


@dataclass(frozen=True)
class BrowserServer:
    url: str
    users: dict[str, DemoUser]
    database_url: str
    log: Path


# --- manage.py ------------------------------------------------------------------------------


def server_env(database_url: str) -> dict[str, str]:
    """The environment of `make run`: DEBUG, synthetic identity numbers, and our database."""
    env = dict(os.environ)
    # The *_FILE form wins over the plain variable in config.env: it must not point elsewhere.
    env.pop("DATABASE_URL_FILE", None)
    # The server is the development server, not a test process.
    env.pop("OPPFOLGING_TESTING", None)
    env.update(DATABASE_URL=database_url, DEBUG="1", ALLOW_SYNTHETIC_IDS="1", PYTHONUNBUFFERED="1")
    # Risk score files of this throwaway server go with it, not into the checkout's var/.
    key = hashlib.sha256(database_url.encode()).hexdigest()[:16]
    env["OPPFOLGING_RISK_STORE_DIR"] = str(Path(tempfile.gettempdir()) / f"oppfolging-risk-{key}")
    return env


def manage(args: list[str], env: dict[str, str]) -> str:
    """Run ``manage.py`` with ``args``; its standard output, or a readable failure."""
    command = [sys.executable, "manage.py", *args]
    try:
        done = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
            command,
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=MANAGE_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"manage.py {' '.join(args)} took more than {MANAGE_SECONDS:.0f} s", pytrace=False)
    if done.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} failed (exit {done.returncode}) for the browser tests' "
            f"database {env['DATABASE_URL']}:\n{done.stdout}\n{done.stderr}",
            pytrace=False,
        )
    return done.stdout


def demo_users(output: str) -> dict[str, DemoUser]:
    """The users of ``manage.py demo_logins --json``, by username."""
    try:
        entries: list[dict[str, Any]] = json.loads(output)
    except json.JSONDecodeError as exc:
        pytest.fail(f"manage.py demo_logins --json did not print JSON ({exc}):\n{output}", pytrace=False)
    known = {f.name for f in dataclasses.fields(DemoUser)}
    users = {
        entry["username"]: DemoUser(**{k: v for k, v in entry.items() if k in known}) for entry in entries
    }
    if not users:
        pytest.fail("manage.py demo_logins --json listed no users after manage.py demo", pytrace=False)
    return users


# --- runserver ------------------------------------------------------------------------------


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
        return response.status == 200
    except OSError:
        return False
    finally:
        connection.close()


@contextlib.contextmanager
def serve(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """``runserver`` on a free port of 127.0.0.1 until the block ends; its URL once /healthz
    answers. Its output goes to ``log_path``, and the end of it into any failure."""
    port = _free_port()
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
            command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + SERVER_START_SECONDS
            while not _healthy(port):
                if process.poll() is not None:
                    pytest.fail(
                        f"runserver exited (code {process.returncode}) before answering /healthz:\n"
                        f"{_tail(log_path)}",
                        pytrace=False,
                    )
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"runserver did not answer /healthz within {SERVER_START_SECONDS:.0f} s:\n"
                        f"{_tail(log_path)}",
                        pytrace=False,
                    )
                time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- The database ---------------------------------------------------------------------------


def _connect_admin(config: Mapping[str, Any]) -> psycopg.Connection[Any]:
    """A connection to a database other than the one to create or drop: ``postgres``, else the
    one DATABASE_URL names."""
    params: dict[str, Any] = {
        key: value
        for key, value in {
            "host": config.get("HOST"),
            "port": config.get("PORT"),
            "user": config.get("USER"),
            "password": config.get("PASSWORD"),
        }.items()
        if value
    }
    params.update(config.get("OPTIONS") or {})
    try:
        return psycopg.connect(dbname="postgres", autocommit=True, **params)
    except psycopg.OperationalError:
        return psycopg.connect(dbname=config["NAME"], autocommit=True, **params)


def _drop_database(config: Mapping[str, Any], name: str) -> None:
    with _connect_admin(config) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


@contextlib.contextmanager
def _fresh_postgres(url: str) -> Iterator[str]:
    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_browser"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:  # each xdist worker has a server of its own
        name = f"{name}_{worker}"
    _drop_database(config, name)  # left over from a run that was killed
    with _connect_admin(config) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    finally:
        _drop_database(config, name)


@contextlib.contextmanager
def fresh_database(directory: Path) -> Iterator[str]:
    """The URL of an empty database for the server, gone when the block ends: ``<name>_browser``
    when DATABASE_URL is PostgreSQL, else a SQLite file in ``directory``."""
    configured = env_str("DATABASE_URL")
    engine = dj_database_url.parse(configured)["ENGINE"] if configured else ""
    if configured and engine.startswith("django.db.backends.postgresql"):
        with _fresh_postgres(configured) as url:
            yield url
        return
    if configured and engine != "django.db.backends.sqlite3":
        pytest.fail(f"The browser tests know SQLite and PostgreSQL, not {engine}", pytrace=False)
    yield f"sqlite:///{directory / 'browser.sqlite3'}"
