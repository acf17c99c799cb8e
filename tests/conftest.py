"""Shared fixtures: a store built from the real data, a copy of data/ to break,
and a real gunicorn serving the app for browser tests."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Chromium flags for this closed network (see README, "Testing").
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--disable-quic"]


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    from dashboard.store import build

    db = tmp_path_factory.mktemp("store") / "atlas.duckdb"
    build(DATA, db)
    return db


@pytest.fixture(scope="session")
def store(built_db):
    from dashboard.store import Store

    s = Store(built_db)
    yield s
    s.close()


@pytest.fixture()
def data_copy(tmp_path) -> Path:
    """A private copy of data/ that a test may break."""
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst, ignore=shutil.ignore_patterns("raw"))
    return dst


@pytest.fixture(scope="session")
def app_env(built_db) -> dict:
    return {"ATLAS_DB": str(built_db), "ATLAS_DATA_DIR": str(DATA), "ATLAS_AUTO_BUILD": "0",
            "ATLAS_COMPRESSED_DIR": str(built_db.parent / "compressed")}


@pytest.fixture(scope="session")
def flask_client(app_env):
    """The app in-process (Flask test client), on the session's built store."""
    old = {k: os.environ.get(k) for k in app_env}
    os.environ.update(app_env)
    try:
        import app as app_module

        yield app_module.server.test_client()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture()
def request_ctx(flask_client):
    """A Flask request context, for code that translates strings (``_``) or reads the request."""
    import app as app_module

    with app_module.server.test_request_context("/"):
        yield


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, workers: int = 1, log: Path | None = None,
                   wrap: list[str] = ()) -> tuple[subprocess.Popen, str]:
    """gunicorn with the project's gunicorn.conf.py on a free loopback port, once /healthz answers.
    ``log``: a file for its error log (else a pipe, read when it fails to start); ``wrap``: a command
    gunicorn's own command line is appended to (e.g. to run it in a namespace)."""
    port = free_port()
    stderr = log.open("w") if log else subprocess.PIPE
    proc = subprocess.Popen(
        [*wrap, sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--no-control-socket", "app:server"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=stderr)
    if log:
        stderr.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited: " + (log.read_text() if log else proc.stderr.read().decode())[-2000:])
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            return proc, url
        except urllib.error.HTTPError:  # answering, e.g. 503 while it has no store
            return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not answer within 60 s")


def child_pids(pid: int) -> list[int]:
    """The child processes of ``pid`` (a gunicorn master's workers)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                pids.append(int(entry.name))
    return sorted(pids)


@pytest.fixture(scope="session")
def app_url(app_env):
    proc, url = start_gunicorn(app_env)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "headless": True,
            "args": CHROME_FLAGS}


@pytest.fixture()
def console_errors(page):
    """Browser console errors and uncaught exceptions seen during a test."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors
