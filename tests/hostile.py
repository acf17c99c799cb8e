"""A copy of data/ whose texts carry script, markup, javascript: links and spreadsheet formulas:
the atlas must show them as plain text and export them so no spreadsheet runs them."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

SCRIPT = "<script>window.__xss=1;alert(1)</script>"
IMG = '<img src=x onerror="window.__xss=2;alert(2)">'
JS_LINK = '<a href="javascript:alert(3)">javascript:alert(3)</a>'
FORMULAS = ('=HYPERLINK("http://example.invalid","x")', "+SUM(1,1)", "-1+1", "@SUM(1)", "\t=1+1", "\r=1+1")

# city id -> its new name (shown in tooltips, the panel, city pages, compare, the table, exports)
NAMES = {
    "bologna-ita": "Bologna" + SCRIPT,
    "madrid-esp": IMG + "Madrid",
    "amsterdam-nld": "Amsterdam " + JS_LINK,
    "adelaide-aus": FORMULAS[0],
    "athens-grc": FORMULAS[1],
}
TEXT = f"Hostile text {SCRIPT} {IMG} {JS_LINK}"


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    for row in rows:
        change(row)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        writer.writerows(rows)


def write_hostile_data(source: Path, dst: Path) -> Path:
    """``source`` copied to ``dst`` with the hostile texts in names, notes, COVID-19 responses,
    case studies (spotlights) and What Works Cities notes of the cities in NAMES."""
    shutil.copytree(source, dst, ignore=shutil.ignore_patterns("raw"))

    def cities(row):
        if row["id"] in NAMES:
            row["name"] = NAMES[row["id"]]
            row["location_note"] = TEXT

    def stories(row):
        if row["city_id"] in NAMES:
            row["title"] = TEXT
            row["description"] = TEXT + " " + FORMULAS[2]

    def profiles(row):
        if row["city_id"] in NAMES:
            row["mayor"] = TEXT
            row["notes"] = TEXT

    def wwc(row):
        if row["city_id"] in NAMES:
            row["notes"] = TEXT

    _rewrite(dst / "cities.csv", cities)
    _rewrite(dst / "covid_responses.csv", stories)
    _rewrite(dst / "case_studies.csv", stories)
    _rewrite(dst / "profiles.csv", profiles)
    _rewrite(dst / "wwc_certification.csv", wwc)
    return dst
