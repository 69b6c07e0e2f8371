"""How long a command-line load waits beside the running dashboard while visitors keep it busy.

Starts the real app (`streamlit run`) on a copy of the demo's content as a user's own database, keeps VISITORS
Chromium tabs reloading pages without pause, and meanwhile runs LOADS loads of a small file through the real command
line, one after another. For each load it prints the total time and the wait: the moment the command could start
reading its file, which is after it took the writer lock and opened the database (the app lets go of it between page
runs). Run: `python -m benchmarks.beside_app [--visitors 3] [--loads 5]`.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, PAGES, running_app  # noqa: E402

WAITED = re.compile(r"\[\s*([\d.]+) s\] [^\n]*: lezen")


def own_database(folder: Path) -> Path:
    """The demo's content as a user's own database (the demo database refuses other loads)."""
    import store
    from loaders import build_demo

    db = folder / "eigen.duckdb"
    con = store.connect(db)
    build_demo(con)
    con.execute("UPDATE load_log SET is_demo = false")
    con.close()
    return db


async def visitor(browser, url: str, stop: asyncio.Event, runs: list[float]) -> None:
    page = await browser.new_page(viewport={"width": 1366, "height": 900})
    paths = list(PAGES.values())
    n = 0
    while not stop.is_set():
        started = time.monotonic()
        await page.goto(f"{url}/{paths[n % len(paths)]}")
        await page.wait_for_selector('[data-testid="stMain"] h1', timeout=120_000)
        await page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                     timeout=120_000)
        runs.append(time.monotonic() - started)
        n += 1
    await page.close()


async def load(db: Path, folder: Path, n: int) -> tuple[float, float, str]:
    norms = folder / f"normen_{n}.csv"
    norms.write_text(f"productcategorie;norm_dagen;soort_dagen;bron\nbasishulp;{10 + n};werkdagen;Meting {n}\n",
                     encoding="utf-8")
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "loaders", "load", str(norms), "--db", str(db),
                                                cwd=ROOT, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate()
    total = time.monotonic() - started
    text = err.decode()
    if proc.returncode != 0 or "Traceback" in text:
        raise RuntimeError(f"load {n} failed:\n{out.decode()}\n{text}")
    return total, float(WAITED.search(text).group(1)), text


async def measure(visitors: int, loads: int) -> None:
    from playwright.async_api import async_playwright

    folder = Path(tempfile.mkdtemp(prefix="beside_app_"))
    db = own_database(folder)
    alone = [await load(db, folder, 100 + n) for n in range(2)]
    with running_app(db, folder / "streamlit.log") as url:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            stop, runs = asyncio.Event(), []
            tasks = [asyncio.create_task(visitor(browser, url, stop, runs)) for _ in range(visitors)]
            await asyncio.sleep(10)
            results = []
            for n in range(loads):
                results.append(await load(db, folder, n))
                await asyncio.sleep(1)
            stop.set()
            await asyncio.gather(*tasks)
            await browser.close()
    with duckdb.connect(str(db), read_only=True) as con:
        norm = con.execute("SELECT norm_dagen FROM normen WHERE productcategorie = 'basishulp'").fetchone()[0]
    shutil.rmtree(folder, ignore_errors=True)
    for total, waited, _ in alone:
        print(f"zonder dashboard: {total:.2f} s in totaal, tot het lezen van het bestand {waited:.2f} s")
    print(f"{visitors} bezoekers, {len(runs)} paginaruns (mediaan {statistics.median(runs):.2f} s, "
          f"max {max(runs):.2f} s); laatste norm in de database: {norm} (verwacht {10 + loads - 1})")
    for n, (total, waited, _) in enumerate(results):
        print(f"lading {n + 1}: {total:.2f} s in totaal, tot het lezen van het bestand {waited:.2f} s")
    waits = [w for _, w, _ in results]
    print(f"wachten tot lezen: mediaan {statistics.median(waits):.2f} s, max {max(waits):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=3)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(measure(args.visitors, args.loads))


if __name__ == "__main__":
    main()
