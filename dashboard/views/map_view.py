"""Logic of the map page as plain functions (called by thin callbacks and tests)."""
from __future__ import annotations

from dashboard import data
from dashboard.filters import FACET_BY_KEY, Filters
from dashboard.i18n import _
from layers.cities import feature_collection

# facets shown as checklists on the map page, in order
MAP_FACETS = ("region", "tier", "covid", "strategy", "funding", "team", "pop", "wave", "confirmed")


def value_label(key: str, value: str) -> str:
    labels = {
        "region": {"north-america": _("North America"), "latin-america": _("Latin America"), "europe": _("Europe"),
                   "middle-east": _("Middle East"), "africa": _("Africa"), "asia": _("Asia"), "oceania": _("Oceania")},
        "tier": {"high": _("High"), "low": _("Low"), "unknown": _("Not published")},
        "covid": {"situational-awareness": _("Situational awareness and prevention"),
                  "inclusive-social": _("Inclusive social programmes"), "co-creation": _("Co-creating solutions"),
                  "recovery-resilience": _("Recovery and resilience")},
        "confirmed": {"yes": _("Confirmed survey respondent"), "no": _("Brochure example, not confirmed")},
        "pop": {"lt100k": _("Under 100,000"), "100k-500k": _("100,000 to 500,000"), "500k-1m": _("500,000 to 1 million"),
                "1m-5m": _("1 to 5 million"), "gt5m": _("Over 5 million"), "unknown": _("Not known")},
        "wave": {"2018": _("2018"), "2020": _("2020"), "unknown": _("Not stated")},
    }
    if key in ("strategy", "funding", "team"):
        return {"yes": _("Yes"), "no": _("No"), "unknown": _("Not published")}[value]
    return labels.get(key, {}).get(value, value)


def facet_title(key: str) -> str:
    return {"region": _("World region"), "tier": _("Innovation-capacity tier"),
            "covid": _("COVID-19 response"), "confirmed": _("Survey participation"),
            "strategy": _("Explicit innovation strategy"), "funding": _("Dedicated innovation funding"),
            "team": _("Innovation team"), "pop": _("Population (GeoNames)"), "wave": _("Survey wave")}.get(key, key)


def options(key: str, counts: dict[str, int]) -> list[dict]:
    """Checklist options with the count each value would give, e.g. "Europe (23)"."""
    return [{"label": f"{value_label(key, v)} ({counts.get(v, 0)})", "value": v}
            for v in FACET_BY_KEY[key].values]


WORLD_BOUNDS = [[-45.0, -130.0], [65.0, 180.0]]


def bounds(points: list[dict], pad: float = 2.0) -> list[list[float]]:
    """South-west and north-east corners around the points (the world when none)."""
    if not points:
        return WORLD_BOUNDS
    lats, lons = [p["lat"] for p in points], [p["lon"] for p in points]
    return [[max(min(lats) - pad, -85), max(min(lons) - pad, -180)], [min(max(lats) + pad, 85), min(max(lons) + pad, 180)]]


def center(box: list[list[float]]) -> list[float]:
    (south, west), (north, east) = box
    return [round((south + north) / 2, 2), round((west + east) / 2, 2)]


def map_state(filters: Filters) -> dict:
    points = data.city_points(filters)
    counts = data.facet_counts(filters)
    return {
        "geojson": feature_collection(points),
        "center": center(bounds(points)),
        "count": len(points),
        "options": {k: options(k, counts[k]) for k in MAP_FACETS},
    }
