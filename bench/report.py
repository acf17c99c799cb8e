"""BENCHMARKS.md from the measurements of ``bench.run``: the machine, each measurement
as median with min–max, and the budgets of issue 5, met or missed by how much."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from bench.stats import percentile, summary

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dash", "dash-leaflet", "dash-extensions", "dash-ag-grid", "plotly", "duckdb", "flask-caching",
            "flask-compress", "gunicorn", "numpy", "pandas", "shapely", "playwright")
KB = 1024


def _cmd(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _ram_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def environment(load_before) -> dict:
    commit = _cmd("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD")
    # the report itself, left from an earlier run, does not make the measured code differ from the commit
    dirty = _cmd("git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "--", ".",
                 ":(exclude)BENCHMARKS.md")
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "cpu": _cpu_model(), "cores": os.cpu_count(), "ram_gib": _ram_gib(),
        "os": " ".join(platform.uname()[0:3:2]), "python": platform.python_version(),
        "packages": {p: metadata.version(p) for p in PACKAGES},
        "chromium": _cmd("/usr/bin/chromium", "--version").splitlines()[-1:] or ["unknown"],
        "wrk": (_cmd("wrk", "-v").splitlines() or ["unknown"])[0],
        "load_before": load_before,
    }


# ----------------------------------------------------------------------- helpers

def ms(values, digits: int = 0) -> str:
    return summary(values).text(" ms", digits) if values else "–"


def p95(values) -> str:
    return f"{percentile(values, 95):,.0f} ms" if values else "–"


def kb(values) -> str:
    return summary(values).text(" KB", 0, 1 / KB) if values else "–"


def label(r: dict) -> str:
    return "real data" if r["size"] == "real" else f"{int(r['size']):,} synthetic"


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(r) + " |" for r in rows]


def _by_size(results: list[dict], size: str) -> dict | None:
    return next((r for r in results if r["size"] == size), None)


# ----------------------------------------------------------------------- sections

def section_environment(env: dict) -> list[str]:
    pk = ", ".join(f"{k} {v}" for k, v in env["packages"].items())
    la = lambda t: " / ".join(f"{x:.2f}" for x in t)  # noqa: E731
    return [
        f"- **Date:** {env['date']}; **commit:** `{env['commit']}`; "
        f"**run time:** {env['runtime_s'] / 60:.1f} min{' (quick smoke run)' if env['quick'] else ''}",
        f"- **Machine:** {env['cpu']}, {env['cores']} cores, {env['ram_gib']:.1f} GiB RAM; {env['os']}",
        f"- **Load average** (1/5/15 min) before: {la(env['load_before'])}, after: {la(env['load_after'])} "
        "(other work shared the two cores: read the figures as this machine's, with that noise)",
        f"- **Python** {env['python']}; {pk}",
        f"- **Browser:** {env['chromium'][0]} (headless, Playwright); **load generator:** {env['wrk']}",
    ]


def section_build(results: list[dict]) -> list[str]:
    rows = [[label(r), f"{r['cities']:,}", ms(r["generate_ms"]), ms(r["build_ms"]), ms(r["cold_ms"])]
            for r in results]
    return table(["data", "cities", "generate synthetic data", "store build from sources (validate + write)",
                  "cold start: spawn → first 200 on /"], rows)


def section_pages(results: list[dict]) -> list[str]:
    rows = []
    for r in results:
        for name, loads in r["pages"].items():
            path = {"map": "/", "map-mobile": "/ (phone, mobile throttling)", "city": "/city/bologna-ita",
                    "findings": "/findings"}[name]
            kinds = sorted({k for ld in loads for k in ld["by_kind"]})
            split = ", ".join(f"{k} {summary([ld['by_kind'].get(k, 0) for ld in loads]).median / KB:,.0f}"
                              for k in kinds)
            what = "first chart (its table)" if name == "findings" else "interactive markers" if name.startswith("map") \
                else "first markers"
            drawn = [ld["first_view_ms"] for ld in loads if ld.get("first_view_ms") is not None]
            shown = f"{what}: {ms([ld['first_ms'] for ld in loads])}"
            rows.append([f"`{path}`", label(r), kb([ld["bytes"] for ld in loads]), split,
                         "yes" if any(ld["plotly"] for ld in loads) else "no",
                         _features(loads, r["cities"]) if name.startswith("map") else "–",
                         (f"first markers (first view): {ms(drawn)}; " if drawn else "") + shown,
                         ms([ld["fcp_ms"] for ld in loads if ld.get("fcp_ms") is not None]),
                         kb([ld["js_before_first"] for ld in loads if ld.get("js_before_first") is not None])])
    lines = table(["page", "data", "bytes on the wire", "by kind (KB, median)", "plotly.js",
                   "city records sent / cities", "shown after navigation", "first contentful paint",
                   "JavaScript before it was shown"], rows)
    first = next((r for r in results if "map" in r["pages"]), None)
    if first:
        ld = first["pages"]["map"][-1]
        lines += ["", f"Largest responses of `/` ({label(first)}, last run; compressed bytes with headers):", ""]
        lines += table(["response", "KB", "encoding"],
                       [[f"`{x['path']}`", f"{x['bytes'] / KB:,.1f}", x["encoding"] or "none"]
                        for x in ld["resources"][:8]])
        c = ld["countries"]
        if c:
            lines += ["", f"Country borders: fetched by URL (`/data/countries.geojson`), `Cache-Control: "
                      f"{c['cache_control']}`, `Content-Encoding: {c['encoding'] or 'none'}`."]
    return lines


def _features(loads: list[dict], cities: int) -> str:
    counted = [ld["features"] for ld in loads if ld["features"] is not None]
    if not counted:
        return f"? / {cities:,} (bodies too large for the browser to hand back)"
    return f"{summary(counted).median:,.0f} / {cities:,}"


def section_server(results: list[dict]) -> list[str]:
    rows = []
    for r in results:
        ip = r["inproc"]
        rows.append([label(r), ms(r["callback_computed_ms"], 1), p95(r["callback_computed_ms"]),
                     ms(r["callback_cached_ms"], 1), ms(ip["handler_computed"], 1), ms(ip["view_computed"], 1),
                     ms(ip["store_points"], 1), ms(ip["store_facets"], 1),
                     kb(r["callback_bytes"])])
    lines = ["Filter callback (`sync_page`, the body Chromium posts, with varied filters):", ""]
    lines += table(["data", "HTTP, computed", "HTTP p95, computed", "HTTP, from cache",
                    "in-process Dash handler, computed", "in-process `map_view.sync`, computed",
                    "facet index: selection", "facet index: facet counts", "response on the wire"], rows)
    rows = [[label(r), ms(r["api_computed_ms"], 1), p95(r["api_computed_ms"]), ms(r["api_cached_ms"], 1),
             kb(r["api_bytes"])] for r in results]
    lines += ["", "API (`/api/cities.json?<the same selections>`):", ""]
    lines += table(["data", "HTTP, computed", "HTTP p95, computed", "HTTP, from cache", "response on the wire"], rows)
    return lines


def section_e2e(results: list[dict]) -> list[str]:
    rows = []
    for r in results:
        first = ms([ld["first_ms"] for ld in r["pages"].get("map", [])])
        cases = [("Europe box", f"{r['europe']:,} of {r['cities']:,}", r["e2e"])]
        if r.get("e2e_dropdown"):
            cases.append((f"country dropdown ({r['dropdown']['country']})",
                          f"{r['dropdown']['cities']:,} of {r['cities']:,}", r["e2e_dropdown"]))
        for name, chosen, got in cases:
            rows.append([label(r), name, chosen, ms(got.get("select_count", [])), ms(got["select"]),
                         ms(got.get("clear_count", [])), ms(got["clear"]), first])
    return table(["data", "filter", "cities chosen", "choose → count line says so", "choose → map shows its markers",
                  "clear → count line", "clear → all markers again", "interactive markers after navigation"], rows)


def section_load(results: list[dict]) -> list[str]:
    rows = []
    for r in results:
        for name, runs in r.get("load", {}).items():
            rows.append([name, label(r), summary([x["rps"] for x in runs]).text("", 1),
                         ms([x["p50"] for x in runs]), ms([x["p95"] for x in runs]), ms([x["p99"] for x in runs]),
                         f"{sum(x['errors'] for x in runs)} of {sum(x['requests'] for x in runs):,}"
                         + (f" ({', '.join(sorted({k for x in runs for k in x['error_kinds']}))})"
                            if any(x["errors"] for x in runs) else "")])
    return table(["gunicorn workers", "data", "requests/s", "p50", "p95", "p99", "errors"], rows)


def section_memory(results: list[dict]) -> list[str]:
    rows = []
    for r in results:
        after_load = [mb for runs in r.get("load", {}).values() for x in runs[:1] for mb in x["rss_mb"]]
        rows.append([label(r), summary(r["rss_idle_mb"]).text(" MB"), summary(r["rss_warm_mb"]).text(" MB"),
                     summary(after_load).text(" MB") if after_load else "–"])
    return table(["data", "per worker, started", "per worker, after a warm-up of the mix",
                  "per worker, after a load run"], rows)


def section_ingest(ingest: dict | None) -> list[str]:
    if not ingest:
        return ["Not measured."]
    mb = lambda xs: summary(xs).text(" MB")  # noqa: E731
    return table(["extract", "dry run: read, validate, report", "ingest: also write data/ and rebuild the store",
                  "peak memory, dry run", "peak memory, ingest"],
                 [[f"{ingest['rows']:,} official-score rows ({ingest['extract_bytes'] / KB:,.0f} KB CSV) for as "
                   f"many synthetic cities", ms(ingest["dry_run_ms"]), ms(ingest["ingest_ms"]),
                   mb(ingest["dry_run_peak_mb"]), mb(ingest["ingest_peak_mb"])]])


def section_fuzz(results: list[dict]) -> list[str]:
    rows = []
    for r in results:
        f = r.get("fuzz")
        if not f:
            continue
        status = {int(k): v for k, v in f["status"].items()}
        by_class = {c: sum(v for k, v in status.items() if k // 100 == c) for c in (2, 3, 4, 5)}
        rows.append([label(r), f"{f['requests']:,}", f"{by_class[2]:,}", f"{by_class[3]:,}", f"{by_class[4]:,}",
                     f"**{by_class[5]:,}**", "yes" if f["alive"] else "**no**",
                     f"{max(f['rss_before_mb']):.0f} → {max(f['rss_after_mb']):.0f} MB", f"{f['seconds']:.0f} s"])
    return table(["data", "requests", "2xx", "3xx", "4xx", "5xx (must be 0)", "answering after",
                  "largest worker before → after", "time"], rows)


def section_soak(results: list[dict]) -> list[str]:
    rows = []
    for r in results:
        s = r.get("soak")
        if not s:
            continue
        first, last = s["samples"][0][1], s["samples"][-1][1]
        growth = max((b - a) / a for a, b in zip(first, last)) if first and len(first) == len(last) else None
        rows.append([label(r), f"{s['seconds'] / 60:.0f} min", f"{s['requests']:,}", f"{s['rps']:,.0f}",
                     ms([s["p50"]]), ms([s["p99"]]), f"**{s['errors']}**" if s["errors"] else "0",
                     " / ".join(f"{a:.0f} → {b:.0f}" for a, b in zip(first, last)) + " MB",
                     "–" if growth is None else f"{growth:+.1%}" + ("" if growth < 0.10 else " (**over 10 %**)"),
                     "yes" if s["same_workers"] else "**no: a worker was replaced**"])
    return table(["data", "length", "requests", "requests/s", "p50", "p99", "errors (must be 0)",
                  "each worker's memory, start → end", "largest growth (must stay under 10 %)",
                  "same workers throughout"], rows)


# Lighthouse mobile performance goals of issue 16 (desktop: 95 for / and the city page, 90 for the others)
LIGHTHOUSE_GOALS = {"desktop": {"/": 95, "/city/bologna-ita": 95}, "mobile": {}}
LIGHTHOUSE_GOAL = 90


def section_lighthouse(results: list[dict]) -> list[str]:
    rows = []
    for r in results:
        for path, forms in (r.get("lighthouse") or {}).items():
            for form, runs in forms.items():
                goal = LIGHTHOUSE_GOALS[form].get(path, LIGHTHOUSE_GOAL)
                score = summary([x["score"] for x in runs if x["score"] is not None]).median if runs else None
                rows.append([f"`{path}`", form, "–" if score is None else f"{score:.0f}", f"≥ {goal}",
                             "–" if score is None else ("met" if score >= goal else
                                                        f"missed by {goal - score:.0f}: "
                                                        f"{REASONS['lighthouse']}"),
                             *(ms([x[k] for x in runs if x.get(k) is not None])
                               for k in ("fcp_ms", "lcp_ms", "tbt_ms", "si_ms"))])
    return table(["page", "form", "performance (median)", "goal (issue 16)", "verdict", "first contentful paint",
                  "largest contentful paint", "total blocking time", "speed index"], rows) if rows else \
        ["Not measured (Lighthouse is installed by `make bench`)."]


# ----------------------------------------------------------------------- budgets

# Why a budget is missed where it is (shown after "missed by ..."): what the time is spent on, as
# measured (CPU profiles and A/B runs on this machine), and what the atlas cannot move.
REASONS = {
    "interactive": "Dash's own start (its renderer, React and the core components: about 0.7 s of script here) comes "
                   "before the map can mount, then Leaflet's; the first view shows the same markers meanwhile",
    "count": "the count is written in the click's own task (assets/atlas_map.js instantPanel), but the frame waits "
             "for the rest of that task: Dash's and React's handling of the control, the new markers and the map "
             "fitted to the selection (about a third of the task: Leaflet projects and draws the borders and clusters "
             "the cities at the new zoom, once each since its renderer's third pass is skipped); moving the map's "
             "update to after the frame did not bring the count forward and delayed the map, and neither did "
             "deferring Dash's redrawing of the facets' options (A/B in one run)",
    "callback": "Dash's request handling (parsing, dispatch, serialising) is most of it: the view itself "
                "(map_view.sync) takes under 1 ms; see section 3",
    "load": "wrk runs on the same two cores as the workers, and every callback request goes through Dash's "
            "dispatch; the gthread row trades p99 for throughput",
    "lighthouse": "Dash's renderer, React and the core components start on every page (about 0.3 s of a "
                  "phone's main thread under Lighthouse's 4x slowdown), which no page can leave out",
}

def _verdict(value: float | None, limit: float, unit: str, higher_is_better: bool = False,
             reason: str = "") -> tuple[str, str]:
    if value is None:
        return "–", "not measured"
    shown = f"{value:,.0f} {unit}" if value >= 10 or float(value).is_integer() else f"{value:,.2f} {unit}"
    ok = value >= limit if higher_is_better else value <= limit
    if ok:
        return shown, "met"
    diff = (limit - value) if higher_is_better else (value - limit)
    missed = f"missed by {diff:,.0f} {unit} ({diff / limit:.0%})" if diff >= 10 else \
        f"missed by {diff:,.2f} {unit} ({diff / limit:.0%})"
    return shown, f"{missed}: {reason}" if reason else missed


def budgets(results: list[dict]) -> list[list[str]]:
    real = _by_size(results, "real")
    k10, k100 = _by_size(results, "10000"), _by_size(results, "100000")
    rows = []

    def med(xs):
        return summary(xs).median if xs else None

    def e2e(r):
        values = [med(r[case][d]) for case in ("e2e", "e2e_dropdown") if case in r
                  for d in ("select", "clear")] if r else []
        return max(values) if values and None not in values else None

    def row(name, value, limit, unit, higher=False, reason=""):
        rows.append([name, *_verdict(value, limit, unit, higher, reason)])

    map_loads = real["pages"].get("map", []) if real else []
    row("`/` on the wire ≤ 450 KB (median)", med([x["bytes"] / KB for x in map_loads]), 450, "KB")
    plotly = any(x["plotly"] for x in map_loads) if map_loads else None
    rows.append(["plotly.js not loaded on `/`", "–" if plotly is None else ("loaded" if plotly else "not loaded"),
                 "not measured" if plotly is None else ("missed" if plotly else "met")])
    if map_loads and all(x["features"] is not None for x in map_loads):
        sent = med([x["features"] for x in map_loads])
        rows.append(["city data not sent twice on `/`", f"{sent:,.0f} city records for {real['cities']} cities",
                     "met" if sent <= real["cities"] else f"missed: {sent / real['cities']:.1f}× the cities"])
        c = map_loads[-1]["countries"]
        ok = bool(c) and "max-age" in c["cache_control"] and bool(c["encoding"])
        rows.append(["static GeoJSON by URL, long-lived cache, compressed",
                     f"{c['cache_control']}, {c['encoding']}" if c else "not fetched by URL", "met" if ok else "missed"])
    else:
        rows.append(["city data not sent twice on `/`", "–", "not measured"])
    row("interactive markers (Leaflet's) ≤ 1.0 s after navigation, pointing at the map once drawn (median)",
        med([x["first_ms"] for x in map_loads]), 1000, "ms", reason=REASONS["interactive"])
    # issue 16's goals: the first markers a visitor sees are the first view's (drawn in the page's HTML)
    drawn = [x["first_view_ms"] for x in map_loads if x.get("first_view_ms") is not None]
    row("first markers (first view) ≤ 500 ms after navigation, desktop (median; issue 16)",
        med(drawn) if drawn else None, 500, "ms")
    count_ms = [med(real[case].get(f"{d}_count", [])) for case in ("e2e", "e2e_dropdown") if case in real
                for d in ("select", "clear")] if real and "e2e" in real else []
    slower = "median, slower of box and dropdown, either direction"
    count_line = max(count_ms) if count_ms and None not in count_ms else None
    row(f"filter → count line within one to three frames, ≤ 50 ms, at real size ({slower}; issue 16's done-when)",
        count_line, 50, "ms", reason=REASONS["count"])
    row(f"filter → count line in one frame, ≤ 16 ms, at real size ({slower}; issue 16's aim)", count_line, 16, "ms",
        reason=REASONS["count"])
    row(f"filter → map ≤ 50 ms at real size ({slower}; issue 16)", e2e(real), 50, "ms")
    for r, limit, name in ((real, 100, "real size"), (k10, 300, "10,000 cities"), (k100, 1500, "100,000 cities")):
        row(f"filter → map updated ≤ {limit:,} ms at {name} ({slower})", e2e(r), limit, "ms")
    row("filter callback p95 ≤ 15 ms server time at real size (HTTP on loopback, computed)",
        percentile(real["callback_computed_ms"], 95) if real else None, 15, "ms", reason=REASONS["callback"])
    load = (real or {}).get("load", {}).get("sync (Procfile)")
    row("≥ 400 requests/s of the mix (Procfile settings, median)", med([x["rps"] for x in load]) if load else None,
        400, "req/s", higher=True, reason=REASONS["load"])
    row("… with p99 ≤ 150 ms (median)", med([x["p99"] for x in load]) if load else None, 150, "ms",
        reason=REASONS["load"])
    row("… and zero errors", sum(x["errors"] for x in load) if load else None, 0, "errors")
    if real and k100:
        growth = k100["europe_callback_bytes"] / real["europe_callback_bytes"]
        rows.append(["per-interaction payload does not grow with cities off screen (Europe selected, "
                     "callback bytes at 100,000 vs real)",
                     f"{real['europe_callback_bytes'] / KB:,.0f} KB → {k100['europe_callback_bytes'] / KB:,.0f} KB "
                     f"({growth:,.0f}×)", "met" if growth <= 1.5 else f"missed: grows {growth:,.0f}×"])
    else:
        rows.append(["per-interaction payload does not grow with cities off screen", "–", "not measured"])
    return rows


def render(env: dict, results: list[dict], ingest: dict | None = None) -> str:
    out = ["# Benchmarks", "",
           "Written by `make bench` (`python -m bench.run`); compare a change by running it again. "
           "Each figure is the **median (min–max, n = runs)**. See README, \"Benchmarks\", for what each "
           "measurement does.", "", "## Machine and versions", ""]
    out += section_environment(env)
    out += ["", "## Budgets (issue 5)", ""]
    out += table(["budget", "measured", "verdict"], budgets(results))
    sections = (
        ("1. Store build and cold start",
         "Cold start: `gunicorn` with the Procfile's settings spawned with the store already built "
         "(`ATLAS_AUTO_BUILD=1` only compares the sources' hash), until `/` first answers 200.",
         section_build(results)),
        ("2. First load on the wire",
         "A fresh headless Chromium context per run (empty cache); bytes are the compressed bodies plus "
         "headers of every response until the network is idle. \"Shown\" is `performance.now()` at the "
         "first frame showing a marker (or, on `/findings`, a chart): on `/`, \"first markers (first view)\" "
         "are the markers drawn into the page's HTML (they show before any script has run), \"interactive "
         "markers\" Leaflet's, which replace them on the same pixels (Leaflet loads when the visitor first "
         "uses the page: the run points at the map as soon as Dash has drawn it); first contentful paint is Chromium's; "
         "\"JavaScript before it was shown\" adds the transfer sizes of the scripts that had arrived by "
         "that frame. The phone row: a 390 x 844 viewport under Lighthouse's mobile throttling, applied "
         "through Chromium's DevTools protocol (150 ms round trips, 1.6 Mbit/s down, 750 kbit/s up, CPU "
         "4x slower).",
         section_pages(results)),
        ("3. Server time",
         "Over loopback: one gunicorn worker (otherwise the Procfile's settings), one request at a time "
         "with `requests`, timed to the last byte. *Computed*: the first request for a selection (the "
         "cache is cold); *from cache*: the same selections again. In process: `python -m bench.inproc` "
         "(Flask's test client for the whole Dash request; the view and store functions called directly).",
         section_server(results)),
        ("4. End to end in Chromium",
         "On an open map page, a click on the Europe checkbox (and again to clear it), and on the option of the "
         "country with the most cities in the country dropdown (opened before the timing). The click is a "
         "visitor's: the pointer moved onto the control first, then a press and release through Chromium's input "
         "pipeline (DevTools' Input events; a `click()` from script is no input event, and Chromium schedules "
         "the frames after one differently). The time runs from the click event's own time stamp to the frame "
         "where the count line says the new count, and to the frame where the map's markers (with the map "
         "fitted to the new selection) and the count show the new "
         "selection (a MutationObserver adds up single markers and the numbers on cluster icons; "
         "from 1,000 on supercluster abbreviates them, \"1.2k\", so there the sum is a range that must "
         "contain the count).",
         section_e2e(results)),
        ("5. Load",
         f"`wrk` (2 threads, 32 connections, {env['load_seconds']} s per run, keep-alive) from loopback "
         "against gunicorn with the Procfile's settings, in-process cache (no Redis), after a warm-up. "
         "The mix: 10% `GET /`, 10% the map page's content callback (what a page load makes the server "
         "build), 50% filter callbacks over varied selections, 30% `/api/cities.json` with varied filters. "
         "**Caveat:** wrk runs on the same two cores as the server.",
         section_load(results)),
        ("6. Memory", "Resident set size (VmRSS) of each gunicorn worker (Procfile settings).",
         section_memory(results)),
        ("7. Ingest",
         "`python -m dashboard.store ingest` as staff run it (a new process per run, Python's start-up "
         "included), on an extract of generated official scores (seeded, titled as synthetic, addresses under "
         "`synthetic.invalid`) for a synthetic data folder of as many cities under `var/bench/` (never `data/`), "
         "each run from the same starting files. Peak memory: the process's VmHWM.",
         section_ingest(ingest)),
        ("8. Hostile input",
         "Generated malformed requests (`bench/fuzz.py`, hypothesis, seed 0) one after another against "
         "gunicorn with the Procfile's settings: every server callback with wrong types, unknown ids and "
         "properties, huge and deeply nested values and broken envelopes; every API route and page with "
         "odd query parameters; unknown bundle and asset files. A 5xx means the server failed; every "
         "malformed request must get a 4xx.",
         section_fuzz(results)),
        ("9. Soak",
         "The load mix of section 5 for five minutes at 32 connections (wrk, keep-alive) against gunicorn "
         "with the Procfile's settings, after a warm-up of a tenth of that under the same load. Memory is "
         "each worker's VmRSS when the soak starts and when it ends (read every 15 s meanwhile).",
         section_soak(results)),
        ("10. Lighthouse",
         "Lighthouse 12 (npm, pinned in `bench/lighthouse/package.json`, installed by `make bench`) with "
         "Debian's Chromium against gunicorn with the Procfile's settings, performance only, three runs "
         "each: desktop (`--preset=desktop`) and mobile (its default: a mid-range phone on slow 4G, "
         "simulated throttling). Median score and timings.",
         section_lighthouse(results)),
    )
    for heading, intro, lines in sections:
        out += ["", f"## {heading}", "", intro, "", *lines]
    failures = [f"- {label(r)}: {f}" for r in results for f in r.get("failures", [])]
    if failures:
        out += ["", "## Measurements that failed", "", *failures]
    if any(r["synthetic"] for r in results):
        out += ["", "Synthetic sizes: seeded made-up cities (`bench/synthetic.py`, seed 0) in their own store "
                "under `var/bench/`, flagged `synthetic = true` in `build_info`; never mixed into `data/`."]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the report again from the raw measurements of ``python -m bench.run --json FILE``
    (after a change to this module; nothing is measured)."""
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=main.__doc__.split("\n")[0])
    parser.add_argument("raw", type=Path, help="measurements written by bench.run --json")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    raw = json.loads(args.raw.read_text(encoding="utf-8"))
    args.out.write_text(render(raw["environment"], raw["results"], raw.get("ingest")), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
