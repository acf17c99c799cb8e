"""The base layer: Natural Earth 110m countries and their names, loaded by URL (browser-cached)."""
import json
import math

import dash_leaflet as dl
from dash_extensions.javascript import Namespace

COUNTRY_STYLE = {"color": "#9a9a9a", "weight": 0.6, "fillColor": "#f3efe6", "fillOpacity": 1}
JS = Namespace("atlas", "map")
# a country's name shows from this zoom on, by the area of its largest part (square degrees,
# scaled by the cosine of its latitude); where names would overlap the larger country wins
LABEL_ZOOMS = ((100.0, 2), (15.0, 3), (2.0, 4), (0.0, 5))


def _ring_area_centroid(ring: list) -> tuple[float, float, float]:
    """Planar (shoelace) area and centroid (lon, lat) of a closed ring of [lon, lat] points."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if abs(area) < 1e-12:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area), cx / (6 * area), cy / (6 * area)


def _widest_span(ring: list, lat: float) -> float | None:
    """The middle longitude of the widest stretch of the ring's inside along a latitude (None when
    the latitude misses the ring)."""
    crossings = sorted(x0 + (lat - y0) * (x1 - x0) / (y1 - y0) for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])
                       if (y0 <= lat < y1) or (y1 <= lat < y0))
    spans = list(zip(crossings[::2], crossings[1::2]))
    return (lambda a, b: (a + b) / 2)(*max(spans, key=lambda s: s[1] - s[0])) if spans else None


def label_point(geometry: dict) -> tuple[float, float, float]:
    """Where a country's name goes: on its largest part, at the latitude of that part's centroid,
    in the middle of the widest stretch of land along it (so a bent country such as Norway keeps
    its name inside); with that part's area scaled to the ground (square degrees times the cosine
    of the latitude)."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    area, lon, lat, ring = max(((*_ring_area_centroid(poly[0]), poly[0]) for poly in polygons), key=lambda a: a[0])
    inside = _widest_span(ring, lat)
    return area * math.cos(math.radians(lat)), lat, lon if inside is None else inside


def label_zoom(area: float) -> int:
    return next(zoom for bound, zoom in LABEL_ZOOMS if area >= bound)


def labels(features: list[dict]) -> list[list]:
    """[name, lat, lon, zoom from which it shows, ISO3 code] per country, largest first (the order
    in which the browser places names, skipping one that would overlap a name already placed; the
    code names it in the page's language)."""
    out = []
    for f in features:
        area, lat, lon = label_point(f["geometry"])
        out.append((area, [f["properties"]["name"], round(lat, 2), round(lon, 2), label_zoom(area),
                           f["properties"].get("iso3")]))
    return [row for _, row in sorted(out, key=lambda x: -x[0])]


def served_geojson(source: bytes) -> bytes:
    """The borders as the map gets them: compact JSON with the geometry only (the layer has one
    style and no tooltips), and the countries' names with their label points as a foreign member
    ``labels`` (see ``labels``), so the names come with the borders in one file."""
    parsed = json.loads(source)["features"]
    features = [{"type": "Feature", "properties": {}, "geometry": f["geometry"]} for f in parsed]
    return json.dumps({"type": "FeatureCollection", "features": features, "labels": labels(parsed)},
                      separators=(",", ":")).encode()


def countries_layer(layer_id: str, url: str | None = None) -> dl.Pane:
    """Countries in their own pane below the city markers: by URL (the layer fetches them), or
    without one, for a page that hands the layer its data itself."""
    layer = dl.GeoJSON(id=layer_id, url=url, style=COUNTRY_STYLE, interactive=False) if url else \
        dl.GeoJSON(id=layer_id, style=COUNTRY_STYLE, interactive=False)
    return dl.Pane(layer, name="countries", style={"zIndex": 250})


def labels_layer(layer_id: str) -> dl.GeoJSON:
    """Country names as text on the map (assets/atlas_map.js ``labelToLayer``), in a pane above
    the borders and below the cities; the page gives it the points (``labels``) as GeoJSON."""
    return dl.GeoJSON(id=layer_id, pointToLayer=JS("labelToLayer"), interactive=False)


def attribution(text: str) -> dl.AttributionControl:
    """Credits shown on the map itself (the layers carry no tiles of their own); ``text`` is the
    page's words for them."""
    return dl.AttributionControl(position="bottomright", prefix=text)


def tile_layer(url: str) -> dl.TileLayer:
    """Optional third-party tiles (ATLAS_TILE_URL); off by default so nothing leaves the site."""
    return dl.TileLayer(url=url)
