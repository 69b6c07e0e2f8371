"""Wait times per productcategorie: median with its distribution-free interval, P80 and share within that
category's own norm, checked against numpy and a binomial search written out here."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

import indicators
from indicators import catalog
from tests.test_indicators_helpers import new_db, regions, rows
from tests.test_indicators_trajecten import GM, WK1, WK2, _waits

GGZ = [3, 40, 12, 28, 29, 7, 61, 15, 28, 33, 90, 5, 21, 26, 30, 44, 8, 17, 19, 55, 2, 36, 27, 11, 14, 70]
BASIS = [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9, 40]
OTHER = [4, 9, 20, 2, 6, 10, 11, 12, 13, 14, 15]  # 11 starts, all within the norm


def lower_rank(n: int) -> int:
    """The largest l with P(B <= l - 1) <= 2,5% for B ~ Binomial(n, 1/2), by walking up from 0."""
    rank = 0
    while binom.cdf(rank, n, 0.5) <= 0.025:
        rank += 1
    return rank


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    connection = new_db(tmp_path_factory.mktemp("wacht"))
    regions(connection)
    connection.execute("INSERT INTO normen (productcategorie, norm_dagen, soort_dagen) VALUES "
                       "('jeugd_ggz', 28, 'kalenderdagen'), ('basishulp', 5, 'werkdagen')")
    _waits(connection, WK1, GGZ, cat="jeugd_ggz", prefix="g")
    _waits(connection, WK1, BASIS, cat="basishulp", prefix="b")
    _waits(connection, WK2, OTHER, cat="jeugd_ggz", prefix="k")
    _waits(connection, WK2, [4, 9, 30, 2, 6], cat="jeugdhulp_ambulant", prefix="a")  # 5 starts: suppressed
    indicators.refresh(connection)
    yield connection
    connection.close()


def test_median_p80_and_interval_per_category(con):
    row = rows(con, "wachttijd_jeugd_ggz_mediaan_dagen", WK1)["2023"]
    ordered = sorted(GGZ)
    rank = lower_rank(len(GGZ))
    assert rank == 8  # n = 26: the textbook interval x(8) .. x(19)
    assert row["waarde"] == pytest.approx(np.median(GGZ))
    assert (row["ci_laag"], row["ci_hoog"]) == (ordered[rank - 1], ordered[len(GGZ) - rank])
    assert row["noemer"] == len(GGZ)
    p80 = rows(con, "wachttijd_jeugd_ggz_p80_dagen", WK1)["2023"]["waarde"]
    assert p80 == pytest.approx(np.percentile(GGZ, 80))


def test_share_within_the_categorys_own_norm(con):
    ggz = rows(con, "wachttijd_jeugd_ggz_binnen_norm_pct", GM)["2023"]  # the wijken: suppressed (small complements)
    starts = GGZ + OTHER
    assert ggz["waarde"] == pytest.approx(100 * sum(w <= 28 for w in starts) / len(starts))
    assert rows(con, "wachttijd_jeugd_ggz_binnen_norm_pct", WK2)["2023"]["onderdrukt"]


def test_all_categories_together_is_unchanged_and_small_cells_are_suppressed(con):
    pooled = rows(con, "wachttijd_mediaan_dagen", WK1)["2023"]
    assert pooled["waarde"] == pytest.approx(np.median(GGZ + BASIS))
    assert pooled["ci_laag"] is not None
    small = rows(con, "wachttijd_jeugdhulp_ambulant_mediaan_dagen", WK2)["2023"]
    assert small["onderdrukt"] and small["waarde"] is None and small["ci_laag"] is None
    gemeente = rows(con, "wachttijd_jeugd_ggz_mediaan_dagen", GM)["2023"]
    assert gemeente["waarde"] == pytest.approx(np.median(GGZ + OTHER))


def test_the_catalogue_knows_each_category_and_its_norm_indicator_is_a_proportion(con):
    ids = {i.id for i in catalog.all_indicators(con)}
    assert {"wachttijd_jeugd_ggz_mediaan_dagen", "wachttijd_basishulp_binnen_norm_pct"} <= ids
    ind = catalog.get(None, "wachttijd_jeugd_ggz_binnen_norm_pct")
    assert ind.proportie and ind.productcategorie == "jeugd_ggz" and ind.eigen_registratie
