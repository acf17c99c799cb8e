"""An ingest while a real gunicorn serves a steady stream of requests: none fails, and the
new data is served without a restart."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from dashboard.store import build
from tests.conftest import ROOT, start_gunicorn

PATHS = ("/api/cities/bologna-ita.json", "/api/cities.json?region=europe", "/healthz", "/city/bologna-ita")


def _request_loop(url: str, stop: threading.Event, results: list, failures: list) -> None:
    i = 0
    while not stop.is_set():
        path = PATHS[i % len(PATHS)]
        i += 1
        try:
            with urllib.request.urlopen(url + path, timeout=20) as resp:
                body = resp.read()
                results.append((path, resp.status, body if path == PATHS[0] else b""))
        except (urllib.error.URLError, OSError) as exc:  # HTTPError (any 4xx/5xx) included
            failures.append(f"{path}: {exc}")


def _psi_source(body: bytes) -> str | None:
    return json.loads(body)["city"].get("psi_source")


def test_ingest_while_serving_fails_no_request(data_copy, tmp_path):
    db = tmp_path / "var" / "atlas.duckdb"
    build(data_copy, db)
    env = {"ATLAS_DB": str(db), "ATLAS_DATA_DIR": str(data_copy), "ATLAS_AUTO_BUILD": "1",
           "ATLAS_COMPRESSED_DIR": str(tmp_path / "compressed")}
    proc, url = start_gunicorn(env, workers=2)
    stop, results, failures = threading.Event(), [], []
    loops = [threading.Thread(target=_request_loop, args=(url, stop, results, failures)) for _ in range(2)]
    try:
        for t in loops:
            t.start()
        time.sleep(1.5)
        extract = tmp_path / "extract.csv"
        extract.write_text("city_id,psi_index,data_use_index,source_title,source_url\n"
                           "bologna-ita,8.5,,OECD extract,https://example.org/extract\n", encoding="utf-8")
        ingested = subprocess.run([sys.executable, "-m", "dashboard.store", "ingest", str(extract),
                                   "--data", str(data_copy), "--db", str(db)],
                                  cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert ingested.returncode == 0, ingested.stdout + ingested.stderr
        served_at = len(results)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            new = [b for p, _, b in results[served_at:] if p == PATHS[0]]
            if new and _psi_source(new[-1]) == "official":
                break
            time.sleep(0.2)
        time.sleep(1.0)  # keep the loop going past the swap
    finally:
        stop.set()
        for t in loops:
            t.join(30)
        proc.terminate()
        proc.wait(10)
    assert failures == [], failures[:5]
    assert len(results) > 20 and all(status == 200 for _, status, _ in results)
    sources = [_psi_source(b) for p, _, b in results if p == PATHS[0]]
    assert sources[0] == "estimate" and sources[-1] == "official"
