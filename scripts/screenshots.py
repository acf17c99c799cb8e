"""Write docs/screenshots/: each page of the atlas at 1366 x 900, and the main ones at 390 x 844
(a phone), as small palette PNGs, for docs/design.md and the README.

Starts the atlas itself (gunicorn, on a free port, over the store ``make build`` made, or the
one ATLAS_DB names) unless ``--url`` points at a running one; drives the system Chromium:

    python scripts/screenshots.py [--url http://127.0.0.1:8050]
"""
from __future__ import annotations

import argparse
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP, PHONE = (1366, 900), (390, 844)
COLOURS = 256  # palette (fast octree keeps small areas of colour, such as the legend swatches)

# (file name, address, what to wait for, what to scroll to or None, sizes)
SHOTS = [
    ("map", "/?region=europe&tier=high", "path.city-marker, .atlas-cluster", None, (DESKTOP, PHONE)),
    ("city", "/city/bologna-ita", "#city-page h1", None, (DESKTOP, PHONE)),
    ("table", "/table?region=europe", ".ag-row", None, (DESKTOP,)),
    ("compare", "/compare?cities=bologna-ita,madrid-esp,amsterdam-nld", "#compare-table", None, (DESKTOP, PHONE)),
    ("findings", "/findings", "#findings-strategy .js-plotly-plot", None, (DESKTOP, PHONE)),
    ("findings-live", "/findings#findings-live", "#findings-live-facts .js-plotly-plot", None, (DESKTOP, PHONE)),
    ("about", "/about", "#sources", None, (DESKTOP,)),
    ("self-assessment", "/self-assessment", "form, #self-assessment, h1", None, (DESKTOP,)),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_atlas() -> tuple[subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-w", "1",
                             "--no-control-socket", "-b", f"127.0.0.1:{port}", "app:server"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    for _ in range(240):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("the atlas did not start")


def small_png(png: bytes) -> bytes:
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(COLOURS, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def take(url: str) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for name, path, ready, scroll, sizes in SHOTS:
            for width, height in sizes:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(url + path)
                page.mouse.wheel(0, 1)  # a reader: the findings' charts are drawn once the visitor reads
                page.wait_for_selector(ready, timeout=30000)
                if scroll:
                    page.locator(scroll).first.scroll_into_view_if_needed()
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(800)  # transitions and the last frame
                target = OUT / f"{name}-{'phone' if width < 600 else 'desktop'}.png"
                target.write_bytes(small_png(page.screenshot()))
                written.append(target)
                page.close()
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running atlas (default: start one)")
    args = parser.parse_args()
    proc = None
    url = args.url
    if not url:
        proc, url = start_atlas()
    try:
        for path in take(url.rstrip("/")):
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    finally:
        if proc:
            proc.terminate()
            proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
