"""Query results as files: formula-safe CSV, GeoJSON, and the shape of a city row.

Shared by the data API (``dashboard/api.py``) and the /table page's download,
so both write every cell the same way. Pure functions, no I/O.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from dashboard.facets import MULTI

# Text starting with one of these is run as a formula by spreadsheet programs
# (OWASP "CSV injection"); such cells get a leading apostrophe.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")



# The fields of one city in the API (JSON rows, CSV columns, GeoJSON properties), in order: its
# facts, and one list per multi-valued facet (``facets.MULTI``).
CITY_FIELDS = ("id", "name", "country", "iso3", "region", "lat", "lon", "population", "survey_wave", "respondent",
               "psi_index", "psi_source", "psi_tier", "strategy", "funding", "team", *(f.key for f in MULTI),
               "city_path", "source_url")


def csv_cell(value):
    """One value as a CSV cell that a spreadsheet shows as data and never runs.

    None is an empty cell, booleans are ``true``/``false``, numbers stay
    numbers, lists are joined with ``;`` (as in the source files), and text
    starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
    prefixed with a single quote.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (list, tuple)):
        value = ";".join("" if v is None else str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def to_csv(columns: Sequence[tuple[str, str]], rows: Iterable[Mapping]) -> str:
    """CSV text: a header row of the columns' titles, then one line per row.

    ``columns`` are ``(key, title)`` pairs; every cell goes through ``csv_cell``.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([csv_cell(title) for _, title in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(key)) for key, _ in columns])
    return buf.getvalue()


def feature_collection(records: Iterable[Mapping]) -> dict:
    """City records as a GeoJSON FeatureCollection (points; properties are the records, no HTML)."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": r["id"], "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
         "properties": dict(r)} for r in records]}
