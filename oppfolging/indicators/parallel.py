"""The dashboard's indicators side by side on PostgreSQL, all reading one snapshot.

Each indicator is one to four independent read-only aggregate queries. On one connection they
run one after another, and the database server works on one core while the others wait. Here
the request's connection and up to ``INDICATOR_CONNECTIONS - 1`` more (each in a thread of its
own) take the next indicator from one shared list until it is empty, and PostgreSQL runs their
queries at the same time.

The figures stay as consistent as one connection's: the request's connection opens a read-only
REPEATABLE READ transaction and exports its snapshot (``pg_export_snapshot()``), and every other
connection's transaction imports it (``SET TRANSACTION SNAPSHOT``) before it reads anything. Every
indicator is then computed from the same moment's data, whichever connection computed it.

One connection, one indicator after another as before, when:

- the database is not PostgreSQL (SQLite has no shared snapshots, and its tests' database lives
  in one connection's memory);
- ``INDICATOR_CONNECTIONS`` is 1;
- the request's connection is already inside a transaction (a test's: what the test wrote is
  not committed, so no other connection could see it).

The other connections belong to a few threads kept for the process, so they stay open from
one request to the next like the request's own (``CONN_MAX_AGE``): a new PostgreSQL backend
plans its first queries with cold caches.
"""

from __future__ import annotations

import contextvars
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation

Item = TypeVar("Item")
Value = TypeVar("Value")

SNAPSHOT_ID = re.compile(r"^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$")
READ_ONLY_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"


def connections_to_use() -> int:
    """How many connections :func:`run_all` would use now (1: the request's alone)."""
    wanted = max(1, int(getattr(settings, "INDICATOR_CONNECTIONS", 1)))
    if wanted == 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return wanted


def run_all(items: Sequence[Item], work: Callable[[Item], Value]) -> list[Value]:
    """``work(item)`` for every item, in the items' order; see the module docstring for how."""
    workers = min(connections_to_use(), len(items))
    if workers <= 1:
        return [work(item) for item in items]
    results: dict[int, Value] = {}
    queue = list(enumerate(items))
    lock = threading.Lock()

    def take() -> tuple[int, Item] | None:
        with lock:
            return queue.pop(0) if queue else None

    def drain() -> None:
        while (task := take()) is not None:
            index, item = task
            results[index] = work(item)

    language = translation.get_language()

    def other(snapshot: str) -> None:
        # The thread's own connection stays open for the next request (a new PostgreSQL
        # backend starts with cold caches: its first queries cost several times more), unless
        # it is broken or older than CONN_MAX_AGE.
        connection.close_if_unusable_or_obsolete()
        with translation.override(language), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(READ_ONLY_SNAPSHOT)
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            drain()

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(READ_ONLY_SNAPSHOT)
            cursor.execute("SELECT pg_export_snapshot()")
            row = cursor.fetchone()
        snapshot = str(row[0]) if row else ""
        if not SNAPSHOT_ID.match(snapshot):  # it is written into SQL below
            raise RuntimeError(f"unexpected snapshot id from PostgreSQL: {snapshot!r}")
        # Each thread runs in a copy of this context: the municipality's tenancy scope is a
        # context variable, and a thread starts without it.
        pool = _pool(workers - 1)
        futures = [pool.submit(contextvars.copy_context().run, other, snapshot) for _ in range(workers - 1)]
        try:
            drain()
        finally:
            with lock:
                queue.clear()  # on an error here, the others stop after their current item
            for future in futures:
                future.cancel()  # not started (the threads busy with another request): not needed
            for future in futures:
                if not future.cancelled():
                    future.result()
    return [results[index] for index in range(len(items))]


_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()


def _pool(size: int) -> ThreadPoolExecutor:
    """The process's threads for the other connections (kept, with their connections, from
    one request to the next)."""
    with _POOLS_LOCK:
        if size not in _POOLS:
            _POOLS[size] = ThreadPoolExecutor(max_workers=size, thread_name_prefix="indicators")
        return _POOLS[size]
