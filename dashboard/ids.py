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

# findings page
FINDINGS_URL = "findings-url"  # page-level dcc.Location (refresh=False): the filter bar writes the query string
FINDINGS_COUNT = "findings-selection-count"
FINDINGS_SELECTION = "findings-selection"
FINDINGS_FACTS_TEXT = "findings-facts-text"
FINDINGS_FILTER_PREFIX = "findings-filter-"  # + facet key, e.g. "findings-filter-region"
FINDINGS_LIVE_PREFIX = "findings-live-"  # + chart, e.g. "findings-live-policy_area"
FINDINGS_LIVE_N_PREFIX = "findings-live-n-"  # + chart: the chart's "n = …" line


def findings_filter_id(key: str) -> str:
    return FINDINGS_FILTER_PREFIX + key


def findings_live_id(chart: str) -> str:
    return FINDINGS_LIVE_PREFIX + chart


def findings_live_n_id(chart: str) -> str:
    return FINDINGS_LIVE_N_PREFIX + chart
