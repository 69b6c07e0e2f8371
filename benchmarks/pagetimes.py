"""Time the dashboard's data preparation per page, on the real pages, for the gemeente the app opens with.

Each page in `pages/` runs through Streamlit's AppTest against the benchmark database, for the gemeente and year
the app opens with, with the caches cleared first (as after a load: the version token changes, every cached
result misses), then once more with warm caches. The page's data preparation is the time spent in the functions of
`ui.data` (outermost calls only, so one function calling another is counted once); the whole script run, with
charts and widgets, is reported next to it.
"""

from __future__ import annotations

import functools
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN_TIMEOUT = 600


class DataTimer:
    """Accumulates the time of outermost calls into the wrapped functions, in total and per function."""

    def __init__(self) -> None:
        self.depth = 0
        self.reset()

    def reset(self) -> None:
        self.seconds = 0.0
        self.per_function: dict[str, float] = {}

    def wrap(self, fn):
        name = fn.__name__

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            self.depth += 1
            began = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.depth -= 1
                if self.depth == 0:
                    spent = time.perf_counter() - began
                    self.seconds += spent
                    self.per_function[name] = self.per_function.get(name, 0.0) + spent

        return timed


def instrument(timer: DataTimer) -> None:
    """Route every public function of `ui.data` through the timer (module attributes, so pages see it)."""
    from ui import data

    for name, obj in list(vars(data).items()):
        if not name.startswith("_") and callable(obj) and getattr(obj, "__module__", None) == data.__name__:
            setattr(data, name, timer.wrap(obj))


def _quiet_streamlit() -> None:
    """Outside a server every cached function warns "No runtime found"; each AppTest run resets the level."""
    from streamlit import logger

    logger.set_log_level("error")


def _run_page(at, page: str, timer: DataTimer) -> dict:
    from ui import data

    _quiet_streamlit()
    data.clear_cache()
    at.switch_page(page)
    timer.reset()
    began = time.perf_counter()
    at.run()
    cold = {"data_seconds": timer.seconds, "run_seconds": time.perf_counter() - began,
            "functions": dict(sorted(timer.per_function.items(), key=lambda kv: -kv[1]))}
    timer.reset()
    at.run()
    return cold | {"warm_data_seconds": timer.seconds, "errors": [str(e.value) for e in at.exception]}


def time_pages(db: Path | None, bron: Path | None = None) -> dict:
    """Per page, cold and warm; with `bron` the app serves that export or file read-only (`store.published`)."""
    if db is not None:
        os.environ["JEUGDMONITOR_DB"] = str(db)
    if bron is not None:
        os.environ["JEUGDMONITOR_BRON"] = str(bron)
    from streamlit.testing.v1 import AppTest

    _quiet_streamlit()
    timer = DataTimer()
    instrument(timer)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=RUN_TIMEOUT)
    at.run()
    startup_errors = [str(e.value) for e in at.exception]
    pages = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))
    results = {} if startup_errors else {page: _run_page(at, page, timer) for page in pages}
    seconds = {Path(page).stem: r["data_seconds"] for page, r in results.items() if not r["errors"]}
    slowest = max(seconds, key=seconds.get) if seconds else None
    choice = {box.key: box.value for box in at.sidebar.selectbox}
    return {"gemeente": choice.get("gemeente"), "jaar": choice.get("jaar"), "seconds": seconds, "slowest": slowest,
            "slowest_seconds": seconds.get(slowest), "startup_errors": startup_errors,
            "errors": {page: r["errors"] for page, r in results.items() if r["errors"]}, "details": results}
