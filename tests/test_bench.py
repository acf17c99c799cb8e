"""The benchmark suite's own parts: the seeded synthetic cities, the statistics, and a
smoke run of ``python -m bench.run --quick`` (no timed assertions anywhere)."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from bench import http, synthetic
from bench.server import procfile_args
from bench.stats import percentile, summary
from dashboard.facets import Filters
from dashboard.store.sources import SOURCE_FILES
from dashboard.store import Store, build
from tests.conftest import DATA, ROOT
from tests.reference import count


def _digests(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """300 synthetic cities, generated and built, with data/ checked before and after."""
    before = _digests(DATA)
    root = tmp_path_factory.mktemp("bench")
    data_dir, db = synthetic.prepare(300, seed=7, root=root)
    assert _digests(DATA) == before
    return data_dir, db


def test_the_same_seed_gives_the_same_files(small, tmp_path):
    data_dir, _ = small
    again = synthetic.generate(300, tmp_path / "again", seed=7)
    assert _digests(again) == _digests(data_dir)
    other = synthetic.generate(300, tmp_path / "other", seed=8)
    assert _digests(other)["cities.csv"] != _digests(data_dir)["cities.csv"]


def test_a_complete_folder_of_n_flagged_cities_that_validation_accepts(small):
    data_dir, db = small
    assert set(SOURCE_FILES) <= {p.name for p in data_dir.iterdir()}
    store = Store(db)
    try:
        assert count(store) == 300  # built by dashboard.store.build: every check passed
        assert store.build_info()["synthetic"] == "true"
        rows = store.rows("SELECT id, name, source_url FROM cities")
        assert all(r["id"].startswith("syn-") and r["name"].startswith("Synthetic city ") for r in rows)
        assert all(r["source_url"].startswith(synthetic.SYNTHETIC_URL) for r in rows)
        # answers follow the real data: most cities have a profile, some responded to COVID-19
        assert 0 < store.rows("SELECT count(*) n FROM profiles")[0]["n"] < 300
        assert count(store, Filters(covid=("inclusive-social",))) > 0
    finally:
        store.close()


def test_the_real_store_is_not_flagged(store):
    assert "synthetic" not in store.build_info()


def test_never_writes_into_the_shipped_data_or_the_app_store(tmp_path):
    for target in (DATA, DATA / "sub", ROOT / "var", ROOT):
        with pytest.raises(synthetic.UnsafeTarget):
            synthetic.generate(10, target)
    with pytest.raises(synthetic.UnsafeTarget):
        synthetic.prepare(10, root=ROOT / "var" / "atlas.duckdb")
    keep = tmp_path / "not-synthetic"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine")
    with pytest.raises(synthetic.UnsafeTarget):
        synthetic.generate(10, keep)
    assert (keep / "notes.txt").read_text() == "mine"


def test_a_flagged_folder_builds_a_flagged_store(data_copy, tmp_path):
    (data_copy / "SYNTHETIC").write_text("test")
    build(data_copy, tmp_path / "s.duckdb")
    store = Store(tmp_path / "s.duckdb")
    assert store.build_info()["synthetic"] == "true"
    store.close()


def test_summary_and_percentiles():
    s = summary([5, 1, 3, 9, 7])
    assert (s.median, s.low, s.high, s.n) == (5, 1, 9, 5)
    assert summary([4, 2]).median == 3
    assert s.text(" ms") == "5 ms (1–9, n=5)"
    assert summary([1500]).text(" ms") == "1,500 ms (n=1)"
    assert percentile([1, 2, 3, 4, 5], 50) == 3
    assert percentile([1, 2, 3, 4, 5], 95) == pytest.approx(4.8)
    assert percentile([10], 99) == 10
    with pytest.raises(ValueError):
        summary([])


def test_procfile_args_keep_the_worker_settings_but_not_the_bind():
    args = procfile_args()
    assert "app:server" in args and "--no-control-socket" in args
    assert not any(a.startswith(("--bind", "-b")) for a in args)


def test_the_load_mix_and_its_wrk_script():
    reqs = http.mix('{"page": 1}', ['{"a": "]]"}'], ["/api/cities.json"], seed=1)
    kinds = [(m, p, b == '{"page": 1}') for m, p, b in reqs]
    assert len(reqs) == 100
    assert kinds.count(("GET", "/", False)) == 10 and kinds.count(("POST", http.CALLBACK_PATH, True)) == 10
    assert kinds.count(("POST", http.CALLBACK_PATH, False)) == 50 and kinds.count(("GET", "/api/cities.json", False)) == 30
    script = http.wrk_script([("POST", "/a", '{"a": "]]"}'), ("POST", "/b", '{"b": "]=]"}'), ("GET", "/", None)])
    assert '{[=[POST]=], [=[/a]=], [=[{"a": "]]"}]=]}' in script
    assert '[==[{"b": "]=]"}]==]' in script and "[=[/]=], nil}" in script and "BENCH_JSON" in script


def test_quick_run_writes_a_report(tmp_path):
    if not http.have_wrk():
        if os.environ.get("CI"):
            pytest.fail("wrk is missing: CI must install it (scripts/system-deps.sh)")
        pytest.skip("wrk is not installed: scripts/system-deps.sh installs Debian's wrk")
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Debian chromium is not installed (scripts/system-deps.sh)")
    out = tmp_path / "BENCH.md"
    committed = ROOT / "BENCHMARKS.md"
    before = committed.read_bytes() if committed.exists() else None
    raw = tmp_path / "raw.json"
    proc = subprocess.run([sys.executable, "-m", "bench.run", "--quick", "--out", str(out), "--json", str(raw)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    for heading in ("## Machine and versions", "## Budgets (issue 5)", "## 1. Store build and cold start",
                    "## 2. First load on the wire", "## 3. Server time", "## 4. End to end in Chromium",
                    "## 5. Load", "## 6. Memory", "## 7. Ingest", "## 8. Hostile input"):
        assert heading in text
    assert "500 synthetic" in text and "(n=1)" in text
    assert "500 official-score rows" in text
    # the report can be written again from the raw measurements alone
    again = tmp_path / "AGAIN.md"
    subprocess.run([sys.executable, "-m", "bench.report", str(raw), "--out", str(again)], cwd=ROOT, check=True,
                   capture_output=True, timeout=60)
    assert again.read_text(encoding="utf-8") == text
    assert (committed.read_bytes() if committed.exists() else None) == before


def test_a_missed_lighthouse_goal_gives_its_shortfall_and_reason():
    from bench.report import REASONS, section_lighthouse

    def run(score):
        return {"score": score, "fcp_ms": 1000.0, "lcp_ms": 1200.0, "tbt_ms": 300.0, "si_ms": 1100.0}

    lines = "\n".join(section_lighthouse([{"lighthouse": {
        "/present": {"desktop": [run(99)] * 3, "mobile": [run(82)] * 3},
        "/about": {"mobile": [run(88), run(89), run(95)]}}}]))
    present_desktop, present_mobile, about = [line for line in lines.splitlines() if line.startswith("| `/")]
    assert "| met |" in present_desktop
    assert "missed by 8: " + REASONS["lighthouse"] in present_mobile
    assert "missed by 1: " + REASONS["lighthouse"] in about
