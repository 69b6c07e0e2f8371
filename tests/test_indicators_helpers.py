"""Hand-made store rows for the indicator tests (no tests in this module)."""

from __future__ import annotations

import datetime as dt

import store


def new_db(tmp_path):
    return store.connect(tmp_path / "t.duckdb")


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def regions(con, gemeente="GM0001", wijken=("WK000101", "WK000102"), groep=None, jz="JZ01", pv="PV01"):
    rows = [(gemeente, f"Gemeente {gemeente}", "GM", groep)] + [(w, f"Wijk {w}", "WK", None) for w in wijken]
    # Like a regios file: these rows replace the built-in reference's (load_id 0) where codes meet.
    existing = {r[0] for r in con.execute("SELECT code FROM regions WHERE load_id IS DISTINCT FROM 0").fetchall()}
    for code, name, niveau in ((jz, "Jeugdregio", "JZ"), (pv, "Provincie", "PV"), ("NL01", "Nederland", "NL")):
        if code not in existing:
            rows.append((code, name, niveau, None))
    con.executemany("INSERT OR REPLACE INTO regions (code, name, niveau, vergelijkingsgroep) VALUES (?, ?, ?, ?)",
                    rows)
    parents = [(w, gemeente) for w in wijken] + [(gemeente, jz), (gemeente, pv)]
    if pv not in existing:
        parents.append((pv, "NL01"))
    con.executemany("INSERT INTO region_parents (code, parent_code) VALUES (?, ?)", parents)


def trajecten(con, rows):
    """rows: dicts with client_id, wijk_code, aanmelddatum and optional other columns (dates as ISO text)."""
    cols = ("client_id", "huishouden_id", "wijk_code", "aanmelddatum", "startdatum", "einddatum",
            "productcategorie", "verwijzer")
    data = []
    for r in rows:
        r = {"productcategorie": "basishulp", **r}
        data.append(tuple(d(r[c]) if c.endswith("datum") and r.get(c) else r.get(c) for c in cols))
    con.executemany(f"INSERT INTO trajecten ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", data)


def clients(con, wijk, n, prefix=None, start="2023-03-01", **extra):
    """n clients in a wijk, each with one trajectory requested a month before `start`, started and running."""
    prefix = prefix or wijk
    request = (d(start) - dt.timedelta(days=30)).isoformat()
    trajecten(con, [{"client_id": f"{prefix}-{i}", "wijk_code": wijk, "aanmelddatum": request,
                     "startdatum": start, **extra} for i in range(n)])


def bevolking(con, regio, jaar, bands):
    con.executemany(
        "INSERT INTO bevolking (regio_code, jaar, leeftijd_van, leeftijd_tot, aantal) VALUES (?, ?, ?, ?, ?)",
        [(regio, jaar, van, tot, n) for van, tot, n in bands],
    )


def cbs(con, table, regio, jaar, measure, value, reason=None, periode=None):
    con.execute(
        """
        INSERT INTO cbs_values (table_id, regio_code, periode, jaar, measure, original_key, value, missing_reason)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [table, regio, periode or str(jaar), jaar, measure, measure + "_1", value, reason],
    )


def rows(con, indicator_id, regio=None, periode=None, soort=""):
    """indicator_values rows as dicts, keyed by regio_code (one periode) or periode (one regio)."""
    cur = con.cursor()
    frame = cur.execute(
        """
        SELECT * FROM indicator_values
        WHERE indicator_id = ? AND (? IS NULL OR regio_code = ?) AND (? IS NULL OR periode = ?) AND soort = ?
        """,
        [indicator_id, regio, regio, periode, periode, soort],
    ).df()
    key = "periode" if regio else "regio_code"
    records = [{k: (None if v is None or v != v else v) for k, v in r.items()} for r in frame.to_dict("records")]
    return {r[key]: r for r in records}
