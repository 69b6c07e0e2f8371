"""The last check before publishing: a figure that cannot be true is never published.

Whatever slipped through loading (a population loaded after its participants, a negative budget line), no published
figure is infinite, no share of the catalogue lies outside 0-100% or has a numerator above its denominator, and no
count, duration or ratio is negative. Such rows are withheld (not published at all) and counted in the log.
"""

from __future__ import annotations

import duckdb

from common import cli

# Units of the declared catalogue whose values are never negative.
NON_NEGATIVE = ("%", "aantal", "dagen", "ratio")

_IMPOSSIBLE = f"""
    (r.waarde IS NOT NULL AND NOT isfinite(r.waarde))
    OR (r.teller IS NOT NULL AND (NOT isfinite(r.teller) OR r.teller < 0))
    OR (r.noemer IS NOT NULL AND (NOT isfinite(r.noemer) OR r.noemer < 0))
    OR (c.indicator_id IS NOT NULL AND c.eenheid = '%'
        AND (r.waarde > 100 OR r.waarde < 0 OR (r.noemer IS NOT NULL AND r.teller > r.noemer)))
    OR (c.indicator_id IS NOT NULL AND c.eenheid IN {NON_NEGATIVE} AND r.waarde < 0)
"""


def withhold_impossible(con: duckdb.DuckDBPyConnection) -> int:
    """Delete impossible rows from `_iv_raw` (needs `_iv_cat`); returns how many there were."""
    count = con.execute(
        f"SELECT count(*) FROM _iv_raw r LEFT JOIN _iv_cat c USING (indicator_id) WHERE {_IMPOSSIBLE}"
    ).fetchone()[0]
    if count:
        con.execute(
            f"""DELETE FROM _iv_raw WHERE rowid IN (
                SELECT r.rowid FROM _iv_raw r LEFT JOIN _iv_cat c USING (indicator_id) WHERE {_IMPOSSIBLE})"""
        )
        cli.logger().warning("%d onmogelijke cijfers niet gepubliceerd (oneindig, negatief of boven 100%%)", count)
    return count
