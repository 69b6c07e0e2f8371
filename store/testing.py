"""A pause point for tests that kill a process at a chosen moment (`JEUGDMONITOR_TEST_PAUSE=<point>`).

The process says `PAUZE <point>` on stderr and sleeps (`JEUGDMONITOR_TEST_PAUSE_SECONDS`, default 600), so a test
can send it SIGKILL exactly there, or let another process meet it there. Unset (always, outside tests) it does
nothing.
"""

from __future__ import annotations

import os
import sys
import time


def pause_for_test(point: str) -> None:
    if os.environ.get("JEUGDMONITOR_TEST_PAUSE") == point:
        print(f"PAUZE {point}", file=sys.stderr, flush=True)
        time.sleep(float(os.environ.get("JEUGDMONITOR_TEST_PAUSE_SECONDS", 600)))
