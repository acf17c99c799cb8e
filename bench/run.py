"""Run the benchmark suite and write BENCHMARKS.md (``make bench``).

    python -m bench.run [--quick] [--sizes real,10000,100000] [--out BENCHMARKS.md] [--json FILE]

Sizes: ``real`` is the shipped data (built into ``var/bench/real/``, never
``var/atlas.duckdb``); a number is that many synthetic cities
(``bench.synthetic``, under ``var/bench/``). ``--quick`` is a smoke run: one
synthetic size of 500 cities, one run of everything, a 2-second load test.
Every run also measures an ingest of generated official scores (``bench.ingest``:
10,000 rows, or 500 with ``--quick``).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench import fuzz, http, ingest, lighthouse, report, server, synthetic, workload
from dashboard.store import Store, build

ROOT = Path(__file__).resolve().parent.parent
REAL_DB = synthetic.BENCH_DIR / "real" / "atlas.duckdb"
SEED = 0
PAGES = (("/", "map"), ("/city/bologna-ita", "city"), ("/findings", "findings"))


@dataclass(frozen=True)
class Plan:
    """How many runs of each measurement, per size (``big``: 100,000 cities and more)."""
    quick: bool

    def runs(self, what: str, n: int) -> int:
        if self.quick:
            return 1
        big, mid = n >= 100_000, n >= 10_000
        table = {
            "build": 1 if big else (3 if mid else 5),
            "cold": 3 if mid else 5,
            "page": 2 if big else (3 if mid else 5),
            "e2e": 2 if big else 5,
            "memory": 1 if big else (2 if mid else 3),
            "load": 3,
            "mobile": 3,
            "lighthouse": 3,
        }
        return table[what]

    def selections(self, n: int) -> int:
        return 3 if self.quick else (6 if n >= 100_000 else (20 if n >= 10_000 else 40))

    @property
    def load_seconds(self) -> int:
        return 2 if self.quick else 20

    @property
    def ingest_rows(self) -> int:
        return 500 if self.quick else 10_000

    @property
    def fuzz_requests(self) -> int:
        return 200 if self.quick else 10_000

    @property
    def soak_seconds(self) -> int:
        return 5 if self.quick else 300


def log(*parts) -> None:
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def prepare(size: str, plan: Plan) -> dict:
    """The size's data folder and store, with how long building it took."""
    if size == "real":
        data_dir, db = synthetic.REAL_DATA, REAL_DB
        builds = []
        for _ in range(plan.runs("build", 0)):
            started = time.perf_counter()
            build(data_dir, db)
            builds.append(_ms_since(started))
        return {"data_dir": data_dir, "db": db, "build_ms": builds, "generate_ms": []}
    n = int(size)
    data_dir, db = synthetic.paths(n, SEED)
    started = time.perf_counter()
    synthetic.generate(n, data_dir, SEED)
    generate_ms = [_ms_since(started)]
    builds = []
    for _ in range(plan.runs("build", n)):
        started = time.perf_counter()
        build(data_dir, db)
        builds.append(_ms_since(started))
    return {"data_dir": data_dir, "db": db, "build_ms": builds, "generate_ms": generate_ms}


def cold_starts(env: dict, runs: int) -> list[float]:
    """Spawn gunicorn (the Procfile's settings) until the first 200 on /; stop; again."""
    out = []
    for _ in range(runs):
        with server.Gunicorn(env, ready_path="/") as g:
            out.append(g.started_in * 1000)
    return out


def in_process(env: dict, sync_template: dict, queries: list[str], repeats: int) -> dict:
    job = {"sync": sync_template, "selections": queries, "repeats": repeats}
    proc = subprocess.run([sys.executable, "-m", "bench.inproc"], input=json.dumps(job), capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, **env}, timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError("bench.inproc failed: " + proc.stderr[-2000:])
    return json.loads(proc.stdout)


def measure_size(size: str, plan: Plan, browser_, bodies: dict | None) -> tuple[dict, dict]:
    from bench import browser

    log(f"[{size}] preparing the store")
    prep = prepare(size, plan)
    store = Store(prep["db"])
    n = len(store.city_rows())
    total, europe = n, len(store.city_rows(workload.EUROPE))
    countries = store.countries()
    open_values = {"country": [c["iso3"] for c in countries], "wave": store.waves()}
    store.close()
    # the dropdown case of the filter timing: the country with the most cities
    country = max(countries, key=lambda c: (c["n"], c["iso3"]))
    env = server.server_env(prep["db"], prep["data_dir"])
    result = {"size": size, "cities": n, "europe": europe, "build_ms": prep["build_ms"],
              "generate_ms": prep["generate_ms"], "synthetic": size != "real"}

    log(f"[{size}] cold start")
    cold_env = server.server_env(prep["db"], prep["data_dir"], auto_build=True)
    result["cold_ms"] = cold_starts(cold_env, plan.runs("cold", n) - 1)

    with server.Gunicorn(cold_env, ready_path="/") as g:  # the last cold start, then the server measured
        result["cold_ms"].append(g.started_in * 1000)
        if bodies is None:
            log(f"[{size}] capturing the callback bodies from Chromium")
            bodies = browser.capture_bodies(browser_, g.url)
        log(f"[{size}] page loads")
        result["pages"] = {}
        for path, name in (PAGES if size == "real" else PAGES[:1]):
            selector = browser.CHART if name == "findings" else browser.MARKERS
            first_view = browser.FIRST_VIEW if name == "map" else None
            attempt(result["pages"], name, result, lambda: [browser.page_load(browser_, g.url, path, selector,
                                                                              first_view=first_view)
                                                            for _ in range(plan.runs("page", n))])
        if size == "real" or plan.quick:
            log(f"[{size}] map page loads under mobile throttling")
            attempt(result["pages"], "map-mobile", result, lambda: [
                browser.page_load(browser_, g.url, "/", browser.MARKERS, mobile=True, first_view=browser.FIRST_VIEW)
                for _ in range(plan.runs("mobile", n))])
        log(f"[{size}] filter change to map, in Chromium")
        result["e2e"] = {"select": [], "clear": []}
        attempt(result, "e2e", result, lambda: browser.filter_changes(browser_, g.url, total, browser.region_box(europe),
                                                                       plan.runs("e2e", n)))
        log(f"[{size}] dropdown filter change to map, in Chromium")
        result["dropdown"] = {"country": country["iso3"], "cities": country["n"]}
        attempt(result, "e2e_dropdown", result, lambda: browser.filter_changes(
            browser_, g.url, total, browser.dropdown_option("country", country["iso3"], country["n"]),
            plan.runs("e2e", n)))

        sels = workload.selections(plan.selections(n), SEED, open_values)
        sync_bodies = [json.dumps(workload.sync_body(bodies["sync"], s)) for s in sels]
        api_paths = ["/api/cities.json?" + workload.query(s) for s in sels]
        mix = http.mix(json.dumps(bodies["page"]), sync_bodies, api_paths, SEED)
        # at 100,000 cities a callback takes seconds: warm up with a third of the mix
        warm_mix = mix[:30] if n >= 100_000 else mix
        log(f"[{size}] memory after warm-up")
        memory = [g.worker_rss_mb()]
        warm(g, warm_mix, result, "warm-up")
        result["rss_idle_mb"] = memory[0]
        result["rss_warm_mb"] = g.worker_rss_mb()
    for _ in range(plan.runs("memory", n) - 1):
        with server.Gunicorn(env) as g:
            warm(g, warm_mix, result, "warm-up")
            result["rss_warm_mb"] += g.worker_rss_mb()

    log(f"[{size}] server time over loopback (one worker)")
    one_worker = _with_workers(server.procfile_args(), 1)
    with server.Gunicorn(env, args=one_worker) as g:
        reqs = [("POST", http.CALLBACK_PATH, b) for b in sync_bodies]
        result["callback_computed_ms"], result["callback_bytes"] = http.timed(g.url, reqs)
        result["callback_cached_ms"] = []
        for _ in range(3 if not plan.quick else 1):
            result["callback_cached_ms"] += http.timed(g.url, reqs)[0]
        api = [("GET", p, None) for p in api_paths]
        result["api_computed_ms"], result["api_bytes"] = http.timed(g.url, api)
        result["api_cached_ms"] = http.timed(g.url, api)[0]
        europe_body = json.dumps(workload.sync_body(bodies["sync"], workload.EUROPE))
        _, result["europe_callback_bytes"] = http.timed(g.url, [("POST", http.CALLBACK_PATH, europe_body)])
        result["europe_callback_bytes"] = result["europe_callback_bytes"][0]

    log(f"[{size}] server time in process")
    result["inproc"] = in_process(env, bodies["sync"], [workload.query(s) for s in sels], 3 if not plan.quick else 1)

    if size == "real" or plan.quick:
        log(f"[{size}] fuzz: {plan.fuzz_requests:,} generated malformed requests")
        attempt(result, "fuzz", result, lambda: fuzz_run(env, plan.fuzz_requests, prep["db"]))
        result["load"] = {}
        variants = {"sync (Procfile)": server.procfile_args()}
        if not plan.quick:
            variants["gthread, 4 threads"] = server.procfile_args() + ["--worker-class", "gthread", "--threads", "4"]
        for name, args in variants.items():
            log(f"[{size}] load: {name}")
            runs = []
            for _ in range(plan.runs("load", n)):
                with server.Gunicorn(env, args=args) as g:
                    warm(g, mix, result, f"warm-up before load ({name})")
                    runs.append(http.wrk(g.url, mix, plan.load_seconds))
                    runs[-1]["rss_mb"] = g.worker_rss_mb()
            result["load"][name] = runs
        log(f"[{size}] soak: {plan.soak_seconds} s of the mix")
        attempt(result, "soak", result, lambda: soak_run(env, mix, plan, result))
    if size == "real" and not plan.quick:
        if lighthouse.available():
            log(f"[{size}] Lighthouse, desktop and mobile")
            with server.Gunicorn(env) as g:
                attempt(result, "lighthouse", result, lambda: lighthouse.measure(g.url, plan.runs("lighthouse", n)))
        else:
            result.setdefault("failures", []).append("lighthouse: not installed (make bench installs it into "
                                                     "bench/lighthouse/ with npm ci)")
    return result, bodies


def soak_run(env: dict, mix: list[tuple], plan: Plan, result: dict) -> dict:
    """The mix for ``plan.soak_seconds`` at 32 connections against gunicorn (Procfile settings), after
    a warm-up of a tenth of that under the same load: errors, latencies and each worker's memory over time."""
    with server.Gunicorn(env) as g:
        warm(g, mix, result, "warm-up before the soak")
        http.wrk(g.url, mix, max(2, plan.soak_seconds // 10))
        pids = g.worker_pids()
        out = http.soak(g.url, mix, plan.soak_seconds, g.worker_rss_mb, every=2 if plan.quick else 15)
        out["same_workers"] = g.worker_pids() == pids  # none was replaced (the memory is one process's)
        return out


def fuzz_run(env: dict, n: int, db: Path) -> dict:
    """``n`` requests from bench/fuzz.py against gunicorn (Procfile settings): answers by status,
    whether it still answers afterwards, and its workers' memory before and after."""
    store = Store(db)
    city_ids = [r["id"] for r in store.city_rows()]
    store.close()
    with server.Gunicorn(env) as g:
        rss_before = g.worker_rss_mb()
        started = time.perf_counter()
        counts = fuzz.against(g.url, city_ids, n, seed=SEED)
        elapsed = time.perf_counter() - started
        alive = server._get(g.url + "/healthz") == 200
        return {"requests": n, "status": {str(k): v for k, v in sorted(counts.items())}, "seconds": elapsed,
                "alive": alive, "rss_before_mb": rss_before, "rss_after_mb": g.worker_rss_mb()}


def attempt(target: dict, key: str, result: dict, measure) -> None:
    """``target[key] = measure()``; a failure is logged and listed in the report instead."""
    try:
        target[key] = measure()
    except Exception as exc:  # a browser timeout must not lose the other measurements
        log(f"[{result['size']}] {key} failed: {exc}")
        result.setdefault("failures", []).append(f"{key}: {str(exc).splitlines()[0]}")


def warm(g: server.Gunicorn, mix: list[tuple], result: dict, what: str) -> None:
    """Send the mix once; failed requests go into the report with the server's last error."""
    failed = http.warm(g.url, mix)
    if failed:
        error = [ln for ln in g.errors().splitlines() if ln.strip() and not ln.startswith(("[", " "))][-1:]
        result.setdefault("failures", []).append(f"{what}: {failed} of {len(mix)} requests failed "
                                                 f"({error[0] if error else 'no error logged'})")


def _with_workers(args: list[str], workers: int) -> list[str]:
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("--workers", "-w"):
            skip = True
            continue
        if a.startswith("--workers="):
            continue
        out.append(a)
    return ["--workers", str(workers), *out]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 500 synthetic cities, one run each")
    parser.add_argument("--sizes", help="comma-separated: real and/or numbers of synthetic cities "
                                        "(default: real,10000,100000; with --quick: 500)")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md", help="report file (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="also write the raw measurements here")
    args = parser.parse_args(argv)
    if not http.have_wrk():
        print("wrk is missing: install it with scripts/system-deps.sh (Debian package wrk)", file=sys.stderr)
        return 2
    plan = Plan(args.quick)
    sizes = (args.sizes or ("500" if args.quick else "real,10000,100000")).split(",")
    for s in sizes:
        if s != "real" and not (s.isdigit() and int(s) > 0):
            parser.error(f"--sizes: {s!r} is neither 'real' nor a number of cities")
    from playwright.sync_api import sync_playwright

    from bench import browser

    env = report.environment(load_before=os.getloadavg())
    started = time.perf_counter()
    log(f"ingest of {plan.ingest_rows:,} generated official-score rows")
    ingested = ingest.measure(plan.ingest_rows, 1 if plan.quick else 3, SEED)
    results, bodies = [], None
    with sync_playwright() as p:
        chromium = browser.launch(p)
        try:
            for size in sizes:
                result, bodies = measure_size(size, plan, chromium, bodies)
                results.append(result)
        finally:
            chromium.close()
    env["load_after"] = os.getloadavg()
    env["runtime_s"] = time.perf_counter() - started
    env["quick"] = plan.quick
    env["load_seconds"] = plan.load_seconds
    if args.json:
        args.json.write_text(json.dumps({"environment": env, "results": results, "ingest": ingested}, indent=1,
                                        default=str))
    args.out.write_text(report.render(env, results, ingested), encoding="utf-8")
    log(f"wrote {args.out} in {env['runtime_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
