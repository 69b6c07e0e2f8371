"""What the command lines share: the year option, and a Dutch last word for an error in our own code.

An error nobody expected is a bug: the command stops with exit status 3 and one Dutch line, and the traceback goes
to the log file (`$JEUGDMONITOR_LOG`, else `data/jeugdmonitor.log`), never to the user's screen. It is not hidden:
nothing is reported as success.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR_MIN, YEAR_MAX = 1900, 2100
EXIT_BUG = 3


def year(text: str) -> int:
    """argparse type for `--jaar`: a whole year the product handles."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--jaar verwacht een jaartal, niet '{text}'") from None
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise argparse.ArgumentTypeError(f"--jaar {value} ligt niet tussen {YEAR_MIN} en {YEAR_MAX}")
    return value


def log_path() -> Path:
    return Path(os.environ.get("JEUGDMONITOR_LOG") or ROOT / "data" / "jeugdmonitor.log")


def logger() -> logging.Logger:
    """The file log the command lines and the app write causes to."""
    log = logging.getLogger("jeugdmonitor")
    path = log_path().resolve()
    files = [h for h in log.handlers if isinstance(h, logging.FileHandler)]
    if files and Path(files[0].baseFilename) == path:
        return log
    for handler in files:  # the log file named in the environment changed (tests, a second database)
        log.removeHandler(handler)
        handler.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return log


def install_excepthook(prog: str) -> None:
    """Route an unexpected exception to the log and print one Dutch line instead of a traceback."""

    def hook(kind, value, tb):
        if issubclass(kind, KeyboardInterrupt):
            print(f"{prog}: afgebroken.", file=sys.stderr)
            sys.exit(130)
        logger().error("%s: onverwachte fout", prog, exc_info=(kind, value, tb))
        print(f"{prog}: er ging iets mis in de Jeugdmonitor zelf ({kind.__name__}); er is niets als gelukt gemeld. "
              f"De oorzaak staat in {log_path()}.", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_BUG)  # committed work is in the database file and its WAL; nothing else is pending

    sys.excepthook = hook
