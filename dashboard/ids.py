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

# city page
CITY_PAGE = "city-page"
CITY_MAP = "city-map"
CITY_MAP_COUNTRIES = "city-map-countries"
CITY_MAP_MARKER = "city-map-marker"
CITY_SCORE = "city-score"
CITY_SIMILAR = "city-similar"
CITY_ACTIONS = "city-actions"
CITY_SEARCH = "city-search"
CITY_SEARCH_RESULTS = "city-search-results"

# compare page
COMPARE_PAGE = "compare-page"
COMPARE_NOTES = "compare-notes"
COMPARE_ADD = "compare-add"
COMPARE_ONLY_DIFF = "compare-only-differences"
COMPARE_TABLE_WRAP = "compare-table-wrap"
COMPARE_TABLE = "compare-table"
COMPARE_IDS = "compare-ids"
