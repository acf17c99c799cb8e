"""Marker colours and sizes, shared by the map layer and its legend.

Okabe-Ito colours (safe for the common colour-vision deficiencies); colour is
never the only carrier of the tier: "not published" markers are hollow and
dashed, and the legend and tooltips say the tier in words.
"""
TIER_STYLE = {
    "high": {"color": "#0072B2", "stroke": "#00406b", "fill_opacity": 0.85, "dash": None},
    "low": {"color": "#E69F00", "stroke": "#8a5f00", "fill_opacity": 0.85, "dash": None},
    "unknown": {"color": "#ffffff", "stroke": "#555555", "fill_opacity": 0.6, "dash": "3 2"},
}
# A cluster of cities is a ring of its tiers' shares around its count, in this order; "not
# published" gets a mid grey (white would vanish on the land colour), set apart from the blue
# and the orange by lightness and hue.
TIER_ORDER = ("high", "low", "unknown")
RING_COLOR = {"high": TIER_STYLE["high"]["color"], "low": TIER_STYLE["low"]["color"], "unknown": "#a3a3a3"}
# (upper bound of population, marker radius in pixels); None = unknown population
RADIUS_BANDS = ((100_000, 5), (500_000, 7), (1_000_000, 9), (5_000_000, 11), (float("inf"), 13))
RADIUS_UNKNOWN = 6


def radius(population: int | None) -> int:
    if population is None:
        return RADIUS_UNKNOWN
    return next(r for bound, r in RADIUS_BANDS if population < bound)
