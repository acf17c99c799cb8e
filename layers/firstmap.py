"""The map's first view as geometry: what Leaflet and dash-leaflet will draw, computed on the server
so the page's first HTML can show it before any script has loaded. Knows nothing of pages.

* ``project``: Leaflet's Web Mercator (EPSG:3857, 256-pixel tiles) in world pixels at a zoom, with
  the same operations in the same order, and ``layer_point`` its rounding (Leaflet rounds every
  point it places, so a marker sits on whole pixels).
* ``bounds_zoom``: Leaflet's ``getBoundsZoom`` (``fitBounds``'s zoom for a container size).
* ``Supercluster``: a port of supercluster 8 (the version dash-leaflet 1.1.3 bundles, with its
  kdbush 4 index): the same clusters, from the same float32-rounded coordinates and in the same
  order. Positions may differ from the browser's in the last bits of a double (the order in which
  a cluster's members are summed), far below a pixel.
* ``simplify``: Leaflet's ``LineUtil.simplify`` (radial distance then Douglas-Peucker), which it
  runs on every border at its smoothFactor (1 pixel), so ``border_paths`` draws what Leaflet draws.
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

TILE = 256
EARTH_RADIUS = 6378137  # L.Projection.SphericalMercator.R
MAX_LATITUDE = 85.0511287798
_D = math.pi / 180
_SCALE = 0.5 / (math.pi * EARTH_RADIUS)


def js_round(x: float) -> int:
    """JavaScript's Math.round (halves go up)."""
    return math.floor(x + 0.5)


def project(lat: float, lon: float, zoom: float) -> tuple[float, float]:
    """World pixel of a point at ``zoom`` as Leaflet's ``map.project`` computes it (EPSG:3857)."""
    lat = max(min(MAX_LATITUDE, lat), -MAX_LATITUDE)
    s = math.sin(lat * _D)
    x, y = EARTH_RADIUS * lon * _D, EARTH_RADIUS * math.log((1 + s) / (1 - s)) / 2
    scale = TILE * 2 ** zoom
    return scale * (_SCALE * x + 0.5), scale * (-_SCALE * y + 0.5)


def layer_point(lat: float, lon: float, zoom: int) -> tuple[int, int]:
    """The whole world pixel where Leaflet places a point (``latLngToLayerPoint`` before it
    subtracts the pixel origin, itself whole)."""
    x, y = project(lat, lon, zoom)
    return js_round(x), js_round(y)


def bounds_zoom(box: list[list[float]], width: float, height: float, min_zoom: float = 0,
                max_zoom: float = math.inf, from_zoom: float = 0, snap: float = 1) -> float:
    """Leaflet's ``getBoundsZoom(bounds)`` (not inside, no padding: take it off the size) for a container of
    ``width`` x ``height`` pixels at the map's ``zoomSnap``; ``box`` is [[south, west], [north, east]]."""
    (south, west), (north, east) = box
    x0, y0 = project(north, west, from_zoom)
    x1, y1 = project(south, east, from_zoom)
    bw, bh = abs(x1 - x0), abs(y1 - y0)
    scale = min(width / bw if bw else math.inf, height / bh if bh else math.inf)
    zoom = math.log(scale * TILE * 2 ** from_zoom / TILE) / math.log(2)
    zoom = js_round(zoom / (snap / 100)) * (snap / 100)  # within 1 % of a snap level is on it
    zoom = math.floor(zoom / snap) * snap
    zoom = max(min_zoom, min(max_zoom, zoom))
    return int(zoom) if snap == 1 else zoom


# ------------------------------------------------------------------------------------ supercluster

def _f32(x: float) -> float:
    return float(np.float32(x))


def lng_x(lng: float) -> float:
    return lng / 360 + 0.5


def lat_y(lat: float) -> float:
    s = math.sin(lat * math.pi / 180)
    if s == 1:
        return 0.0
    if s == -1:
        return 1.0
    y = 0.5 - 0.25 * math.log((1 + s) / (1 - s)) / math.pi
    return 0.0 if y < 0 else 1.0 if y > 1 else y


def x_lng(x: float) -> float:
    return (x - 0.5) * 360


def y_lat(y: float) -> float:
    y2 = (180 - y * 360) * math.pi / 180
    return 360 * math.atan(math.exp(y2)) / math.pi - 90


class Supercluster:
    """supercluster's ``load`` and ``getClusters`` (options as its own: radius, extent, minZoom,
    maxZoom, minPoints). Each item of a zoom's tree is [x, y, zoom, origin, parent, count, members]:
    ``members`` are the indexes of the loaded points it holds (supercluster's getLeaves)."""

    def __init__(self, radius: float = 40, extent: float = 512, min_zoom: int = 0, max_zoom: int = 16,
                 min_points: int = 2):
        self.radius, self.extent, self.min_points = radius, extent, min_points
        self.min_zoom, self.max_zoom = min_zoom, max_zoom
        self.trees: dict[int, list[list]] = {}

    def load(self, points: list[tuple[float, float]]) -> "Supercluster":
        """``points``: (lon, lat) in the order the layer gets its features."""
        data = [[_f32(lng_x(lon)), _f32(lat_y(lat)), math.inf, i, -1, 1, (i,)] for i, (lon, lat) in enumerate(points)]
        self.trees[self.max_zoom + 1] = data
        for zoom in range(self.max_zoom, self.min_zoom - 1, -1):
            data = self.trees[zoom] = self._cluster(data, zoom)
        return self

    def _cluster(self, data: list[list], zoom: int) -> list[list]:
        r = self.radius / (self.extent * 2 ** zoom)
        r2 = r * r
        # kdbush keeps float32 coordinates; a grid of r-sized cells finds the same neighbours
        coords = [(_f32(d[0]), _f32(d[1])) for d in data]
        cells: dict[tuple[int, int], list[int]] = {}
        for i, (x, y) in enumerate(coords):
            cells.setdefault((math.floor(x / r), math.floor(y / r)), []).append(i)

        def within(qx: float, qy: float) -> list[int]:
            cx, cy = math.floor(qx / r), math.floor(qy / r)
            found = []
            for gx in (cx - 1, cx, cx + 1):
                for gy in (cy - 1, cy, cy + 1):
                    for j in cells.get((gx, gy), ()):
                        dx, dy = coords[j][0] - qx, coords[j][1] - qy
                        if dx * dx + dy * dy <= r2:
                            found.append(j)
            return found

        out = []
        for item in data:
            if item[2] <= zoom:
                continue
            item[2] = zoom
            x, y = item[0], item[1]
            neighbours = within(x, y)
            origin = item[5]
            count = origin + sum(data[j][5] for j in neighbours if data[j][2] > zoom)
            if count > origin and count >= self.min_points:
                wx, wy, members = x * origin, y * origin, list(item[6])
                for j in neighbours:
                    other = data[j]
                    if other[2] <= zoom:
                        continue
                    other[2] = zoom
                    wx += other[0] * other[5]
                    wy += other[1] * other[5]
                    members.extend(other[6])
                out.append([wx / count, wy / count, math.inf, -1, -1, count, tuple(members)])
            else:
                out.append(list(item))
                if count > 1:
                    for j in neighbours:
                        if data[j][2] > zoom:
                            data[j][2] = zoom
                            out.append(list(data[j]))
        return out

    def limit_zoom(self, zoom: float) -> int:
        return max(self.min_zoom, min(math.floor(zoom), self.max_zoom + 1))

    def clusters(self, zoom: float) -> list[dict]:
        """Every cluster and single point at ``zoom`` (getClusters over the whole world):
        {"lat", "lon", "count", "members"}; a single point's lat/lon are its own as loaded."""
        return [{"lat": y_lat(d[1]), "lon": x_lng(d[0]), "count": d[5], "members": d[6]}
                for d in self.trees[self.limit_zoom(zoom)]]


# -------------------------------------------------------------------------------- cluster icons

def cluster_size(count: int) -> int:
    """A cluster icon's width in pixels (assets/atlas_map.js clusterToLayer)."""
    return js_round(30 + 7 * math.log10(max(count, 1)))


def _fixed1(x: float) -> str:
    """JavaScript's ``x.toFixed(1)``."""
    return str(Decimal(x).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def cluster_ring(tiers: dict[str, int], order: tuple[str, ...], colours: dict[str, str]) -> tuple[str, str]:
    """A cluster's ring as clusterToLayer writes it: the conic-gradient stops and the mix
    ("high:3,low:1")."""
    total = sum(tiers.get(t, 0) for t in order)
    at, stops, mix = 0.0, [], []
    for tier in order:
        n = tiers.get(tier, 0)
        if not n or not total:
            continue
        end = at + 360 * n / total
        stops.append(f"{colours[tier]} {_fixed1(at)}deg {_fixed1(end)}deg")
        mix.append(f"{tier}:{n}")
        at = end
    return ",".join(stops), ",".join(mix)


# ------------------------------------------------------------------------------------- borders

def _sq_dist(a, b) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _sq_segment_dist(p, a, b) -> float:
    x, y = a
    dx, dy = b[0] - x, b[1] - y
    dot = dx * dx + dy * dy
    if dot > 0:
        t = ((p[0] - x) * dx + (p[1] - y) * dy) / dot
        if t > 1:
            x, y = b
        elif t > 0:
            x, y = x + dx * t, y + dy * t
    return (p[0] - x) ** 2 + (p[1] - y) ** 2


def simplify(points: list[tuple[int, int]], tolerance: float = 1.0) -> list[tuple[int, int]]:
    """Leaflet's ``LineUtil.simplify``: points closer than ``tolerance`` to the previous kept one
    dropped, then Douglas-Peucker at ``tolerance``."""
    if not tolerance or not points:
        return list(points)
    sq = tolerance * tolerance
    reduced, prev = [points[0]], 0
    for i in range(1, len(points)):
        if _sq_dist(points[i], points[prev]) > sq:
            reduced.append(points[i])
            prev = i
    if prev < len(points) - 1:
        reduced.append(points[-1])
    keep = [False] * len(reduced)
    keep[0] = keep[-1] = True
    stack = [(0, len(reduced) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, 0
        for i in range(first + 1, last):
            d = _sq_segment_dist(reduced[i], reduced[first], reduced[last])
            if d > best:
                best, index = d, i
        if best > sq:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, k in zip(reduced, keep) if k]


def _ring_path(ring: list, zoom: int) -> str:
    points = [layer_point(lat, lon, zoom) for lon, lat in ring]
    if len(points) > 1 and points[0] == points[-1] and ring[0] == ring[-1]:
        points = points[:-1]  # Leaflet drops a polygon ring's closing point
    points = simplify(points, 1.0)
    if len(points) < 2:
        return ""
    head, *rest = points
    return f"M{head[0]} {head[1]}" + "".join(f"L{x} {y}" for x, y in rest) + "z"


def border_paths(features: list[dict], zoom: int) -> list[str]:
    """Each country's path data (SVG ``d``) in whole world pixels at ``zoom``, as Leaflet draws it
    (one path per feature, every ring of it, fill-rule evenodd)."""
    paths = []
    for f in features:
        geometry = f.get("geometry") or {}
        polygons = geometry.get("coordinates", [])
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        elif geometry.get("type") != "MultiPolygon":
            continue
        d = "".join(_ring_path(ring, zoom) for polygon in polygons for ring in polygon)
        if d:
            paths.append(d)
    return paths


def border_svg(features: list[dict], zoom: int) -> str:
    """The borders at ``zoom`` as an SVG document whose group ``b`` the first view shows with
    ``<use>`` (colours and stroke come from the page, which styles the ``use`` element)."""
    return ('<svg xmlns="http://www.w3.org/2000/svg"><g id="b">'
            + "".join(f'<path d="{d}"/>' for d in border_paths(features, zoom)) + "</g></svg>")
