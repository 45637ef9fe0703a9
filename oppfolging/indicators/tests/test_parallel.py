"""The dashboard's indicators on several connections at once (``oppfolging.indicators.parallel``)
give exactly the figures one connection gives.

Other connections cannot see a test's uncommitted rows, so this runs where the data are
committed: in ``manage.py shell`` on the browser tests' database (the demo with Fjordvik's
synthetic population), on whichever database the suite runs on. On PostgreSQL the work must
really be shared between connections; on SQLite it must stay on one.
"""

from __future__ import annotations

import json

from tests.browser.server import BrowserServer, manage, server_env

CODE = """
import json
from django.db import connection
from django.test import override_settings
from django.utils import timezone
import oppfolging.indicators.definitions
from oppfolging.core.demo import TOWNS
from oppfolging.core.models import Municipality
from oppfolging.core.tenancy import municipality_scope, unscoped
from oppfolging.indicators import parallel
from oppfolging.indicators.base import Scope, Step, Window, indicators
from oppfolging.indicators.selectors import default_period

with unscoped():
    fjordvik = Municipality.objects.get(number=TOWNS[0].number)
today = timezone.localdate()
scope = Scope(fjordvik.pk, today=today)
used = set()

def figures(window):
    def work(item):
        connection.ensure_connection()
        used.add(id(connection.connection))
        outcome = item.run(scope, window)
        return [[[cell.value, cell.hidden] for cell in line.all_cells] for line in outcome.lines]
    return work

found = {"vendor": connection.vendor}
with municipality_scope(fjordvik):
    for step in ("quarter", "month"):
        window = Window.of(*default_period(today, step), step)
        with override_settings(INDICATOR_CONNECTIONS=1):
            one = parallel.run_all(indicators(), figures(window))
        found[step + "_one"] = len(used)
        used.clear()
        with override_settings(INDICATOR_CONNECTIONS=3):
            several = parallel.run_all(indicators(), figures(window))
        found[step + "_several"] = len(used)
        used.clear()
        found[step + "_equal"] = one == several
        cells = [cell for lines in one for line in lines for cell in line]
        found[step + "_shown"] = sum(1 for value, hidden in cells if value and not hidden)
print(json.dumps(found))
"""


def test_several_connections_give_the_figures_one_gives(browser_server: BrowserServer) -> None:
    output = manage(["shell", "-c", CODE], server_env(browser_server.database_url))
    found = json.loads(output.strip().splitlines()[-1])
    for step in ("quarter", "month"):
        assert found[f"{step}_equal"] is True
        assert found[f"{step}_one"] == 1
        # Real figures, not only zeros and hidden cells: the synthetic population is there.
        assert found[f"{step}_shown"] > 50
        if found["vendor"] == "postgresql":
            assert found[f"{step}_several"] >= 2
        else:
            assert found[f"{step}_several"] == 1
