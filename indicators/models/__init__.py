"""Models over all wijken in the database, written where every other indicator's rows go before suppression.

`verwacht`: the jeugdzorg use a wijk's composition predicts (indicator `jeugdhulp_verwacht_pct`), with its model
card; `context`: the KWB measures it explains with; `oordeel`: the one verdict "hoger/lager dan verwacht".
"""

from indicators.models.oordeel import HOGER, LAGER, ZOALS, oordeel, trechter, vergelijking
from indicators.models.kaart import BETEKENIS, Modelkaart, kaart, kaarten

__all__ = [
    "BETEKENIS", "HOGER", "LAGER", "Modelkaart", "ZOALS", "kaart", "kaarten", "oordeel", "trechter", "vergelijking",
]
