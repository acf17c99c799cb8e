"""Faults survived by a real gunicorn (with the project's gunicorn.conf.py), a request loop
running during each: a rebuild, a killed worker while data/ is broken, a deleted or
damaged store, a read-only or full var/ at start.

Select with ``pytest -m faults``. The read-only and full var/ cases run gunicorn in a
private mount namespace (``unshare``) where var/ is a read-only bind mount or a small
tmpfs, so they need neither root nor a real full disk.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests

from dashboard.store import build
from dashboard.store.files import backup_path, inspect
from tests.conftest import DATA, ROOT, child_pids, start_gunicorn

pytestmark = pytest.mark.faults
CITY_API = "/api/cities/adelaide-aus.json"


class RequestLoop:
    """Threads requesting ``paths`` over and over until stopped; every answer is kept."""

    def __init__(self, url: str, paths: list[str], threads: int = 2):
        self.url, self.paths, self.answers = url, paths, []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self) -> None:
        session = requests.Session()
        while not self.stop.is_set():
            for path in self.paths:
                try:
                    r = session.get(self.url + path, timeout=20)
                    self.answers.append((path, r.status_code, r.headers, r.content))
                except requests.RequestException as exc:
                    self.answers.append((path, None, {}, str(exc).encode()))
                    session = requests.Session()

    def __enter__(self) -> "RequestLoop":
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(30)

    def statuses(self, since: int = 0) -> Counter:
        return Counter(status for _, status, _, _ in self.answers[since:])


@pytest.fixture()
def served(tmp_path):
    """Start gunicorn on ``env``; it is stopped after the test. Its error log is ``tmp_path/gunicorn.log``."""
    procs = []
    log = tmp_path / "gunicorn.log"

    def start(env: dict, workers: int = 2, wrap: list[str] = ()) -> tuple[subprocess.Popen, str]:
        env = {"ATLAS_COMPRESSED_DIR": str(tmp_path / "compressed"), "CACHE_REDIS_URL": "", **env}
        proc, url = start_gunicorn(env, workers=workers, log=log, wrap=wrap)
        procs.append(proc)
        return proc, url

    start.log = log
    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(20)


def _store_cli(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "dashboard.store", *args], cwd=ROOT, check=True, capture_output=True,
                   timeout=120)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _wait_for(condition, timeout: float = 20, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _health(url: str) -> tuple[int, dict]:
    r = requests.get(url + "/healthz", timeout=10)
    return r.status_code, r.json()


def _replace_a_worker(proc: subprocess.Popen) -> int:
    """SIGKILL one worker (mid-request under the loop); the pid of its replacement."""
    before = child_pids(proc.pid)
    os.kill(before[0], signal.SIGKILL)
    new = _wait_for(lambda: set(child_pids(proc.pid)) - set(before), what="a replacement worker")
    return new.pop()


def test_a_rebuild_while_serving_fails_no_request_and_mixes_no_data(served, data_copy, tmp_path):
    db = tmp_path / "var" / "atlas.duckdb"
    renamed = tmp_path / "renamed"
    shutil.copytree(data_copy, renamed)
    _edit(renamed / "cities.csv", ",Adelaide,", ",Adelaide Renamed,")
    build(data_copy, db)
    name_at = {inspect(db)["built_at"]: "Adelaide"}
    proc, url = served({"ATLAS_DB": str(db), "ATLAS_DATA_DIR": str(data_copy), "ATLAS_AUTO_BUILD": "0"})
    with RequestLoop(url, [CITY_API, "/api/cities.json?region=oceania"]) as loop:
        for source in [renamed, data_copy, renamed]:
            time.sleep(1.05 - time.time() % 1)  # each build in its own second: built_at tells them apart
            _store_cli("build", "--data", str(source), "--db", str(db))
            name_at[inspect(db)["built_at"]] = "Adelaide Renamed" if source == renamed else "Adelaide"
            time.sleep(0.3)
    assert loop.statuses() == Counter({200: len(loop.answers)}), loop.statuses()
    seen = Counter()
    for path, _, _, body in loop.answers:
        if path == CITY_API:
            answer = json.loads(body)
            # the store's build time and the city come from one store file
            assert answer["city"]["name"] == name_at[answer["meta"]["generated_at"]]
            seen[answer["city"]["name"]] += 1
    assert set(seen) == {"Adelaide", "Adelaide Renamed"}, seen  # the loop saw both versions


def test_a_worker_killed_while_data_is_broken_is_replaced_and_serves_the_last_good_store(served, data_copy,
                                                                                         tmp_path):
    db = tmp_path / "var" / "atlas.duckdb"
    proc, url = served({"ATLAS_DB": str(db), "ATLAS_DATA_DIR": str(data_copy), "ATLAS_AUTO_BUILD": "1"})
    assert _health(url)[1]["status"] == "ok"
    _edit(data_copy / "cities.csv", "AUS,oceania,", "AUS,atlantis,")  # a broken file lands in data/
    with RequestLoop(url, ["/api/cities.json?region=europe", "/healthz"]) as loop:
        time.sleep(0.5)
        replacement = _replace_a_worker(proc)
        time.sleep(0.3)  # the requests the killed worker had taken have failed by now
        started = len(loop.answers)
        # the replacement starts the app (on the store there, saying why it is degraded) and serves
        _wait_for(lambda: f"[{replacement}] [WARNING] starting degraded" in served.log.read_text(),
                  what="the replacement worker's start")
        time.sleep(1)
    assert proc.poll() is None, "the master exited"
    assert replacement in child_pids(proc.pid)
    statuses = loop.statuses()
    assert statuses[200] > 20 and sum(n for s, n in statuses.items() if s != 200) <= 2, statuses
    assert loop.statuses(started) == Counter({200: len(loop.answers) - started})
    status, body = _health(url)
    assert status == 200 and body["status"] == "degraded" and "changed since this store was built" in body["reason"]
    assert "Traceback" not in served.log.read_text()


def test_hup_rebuilds_from_changed_data_then_replaces_the_workers(served, data_copy, tmp_path):
    db = tmp_path / "var" / "atlas.duckdb"
    proc, url = served({"ATLAS_DB": str(db), "ATLAS_DATA_DIR": str(data_copy), "ATLAS_AUTO_BUILD": "1"})
    before = _health(url)[1]["data_version"]
    _edit(data_copy / "cities.csv", ",Adelaide,", ",Adelaide City,")
    assert "changed since this store was built" in _health(url)[1]["reason"]
    with RequestLoop(url, [CITY_API]) as loop:
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGHUP)
        _wait_for(lambda: requests.get(url + CITY_API, timeout=10).json()["city"]["name"] == "Adelaide City",
                  what="the rebuilt store")
        time.sleep(0.5)
    assert loop.statuses() == Counter({200: len(loop.answers)})
    _wait_for(lambda: _health(url)[1]["status"] == "ok", what="ok after the reload")
    assert _health(url)[1]["data_version"] != before


def test_a_deleted_then_damaged_store_while_serving_is_survived(served, data_copy, tmp_path):
    db = tmp_path / "var" / "atlas.duckdb"
    build(data_copy, db)
    env = {"ATLAS_DB": str(db), "ATLAS_DATA_DIR": str(data_copy), "ATLAS_AUTO_BUILD": "0"}
    proc, url = served(env, workers=1)
    paths = ["/api/cities.json?region=asia", "/city/bologna-ita", "/healthz"]
    with RequestLoop(url, paths) as loop:
        time.sleep(0.5)
        db.unlink()  # deleted while serving: the open file is still readable
        time.sleep(1)
        assert _health(url)[1]["status"] == "degraded"
        _replace_a_worker(proc)  # a new worker: opens the last good copy
        time.sleep(1)
        mark = len(loop.answers)
        time.sleep(1)
    assert loop.statuses(mark) == Counter({200: len(loop.answers) - mark})
    status, body = _health(url)
    assert status == 200 and body["status"] == "degraded" and "last good copy" in body["reason"]

    _store_cli("restore", "--db", str(db))
    _wait_for(lambda: _health(url)[1]["status"] == "ok", what="ok after restore")

    backup_path(db).unlink()
    with RequestLoop(url, paths) as loop:
        time.sleep(0.3)
        db.write_bytes(b"not a store")  # damaged in place, and no copy to fall back on
        time.sleep(1.5)
        mark = len(loop.answers)
        time.sleep(1)
    during = loop.answers[mark:]
    assert {status for _, status, _, _ in during} == {503}
    for path, _, headers, body in during:
        assert headers["Retry-After"] and len(body) < 300 and b"Traceback" not in body
    assert all(json.loads(body)["status"] == "unavailable" for p, _, _, body in during if p == "/healthz")
    assert 500 not in loop.statuses()
    log = served.log.read_text()
    assert "Traceback" not in log
    assert log.count("unusable") == 1, log[-3000:]  # once per interval, not once per request

    _store_cli("build", "--data", str(data_copy), "--db", str(db))
    _wait_for(lambda: _health(url)[1]["status"] == "ok", what="ok after a rebuild")
    assert requests.get(url + paths[0], timeout=10).status_code == 200


def _namespace_works() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True).returncode == 0


MOUNT = {
    "read-only": 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"',
    # a tmpfs with room for the store but not for a new build of it and its copy (size: $SIZE)
    "full": 'rm -f "$0.seed"; { [ ! -f "$0/atlas.duckdb" ] || cp "$0/atlas.duckdb" "$0.seed"; } && '
            'mount -t tmpfs -o size="$SIZE" tmpfs "$0" && { [ ! -f "$0.seed" ] || cp "$0.seed" "$0/atlas.duckdb"; } && '
            'exec "$@"',
}
WHY = {"read-only": "Read-only file system", "full": "No space left on device"}


@pytest.mark.parametrize("fault", ["read-only", "full"])
def test_a_read_only_or_full_var_at_start_serves_the_store_there_or_says_what_to_change(fault, served, data_copy,
                                                                                       tmp_path):
    if not _namespace_works():
        pytest.skip("needs `unshare --user --mount` (unprivileged user namespaces) to make var/ read-only or full")
    var = tmp_path / "var"
    db = var / "atlas.duckdb"
    build(data_copy, db)
    backup_path(db).unlink()
    _edit(data_copy / "cities.csv", ",Adelaide,", ",Adelaide City,")  # the store is stale: start wants to build
    env = {"ATLAS_DB": str(db), "ATLAS_DATA_DIR": str(data_copy), "ATLAS_AUTO_BUILD": "1",
           "SIZE": f"{db.stat().st_size // 1024 + 1024}k"}
    wrap = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", MOUNT[fault], str(var)]
    proc, url = served(env, wrap=wrap)
    with RequestLoop(url, ["/api/cities.json?region=oceania", "/healthz"]) as loop:
        time.sleep(1.5)
    assert loop.statuses() == Counter({200: len(loop.answers)})
    status, body = _health(url)
    assert body["status"] == "degraded" and WHY[fault] in body["reason"] and "ATLAS_DB" in body["reason"]
    log = served.log.read_text()
    assert WHY[fault] in log and str(db) in log and "ATLAS_DB" in log and "Traceback" not in log
    proc.terminate()
    proc.wait(20)

    db.unlink()
    if fault == "full":  # room for a new store but not for its copy as well: built and served, the copy is missing
        proc, url = served(env, wrap=wrap)
        assert _health(url)[1]["status"] == "ok"
        assert "could not refresh its last good copy" in served.log.read_text()
        return
    # no store at all and none can be built: the master stops at once with what to change, no traceback
    with pytest.raises(RuntimeError) as info:
        served(env, wrap=wrap)
    message = served.log.read_text()
    assert "cannot start" in message and str(db) in message and "ATLAS_DB" in message, str(info.value)
    assert "Traceback" not in message
