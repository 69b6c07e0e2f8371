"""Published figures always belong to the data in the database.

A load recomputes the indicators in its own transaction (`loaders.pipeline.load_file`). A write that leaves the
recompute for later (`refresh=False`: tests, the benchmark's phases) marks the figures stale in its transaction
instead, and so does the migration of a database written before this rule; whoever next opens the database to write
(`store.writing`, which every command and the app pass through) recomputes them first.
"""

from __future__ import annotations

from store.errors import StoreError
from store.lock import Progress

STALE = "figures_stale"


class NothingPublished(RuntimeError):
    """`indicators.NietsGepubliceerd` as the store sees it: inputs present, nothing published (Dutch message)."""


def mark_stale(cur) -> None:
    cur.execute("INSERT OR REPLACE INTO meta VALUES (?, 'true')", [STALE])


def is_stale(con) -> bool:
    return bool(con.cursor().execute("SELECT count(*) FROM meta WHERE key = ?", [STALE]).fetchone()[0])


def recompute(cur, incremental: bool = False):
    """Recompute the indicators inside the caller's transaction and clear the stale mark; returns what it
    recomputed (`indicators.scope.Scope`).

    `incremental`: only what the writes noted on `cur` changed (`indicators.scope.decide`): nothing for a load that
    changed nothing, a few gemeenten for own registration; everything when the figures were stale.
    NothingPublished when inputs are present but nothing was published: the caller rolls back.
    """
    from indicators import NietsGepubliceerd, refresh, scope, suppression

    stale = bool(cur.execute("SELECT count(*) FROM meta WHERE key = ?", [STALE]).fetchone()[0])
    what = scope.decide(cur, suppression.threshold()) if incremental and not stale else scope.EVERYTHING
    scope.forget(cur)
    if not what.nothing:
        try:
            refresh(cur, own_transaction=False, gemeenten=None if what.everything else what.gemeenten)
        except NietsGepubliceerd as exc:
            raise NothingPublished(str(exc)) from exc
    cur.execute("DELETE FROM meta WHERE key = ?", [STALE])
    return what


def repair(con, progress: Progress | None = None) -> bool:
    """Recompute stale figures in a transaction of their own; True when it did."""
    if not is_stale(con):
        return False
    if progress:
        progress("De cijfers horen niet bij de gegevens (een eerdere opdracht is afgebroken): indicatoren herberekenen")
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        recompute(cur)
        cur.execute("COMMIT")
    except NothingPublished as exc:
        cur.execute("ROLLBACK")
        raise StoreError(str(exc)) from None
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    return True
