"""A pause point for tests that stop a process at a chosen moment (`JEUGDMONITOR_TEST_PAUSE=<point>`).

The process says `PAUZE <point>` on stderr and waits there, so a test can send it SIGKILL exactly there or let
another process meet it there. It goes on when the file `$JEUGDMONITOR_TEST_RESUME` exists (checked every 50 ms),
else after 600 seconds. Unset (always, outside tests) it does nothing.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

MAX_PAUSE = 600


def pause_for_test(point: str) -> None:
    if os.environ.get("JEUGDMONITOR_TEST_PAUSE") != point:
        return
    print(f"PAUZE {point}", file=sys.stderr, flush=True)
    resume = os.environ.get("JEUGDMONITOR_TEST_RESUME")
    deadline = time.monotonic() + MAX_PAUSE
    while time.monotonic() < deadline and not (resume and Path(resume).exists()):
        time.sleep(0.05)
