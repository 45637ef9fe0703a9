#!/usr/bin/env python
"""The KE overview benchmark as a script: the same as ``manage.py bench_ke_overview``, with the
same arguments, runnable from anywhere. See benchmarks/README.md.

    DEBUG=1 python benchmarks/ke_overview.py --persons 5000
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", "bench_ke_overview", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
