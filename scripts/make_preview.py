"""Draw the atlas's link-preview picture, ``assets/preview.png`` (1200 x 630, the Open Graph size):
the atlas's own map of every city, as the app itself draws it in Debian Chromium.

    .venv/bin/python scripts/make_preview.py

Starts the app on a free loopback port with the store of ``ATLAS_DB`` (default
``var/atlas.duckdb``, built from ``data/``), opens the map page at the preview's size, waits for
the cities and saves a screenshot of the map alone. Run it again when the data or the map's look change.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROME_FLAGS, free_port  # noqa: E402

OUT = ROOT / "assets" / "preview.png"
SIZE = {"width": 1200, "height": 630}
MARKERS = ".marker-cluster, path.city-marker"


def main() -> int:
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-w", "1", "-b",
                               f"127.0.0.1:{port}", "app:server"], cwd=ROOT, env={**os.environ})
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROME_FLAGS)
            # wide enough that the map beside the filters is the preview's size
            page = browser.new_page(viewport={"width": SIZE["width"] + 400, "height": SIZE["height"] + 120})
            page.goto(url + "/?lang=en")
            page.wait_for_selector(MARKERS, timeout=60000)
            page.wait_for_load_state("networkidle")
            page.add_style_tag(content=".legend, .leaflet-control-zoom { display: none; }")
            page.wait_for_timeout(500)
            box = page.locator(".leaflet-container").bounding_box()
            # the map's lower right part (its credits stay in the picture)
            page.screenshot(path=str(OUT), clip={"x": box["x"] + box["width"] - SIZE["width"],
                                                 "y": box["y"] + box["height"] - SIZE["height"], **SIZE})
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
