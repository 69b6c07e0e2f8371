"""Starting the real app with `streamlit run` and driving it with Playwright on Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
# url path per page; Overzicht is the default page and lives at the root.
PAGES = {"overzicht": "", "wijkverschillen": "wijkverschillen", "trends": "trends", "toegang": "toegang",
         "financien": "financien", "presentatie": "presentatie", "gegevens": "gegevens"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(db: Path, log: Path, *, port: int | None = None, extra_args: tuple[str, ...] = (),
                env: dict[str, str] | None = None):
    """The dashboard as a user starts it, on its own port and database; stopped afterwards.

    `extra_args` are further `streamlit run` options, e.g. `--secrets.files` for a test's own login settings;
    `env` further environment variables, e.g. `JEUGDMONITOR_BRON` to serve an export read-only.
    """
    port = port or free_port()
    env = {**os.environ, "JEUGDMONITOR_DB": str(db), **(env or {})}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", *extra_args],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            _wait_healthy(port, proc, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_healthy(port: int, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not become healthy:\n{log.read_text()}")


def first_visit(browser, url: str) -> None:
    """Open the root once, as a first visitor would.

    With a `pages/` folder Streamlit runs the very first script run after a start in its legacy folder mode; a
    widget used during that one run (for instance an upload on a deep-linked page) is dropped on the next run.
    Every later run, in any session, goes through `st.navigation` in app.py.
    """
    page = browser.new_page()
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    page.close()


def copy_db(source: Path, folder: Path) -> Path:
    target = folder / "app.duckdb"
    shutil.copy(source, target)
    return target


def open_select(page, key: str) -> list[str]:
    """Open a Streamlit selectbox (a combobox) and return the texts of its options."""
    page.locator(f".st-key-{key} button[aria-haspopup='listbox']").click()
    page.get_by_role("option").first.wait_for()
    return [o.strip() for o in page.get_by_role("option").all_inner_texts()]


def settle(page) -> None:
    """Wait until Streamlit has finished running the script (no 'running' indicator, no stale elements)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_selector('[data-testid="stMain"] h1')
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')",
        timeout=60_000,  # a load beside the app may hold a run for a while
    )
