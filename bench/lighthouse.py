"""Lighthouse 12 with Debian's Chromium (``make bench`` installs it into ``bench/lighthouse/``
with ``npm ci``; the tests never do): each page's performance score and its main timings, desktop
and mobile (Lighthouse's own presets: the mobile one is a mid-range phone on slow 4G, simulated)."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.conftest import CHROME_FLAGS

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
PAGES = ("/", "/city/bologna-ita", "/table", "/compare", "/findings", "/about", "/self-assessment", "/present")
FORMS = ("desktop", "mobile")
# the tests' Chromium flags, with the headless mode whose traces Lighthouse reads (the old one gives NO_NAVSTART)
FLAGS = ["--headless=new" if flag == "--headless" else flag for flag in CHROME_FLAGS]
AUDITS = {"fcp_ms": "first-contentful-paint", "lcp_ms": "largest-contentful-paint", "tbt_ms": "total-blocking-time",
          "si_ms": "speed-index"}


def available() -> bool:
    return LIGHTHOUSE.exists()


def run(url: str, form: str, timeout: int = 300, attempts: int = 3) -> dict:
    """One Lighthouse run of ``url`` (performance only): its score (0-100) and timings in ms. A run
    whose trace Chromium did not record (Lighthouse's NO_NAVSTART, "run Lighthouse again", seen on a
    busy machine) is run again, up to ``attempts`` times."""
    for attempt in range(attempts):
        try:
            return _run(url, form, timeout)
        except RuntimeError as exc:
            if "NO_NAVSTART" not in str(exc) or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _run(url: str, form: str, timeout: int) -> dict:
    args = [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
            "--only-categories=performance", f"--chrome-flags={' '.join(FLAGS)}"]
    if form == "desktop":
        args.append("--preset=desktop")
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "CHROME_PATH": CHROMIUM})
    if proc.returncode != 0:
        raise RuntimeError(f"lighthouse failed ({proc.returncode}): {proc.stderr[-800:]}")
    report = json.loads(proc.stdout)
    score = report["categories"]["performance"]["score"]
    out = {"score": None if score is None else round(score * 100)}
    for key, audit in AUDITS.items():
        out[key] = report["audits"].get(audit, {}).get("numericValue")
    return out


def measure(base_url: str, runs: int) -> dict[str, dict[str, list[dict]]]:
    """``runs`` Lighthouse runs of every page in both forms: {path: {form: [run, ...]}}."""
    return {path: {form: [run(base_url + path, form) for _ in range(runs)] for form in FORMS} for path in PAGES}
