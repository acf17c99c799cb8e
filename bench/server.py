"""gunicorn as the Procfile runs it, on a free loopback port, with its workers' memory."""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import child_pids, free_port

ROOT = Path(__file__).resolve().parent.parent
PROCFILE = ROOT / "Procfile"
LOGS = ROOT / "var" / "bench" / "logs"


def procfile_args(procfile: Path = PROCFILE) -> list[str]:
    """The gunicorn arguments of the Procfile's ``web`` line, without its ``--bind``."""
    line = next(ln for ln in procfile.read_text(encoding="utf-8").splitlines() if ln.startswith("web:"))
    args = shlex.split(line[len("web:"):])
    if not args or args[0] != "gunicorn":
        raise ValueError(f"the Procfile's web line does not run gunicorn: {line!r}")
    out, skip = [], False
    for arg in args[1:]:
        if skip:
            skip = False
        elif arg in ("--bind", "-b"):
            skip = True
        elif not (arg.startswith("--bind=") or (arg.startswith("-b") and len(arg) > 2)):
            out.append(arg)
    return out


def server_env(db: Path, data_dir: Path, auto_build: bool = False) -> dict[str, str]:
    """The environment of a benchmarked instance: this store, the in-process cache (the default)."""
    return {"ATLAS_DB": str(db), "ATLAS_DATA_DIR": str(data_dir), "ATLAS_AUTO_BUILD": "1" if auto_build else "0",
            "CACHE_REDIS_URL": ""}


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            response.read()
            return response.status
    except OSError:
        return 0


class Gunicorn:
    """``with Gunicorn(env) as g:`` serves the app on ``g.url``; ``g.started_in`` is the
    time from spawning the process to the first 200 on ``ready_path``."""

    def __init__(self, env: dict[str, str], args: list[str] | None = None, ready_path: str = "/"):
        self.env, self.ready_path = env, ready_path
        self.args = procfile_args() if args is None else args
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.started_in: float | None = None
        LOGS.mkdir(parents=True, exist_ok=True)
        self.log = LOGS / f"gunicorn-{self.port}.log"  # its error log: what went wrong in a 500

    def errors(self) -> str:
        """The end of the error log (tracebacks of failed requests)."""
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def __enter__(self) -> "Gunicorn":
        started = time.perf_counter()
        with self.log.open("w") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}",
                                          *self.args], cwd=ROOT, env={**os.environ, **self.env},
                                         stdout=subprocess.DEVNULL, stderr=log)
        deadline = started + 300
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited: " + self.errors())
            if _get(self.url + self.ready_path) == 200:
                self.started_in = time.perf_counter() - started
                return self
            time.sleep(0.02)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer {self.ready_path} within 300 s")

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the gunicorn master)."""
        return child_pids(self.proc.pid)

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker (VmRSS), in MB."""
        out = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out.append(int(line.split()[1]) / 1024)
        return out
