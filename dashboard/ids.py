"""Every component id of the interface, in one place.

Tests and the stylesheet use these ids too; change one here and grep for it.
"""
# shell (app.py layout)
URL = "url"
NAV = "site-nav"
LANG_SWITCH = "lang-switch"
THEME_TOGGLE = "theme-toggle"
COMPARE_SET = "compare-set"  # the cities last compared (dcc.Store in the browser's localStorage)
COPY_LINK = "copy-link"  # the "Copy link" button of a page's share tools (one per page)
CITATION = "citation"  # the "Cite this" text of a page's share tools

# map page
MAP = "atlas-map"
CITY_LAYER = "city-layer"
COUNTRY_LAYER = "country-layer"
COUNTRY_LABELS = "country-labels"  # the countries' names (a GeoJSON layer of points)
SELECTION_COUNT = "selection-count"
TOOLBAR_COUNT = "toolbar-count"  # the count again above the map, for phones (the filters are in a drawer there)
SELECTION_LIST = "selection-list"  # the cities of a small selection, each opening its panel
COMPARE_TRAY = "compare-tray"  # the cities chosen to compare, with the link to the comparison
MAP_DATA_LINKS = "map-data-links"  # the selection as CSV / JSON / a table
SELECTION_SUMMARY = "selection-summary"
FILTER_PREFIX = "filter-"  # + facet key, e.g. "filter-region"
RESET = "filter-reset"
LEGEND = "map-legend"
MAP_URL = "map-url"  # the map page's own dcc.Location (refresh=False): pushes permalinks to the history
MAP_HISTORY = "map-history"  # back/forward on the map page: {"search", "at"}, set by assets/atlas_map.js
FILTERS = "filters"  # the filter column (a drawer on narrow screens)
FILTERS_TOGGLE = "filters-toggle"
FILTERS_CLOSE = "filters-close"
CITY_SEARCH = "city-search"
# the search box's request (dcc.Store): {"local": bool, "loaded": true} once the visitor reaches for a local
# box (its full list is then sent), {"local": false, "text": ...} for what is typed when the server searches
CITY_SEARCH_QUERY = "city-search-query"
CITY_REQUEST = "city-request"  # a city chosen on the map or closed in the panel (dcc.Store)
SELECTED_LAYER = "selected-layer"
CITY_PANEL = "city-panel"
CITY_PANEL_BODY = "city-panel-body"
CITY_PANEL_CLOSE = "city-panel-close"
MAP_SELECTION = "map-selection"  # the selection's canonical query string (dcc.Store): the browser picks its cities
MAP_POINTS = "map-points"  # where the point table is and how to draw it (dcc.Store)
MAP_FOCUS = "map-focus"  # a view the map should move to (dcc.Store)
MAP_LIVE = "map-live"  # set by the browser once Leaflet has loaded (assets/atlas_on_use.js): the map is drawn
MAP_FIT = "map-fit"  # bounds the map fits to the screen when it opens (dcc.Store)
VIEW_SINK = "map-view-sink"  # output of the clientside callback that writes z/lat/lon to the URL


def filter_id(key: str) -> str:
    return FILTER_PREFIX + key


# presentation (/present)
PRESENT = "present"  # the presentation's root: its slides, the map and the controls
PRESENT_MAP = "present-map"
PRESENT_CITIES = "present-cities"  # every city, clustered, for context
PRESENT_COUNTRIES = "present-countries"
PRESENT_LABELS = "present-labels"
PRESENT_HIGHLIGHT = "present-highlight"  # the slide's cities (a GeoJSON layer)
PRESENT_POINTS = "present-points"  # where the point table is and how to draw it (dcc.Store)
PRESENT_SELECTION = "present-selection"  # the context layer's selection: every city (dcc.Store)
PRESENT_STEP = "present-step"  # the slide shown, from 1 (dcc.Store, set by assets/present.js)
PRESENT_SLIDES = "present-slides"  # each slide's map: view and highlighted cities (dcc.Store)
PRESENT_COUNTER = "present-counter"  # "3 / 15"
PRESENT_LIVE = "present-live"  # Leaflet has loaded: the map is drawn by it (dcc.Store, set by assets/atlas_on_use.js)

# embeds (?embed=1)
EMBED_BAR = "embed-bar"  # attribution, the selection in words and the link to the full atlas
EMBED_CODE = "embed-code"  # the share tools' <iframe> code


def chart_embed_code_id(key: str) -> str:
    """One findings chart's <iframe> code ("Embed this chart"), by the chart's key (``chart=``)."""
    return f"embed-code-{key}"


# table page
# the grid: absent until the visitor uses the table (its script loads then, pages/table.py), so its
# callbacks address it by pattern, {**TABLE_GRID, "grid": ALL}, which matches nothing until it is there
TABLE_GRID = {"type": "table-grid", "grid": "cities"}
TABLE_GRID_SLOT = "table-grid-slot"  # the grid's box: the first rows as a table until the grid takes it
TABLE_GRID_WANTED = "table-grid-wanted"  # set by the browser (assets/atlas_on_use.js) once the grid's script is in
TABLE_FIRST = "table-first"  # the first rows' table
TABLE_COUNT = "table-count"
TABLE_SHOWN = "table-shown"
TABLE_COLUMNS = "table-columns"
TABLE_QUERY = "table-query"
TABLE_URL = "table-url"  # page-level dcc.Location (refresh=False): sort and columns go to the query string
TABLE_DOWNLOAD_BUTTON = "table-download-button"
TABLE_DOWNLOAD = "table-download"

# the city page's mini map, drawn when it nears the window
CITY_MAP_SLOT = "city-map-slot"  # the mini map's place, empty until it nears the window
CITY_MAP_NEAR = "city-map-near"  # set by the browser (assets/atlas_city.js) when it does: the city's id


# city page
CITY_PAGE = "city-page"
CITY_MAP = "city-map"
CITY_MAP_COUNTRIES = "city-map-countries"
CITY_MAP_MARKER = "city-map-marker"
CITY_SCORE = "city-score"
CITY_SIMILAR = "city-similar"
CITY_ACTIONS = "city-actions"
CITY_LOOKUP = "city-lookup"  # the search box of the city-not-found page
CITY_LOOKUP_RESULTS = "city-lookup-results"

# compare page
COMPARE_PAGE = "compare-page"
COMPARE_NOTES = "compare-notes"
COMPARE_ADD = "compare-add"
COMPARE_ONLY_DIFF = "compare-only-differences"
COMPARE_TABLE_WRAP = "compare-table-wrap"
COMPARE_TABLE = "compare-table"
COMPARE_IDS = "compare-ids"
COMPARE_URL = "compare-url"  # page-level dcc.Location (refresh=False): "only rows that differ" goes to the URL

# findings page
FINDINGS_URL = "findings-url"  # page-level dcc.Location (refresh=False): the filter bar writes the query string
FINDINGS_COUNT = "findings-selection-count"
FINDINGS_SELECTION = "findings-selection"
FINDINGS_FACTS_TEXT = "findings-facts-text"
FINDINGS_FILTER_PREFIX = "findings-filter-"  # + facet key, e.g. "findings-filter-region"
FINDINGS_LIVE_PREFIX = "findings-live-"  # + chart, e.g. "findings-live-policy_area"
FINDINGS_LIVE_N_PREFIX = "findings-live-n-"  # + chart: the chart's "n = …" line
FINDINGS_CONTENTS = "findings-contents"  # the page's list of sections, each an in-page link
FINDINGS_CAVEAT = "findings-caveat"  # the samples caveat, said once for the page
FINDINGS_LIVE_TABLE_SUFFIX = "-table"  # + after a live chart's id: its data table
FINDINGS_GROUP_PREFIX = "findings-"  # + published group, e.g. "findings-strategy" (a section)
FINDINGS_WELLBEING = "findings-wellbeing"
FINDINGS_RECOMMENDATIONS = "recommendations"  # the brochure's ten recommendations: /findings#recommendations
FINDINGS_LIVE = "findings-live"


def findings_filter_id(key: str) -> str:
    return FINDINGS_FILTER_PREFIX + key


def findings_live_id(chart: str) -> str:
    return FINDINGS_LIVE_PREFIX + chart


def findings_live_table_id(chart: str) -> str:
    return findings_live_id(chart) + FINDINGS_LIVE_TABLE_SUFFIX


def findings_live_n_id(chart: str) -> str:
    return FINDINGS_LIVE_N_PREFIX + chart


def findings_group_id(group: str) -> str:
    return FINDINGS_GROUP_PREFIX + group


# self-assessment page
SA_PAGE = "self-assessment"
SA_FORM = "sa-form"
SA_OUTCOME = "sa-outcome"  # the result's or the error summary's heading (focused when drawn with answers)
SA_FOCUS_REQUEST = "sa-focus-request"  # truthy: focus the outcome (dcc.Store)
SA_FOCUS = "sa-focus"  # output of the clientside callback that focuses the outcome
SA_RANK_PREFIX = "sa-rank-"  # + activity code: its rank input


def sa_field(name: str) -> str:
    """The control of one self-assessment question (its URL name, e.g. "sa-name")."""
    return "sa-" + name


def sa_rank(code: str) -> str:
    return SA_RANK_PREFIX + code


# The ids the browser's own code (assets/*.js, clientside callbacks) looks up, handed to it as data in every page
# (app.py writes them into a JSON script element): the script hard-codes none. An element with one of
# them is never sent as a static part (dashboard/ui/static_html.py), whose inside may come later.
CLIENT = {"map": MAP, "mapHistory": MAP_HISTORY, "cityPanel": CITY_PANEL, "cityPanelClose": CITY_PANEL_CLOSE,
          "citySearch": CITY_SEARCH, "filters": FILTERS, "filtersToggle": FILTERS_TOGGLE,
          "filtersClose": FILTERS_CLOSE, "compareSet": COMPARE_SET, "mapFit": MAP_FIT, "cityRequest": CITY_REQUEST,
          "compareTray": COMPARE_TRAY, "filterPrefix": FILTER_PREFIX, "selectionCount": SELECTION_COUNT,
          "toolbarCount": TOOLBAR_COUNT, "cityLayer": CITY_LAYER, "mapPoints": MAP_POINTS, "present": PRESENT,
          "presentStep": PRESENT_STEP, "presentCounter": PRESENT_COUNTER,
          "presentMap": PRESENT_MAP,
          "cityMapSlot": CITY_MAP_SLOT, "cityMapNear": CITY_MAP_NEAR, "citySearchQuery": CITY_SEARCH_QUERY,
          "tableGrid": TABLE_GRID, "tableFirst": TABLE_FIRST, "tableGridSlot": TABLE_GRID_SLOT,
          "saOutcome": SA_OUTCOME}
CLIENT_CONFIG = "atlas-client"  # the JSON script element holding CLIENT and the URL rules
