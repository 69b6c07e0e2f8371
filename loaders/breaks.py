"""Boundary changes CBS reports per region: the `Indelingswijziging…` columns of KWB and the youth-care wijk tables.

Value 1 = code and area as the year before; 2 = new code, same area; 3 = area changed (CBS's definition). Rows with
2 or 3 become `region_breaks` (code, jaar, wijziging; read in SQL by `loaders.cbs_wide`); the indicator layer
marks those figures (`indicators.breaks`).
"""

from __future__ import annotations

import re

INDELING_COLUMN = re.compile(r"^indelingswijziging\w*$", re.IGNORECASE)
