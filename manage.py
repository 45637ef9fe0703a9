#!/usr/bin/env python
import gc
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.argv[1:2] == ["risk_score"]:
        # The population batch starts reading its extract while Django starts
        # (oppfolging/risk/early.py): starting takes most of a second on one processor.
        from oppfolging.risk.early import start

        start(sys.argv[2:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
    # As Python exits it collects every object several times over: a quarter of a second with
    # Django loaded, and nothing a finished command needs. Frozen objects are not collected.
    gc.freeze()


if __name__ == "__main__":
    main()
