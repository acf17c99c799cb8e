"""Write data/countries.geojson: Natural Earth 110m admin-0 countries, simplified.

Build-time only. Natural Earth data is public domain; the 110m countries are
taken from the copy shipped inside the geopandas 0.14.4 wheel
(``geopandas/datasets/naturalearth_lowres``), which works with no network:

    pip download geopandas==0.14.4 --no-deps -d /tmp/gpd
    python scripts/make_countries.py /tmp/gpd/geopandas-0.14.4-py3-none-any.whl
"""
from __future__ import annotations

import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "countries.geojson"
INNER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
# Natural Earth leaves iso_a3 as -99 for a few entities.
ISO3_FIX = {"Kosovo": "XKX", "France": "FRA", "Norway": "NOR", "N. Cyprus": "CYN", "Somaliland": "SOL"}


def main(wheel: str) -> int:
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheel) as zf:
        for ext in ("shp", "shx", "dbf", "prj"):
            zf.extract(f"{INNER}.{ext}", tmp)
        world = gpd.read_file(Path(tmp) / f"{INNER}.shp")
    world["iso_a3"] = [ISO3_FIX.get(n, iso) if iso == "-99" else iso for n, iso in zip(world["name"], world["iso_a3"])]
    world = world[["name", "iso_a3", "continent", "geometry"]].rename(columns={"iso_a3": "iso3"})
    world = world[world["name"] != "Antarctica"]
    world["geometry"] = world.geometry.simplify(0.1, preserve_topology=True)
    world.to_file(OUT, driver="GeoJSON", COORDINATE_PRECISION=2, RFC7946="YES")
    print(f"wrote {len(world)} countries, {OUT.stat().st_size:,} bytes to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
