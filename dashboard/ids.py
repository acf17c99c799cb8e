"""Every component id of the interface, in one place.

Tests and the stylesheet use these ids too; change one here and grep for it.
"""
# shell (app.py layout)
URL = "url"
NAV = "site-nav"
LANG_LINKS = "lang-links"

# map page
MAP = "atlas-map"
CITY_LAYER = "city-layer"
COUNTRY_LAYER = "country-layer"
SELECTION_COUNT = "selection-count"
SELECTION_SUMMARY = "selection-summary"
FILTER_PREFIX = "filter-"  # + facet key, e.g. "filter-region"
RESET = "filter-reset"
LEGEND = "map-legend"


def filter_id(key: str) -> str:
    return FILTER_PREFIX + key


# table page
TABLE_GRID = "table-grid"
TABLE_COUNT = "table-count"
TABLE_SHOWN = "table-shown"
TABLE_COLUMNS = "table-columns"
TABLE_QUERY = "table-query"
TABLE_DOWNLOAD_BUTTON = "table-download-button"
TABLE_DOWNLOAD = "table-download"
