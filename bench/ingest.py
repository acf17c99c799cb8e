"""The ingest measurement: an extract of generated official scores loaded into a synthetic store.

``measure(n, runs, seed)`` generates ``n`` synthetic cities (``bench.synthetic``,
flagged, under ``var/bench/ingest-<n>-seed<seed>/``), builds their store, writes
an extract of ``n`` official-score rows for them (seeded values; the source
title says they are synthetic and the address is under ``synthetic.invalid``)
and runs ``python -m dashboard.store ingest`` on it as staff would: once with
``--dry-run`` (read, validate, report) and once for real (also write the data
file and rebuild the store), each from the same starting files. Each run is a
fresh process; its time includes Python's start-up, and its peak memory is the
process's VmHWM.
"""
from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench import synthetic
from dashboard.store import build

ROOT = Path(__file__).resolve().parent.parent
TITLE = "Synthetic benchmark extract (not OECD data)"
# runs the CLI and prints the process's peak resident memory (VmHWM) on stderr
_RUNNER = ("import sys; from pathlib import Path; from dashboard.store.__main__ import main; rc = main(sys.argv[1:]); "
           "hwm = [ln for ln in Path('/proc/self/status').read_text().splitlines() if ln.startswith('VmHWM')]; "
           "print('PEAK_KB', hwm[0].split()[1] if hwm else 0, file=sys.stderr); sys.exit(rc)")


def write_extract(city_ids: list[str], path: Path, seed: int) -> Path:
    """One official-scores row per city, seeded: the same seed gives the same file."""
    rng = np.random.default_rng(seed)
    psi = np.round(rng.uniform(0, 10, size=len(city_ids)), 1)
    dui = rng.integers(0, 39, size=len(city_ids))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["city_id", "psi_index", "data_use_index", "source_title", "source_url", "received"])
        for cid, p, d in zip(city_ids, psi, dui):
            w.writerow([cid, f"{p:.1f}", int(d), TITLE, f"{synthetic.SYNTHETIC_URL}/extract", "2026-01-01"])
    return path


def _run(args: list[str]) -> tuple[float, float, str]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _RUNNER, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=1800)
    ms = (time.perf_counter() - started) * 1000
    if proc.returncode != 0:
        raise RuntimeError("ingest failed: " + (proc.stdout + proc.stderr)[-2000:])
    peak = int(proc.stderr.split("PEAK_KB")[1].split()[0]) / 1024
    return ms, peak, proc.stdout


def measure(n: int, runs: int, seed: int = 0, root: Path = synthetic.BENCH_DIR) -> dict:
    base = Path(root) / f"ingest-{n}-seed{seed}"
    data_dir, db = base / "data", base / "atlas.duckdb"
    synthetic.generate(n, data_dir, seed)
    build(data_dir, db)
    with (data_dir / "cities.csv").open(encoding="utf-8", newline="") as fh:
        ids = [r["id"] for r in csv.DictReader(fh)]
    extract = write_extract(ids, base / "official-scores-extract.csv", seed)
    scores, store = (data_dir / "official_scores.csv").read_bytes(), db.read_bytes()
    result = {"rows": n, "extract_bytes": extract.stat().st_size, "dry_run_ms": [], "dry_run_peak_mb": [],
              "ingest_ms": [], "ingest_peak_mb": []}
    common = [str(extract), "--data", str(data_dir), "--db", str(db)]
    for _ in range(runs):
        for key, extra in (("dry_run", ["--dry-run"]), ("ingest", [])):
            (data_dir / "official_scores.csv").write_bytes(scores)
            db.write_bytes(store)
            ms, peak, out = _run(["ingest", *common, *extra])
            if f"added {n:,}" not in out:
                raise RuntimeError(f"ingest did not add {n} rows: {out[-1000:]}")
            result[f"{key}_ms"].append(ms)
            result[f"{key}_peak_mb"].append(peak)
    return result
