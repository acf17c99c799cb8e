"""The store's files: opening one read-only, its last good copy, and serving through faults.

``ServedFile`` is what the app reads through. It reopens the store when a build
swaps in a new file, and survives a store file that goes missing, is
truncated or corrupted while the app serves it: it keeps the copy it has open
when that copy is still whole (a deleted or replaced file stays readable
while open), else opens the last good copy (``backup_path``, written by every
build), else raises :class:`StoreUnavailable` (the app answers 503) until a
good file is back. A request pins the file it first read, so it sees one
store from start to end: the old data or the new, never a mix.
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
import time
from pathlib import Path

import duckdb

from dashboard.store.schema import SCHEMA_VERSION

log = logging.getLogger(__name__)
LOG_INTERVAL = 60.0  # seconds: a lasting fault is logged once per interval, not once per request
# errors that say the file is damaged, not that a query is wrong (those stay errors)
FILE_ERRORS = (duckdb.IOException, duckdb.InternalException, duckdb.FatalException, duckdb.SerializationException)


class StoreFileError(Exception):
    """A store file cannot be used: missing, not a DuckDB file, damaged or of another schema."""


class StoreUnavailable(Exception):
    """No usable store file: requests are answered 503 until one is back."""


class StoreWriteError(Exception):
    """The store's folder cannot be written (read-only, full, no permission)."""

    def __init__(self, db_path: Path, cause: BaseException):
        super().__init__(db_path, cause)
        self.db_path, self.cause = Path(db_path), cause

    def __str__(self) -> str:
        why = getattr(self.cause, "strerror", None) or str(self.cause).splitlines()[0]
        return (f"cannot write the store {self.db_path} ({why}): make its folder writable with room for a new "
                f"build, or set ATLAS_DB to a writable path")


def backup_path(db_path: Path) -> Path:
    """The last good copy of the store, kept next to it by every build."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".backup")


def open_read_only(path: Path):
    """A connection to the store file at ``path``, read-only.

    The file is attached to a private in-memory database rather than opened with
    ``duckdb.connect(path)``: DuckDB keeps one database per path and process, so a
    second ``connect`` while the first is open would give the old file back after a
    swap. Each call here reads the file that is at ``path`` now.
    """
    path = Path(path)
    if not path.is_file():
        raise StoreFileError(f"{path.name} is missing")
    con = duckdb.connect(":memory:")
    try:
        quoted = str(path).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS store (READ_ONLY)")
        con.execute("USE store")
    except duckdb.Error as exc:
        con.close()
        raise StoreFileError(f"{path.name} cannot be opened: {_first_line(exc)}") from None
    return con


def read_info(con, name: str) -> dict[str, str]:
    """The build_info of an open store; StoreFileError unless it is a store of this schema."""
    try:
        info = dict(con.execute("SELECT key, value FROM build_info").fetchall())
    except duckdb.Error as exc:
        raise StoreFileError(f"{name} is damaged or not an atlas store: {_first_line(exc)}") from None
    if info.get("schema_version") != SCHEMA_VERSION or "sources_hash" not in info:
        raise StoreFileError(f"{name} was built by another version of the atlas (schema "
                             f"{info.get('schema_version')!r}, this code reads {SCHEMA_VERSION!r}): rebuild it")
    return info


def inspect(path: Path) -> dict[str, str]:
    """The build_info of the store file at ``path``; StoreFileError when it cannot be served."""
    con = open_read_only(path)
    try:
        return read_info(con, Path(path).name)
    finally:
        con.close()


def copy_atomically(source: Path, target: Path) -> None:
    """Copy a file so that readers of ``target`` see the old file or the whole new one."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _stamp(path: Path) -> tuple | None:
    """Which file is at ``path`` now (device, inode, size, modification time), None when none is."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


class Throttle:
    """Logs each kind of message at most once per ``interval`` seconds, counting the rest."""

    def __init__(self, interval: float = LOG_INTERVAL):
        self.interval, self.lock, self.last, self.skipped = interval, threading.Lock(), {}, {}

    def warning(self, key: str, message: str, *args) -> None:
        now = time.monotonic()
        with self.lock:
            if now - self.last.get(key, -self.interval) < self.interval:
                self.skipped[key] = self.skipped.get(key, 0) + 1
                return
            skipped, self.skipped[key], self.last[key] = self.skipped.get(key, 0), 0, now
        more = f" ({skipped} more since last logged)" if skipped else ""
        log.warning(message + more, *args)


class _Handle:
    """One opened store file, with a cursor per thread (created on first use in that thread)."""

    def __init__(self, path: Path, stamp: tuple):
        self.path, self.stamp = path, stamp
        self.con = open_read_only(path)
        try:
            self.info = read_info(self.con, path.name)
        except StoreFileError:
            self.con.close()
            raise
        self.local = threading.local()

    def new_cursor(self):
        cur = self.con.cursor()
        cur.execute("USE store")  # a cursor starts in the in-memory database
        return cur

    def close(self) -> None:
        self.con.close()


class ServedFile:
    """The store file the app serves, with the fallbacks described in the module's docstring."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.backup = backup_path(self.path)
        self._lock = threading.Lock()
        self._current: _Handle | None = None
        self._bad: dict[tuple, str] = {}  # files (by stamp) found damaged: skipped until replaced
        self._problem: str | None = None  # why the served file is not self.path, when it is not
        self._local = threading.local()  # the request scope of this thread (see begin_request)
        self._throttle = Throttle()

    # -- request scope -----------------------------------------------------------------------
    def begin_request(self) -> None:
        """From now until ``end_request`` this thread reads one store file: the one it reads first."""
        self._local.scoped, self._local.handle = True, None

    def end_request(self) -> None:
        self._local.scoped, self._local.handle = False, None

    # -- the file to read --------------------------------------------------------------------
    def handle(self) -> _Handle:
        pinned = getattr(self._local, "handle", None)
        if pinned is not None:
            return pinned
        with self._lock:
            handle = self._refresh()
        if getattr(self._local, "scoped", False):
            self._local.handle = handle
        return handle

    def _refresh(self) -> _Handle:
        stamp = _stamp(self.path)
        current = self._current
        if current is not None and current.path == self.path and current.stamp == stamp:
            return current
        handle = self._open(self.path, stamp)
        if handle is not None:
            if self._problem is not None:
                log.warning("store %s is back: serving it again (data version %s)", self.path,
                            handle.info["sources_hash"][:12])
            self._current, self._problem = handle, None
            return handle
        why = f"{self.path.name} is missing" if stamp is None else self._bad[stamp]
        # the copy already open stays readable when the file was deleted or replaced, not changed in place
        if current is not None and (current.path != self.path or stamp is None or current.stamp[:2] != stamp[:2]):
            served = ("the last good copy" if current.path == self.backup
                      else f"the copy opened before (built at {current.info.get('built_at')})")
            return self._degraded(current, f"{why}; serving {served}")
        handle = self._open(self.backup, _stamp(self.backup))
        if handle is not None:
            return self._degraded(handle, f"{why}; serving the last good copy (built at {handle.info.get('built_at')})")
        self._current = None
        self._problem = f"{why}, and there is no good copy to serve"
        self._throttle.warning("unavailable", "store %s unusable: %s. Requests get 503 until it is back: run "
                               "`python -m dashboard.store build` or `python -m dashboard.store restore`",
                               self.path, self._problem)
        raise StoreUnavailable(self._problem)

    def _open(self, path: Path, stamp: tuple | None) -> _Handle | None:
        """The file at ``path`` opened, or None when there is none or it is (known to be) unusable."""
        if stamp is None or stamp in self._bad:
            return None
        try:
            return _Handle(path, stamp)
        except StoreFileError as exc:
            self._mark_bad(stamp, str(exc))
            return None

    def _degraded(self, handle: _Handle, problem: str) -> _Handle:
        self._current, self._problem = handle, problem
        self._throttle.warning("degraded", "store %s: %s. Rebuild (`python -m dashboard.store build`) or "
                               "restore it (`python -m dashboard.store restore`)", self.path, problem)
        return handle

    def _mark_bad(self, stamp: tuple, why: str) -> None:
        if len(self._bad) >= 16:
            self._bad.pop(next(iter(self._bad)))
        self._bad[stamp] = why

    # -- reading -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def cursor(self):
        """A cursor on the served file for this thread; a damaged file gives StoreUnavailable."""
        handle = self.handle()
        local = handle.local
        nested = getattr(local, "busy", False)
        try:
            cur = handle.new_cursor() if nested else getattr(local, "cursor", None)
            if cur is None:
                cur = local.cursor = handle.new_cursor()
        except duckdb.Error as exc:
            self._failed(handle, exc)
            raise
        local.busy = True
        try:
            yield cur
        except duckdb.Error as exc:
            self._failed(handle, exc)
            raise
        finally:
            if nested:
                cur.close()
            else:
                local.busy = False

    def _failed(self, handle: _Handle, exc: duckdb.Error) -> None:
        """After a query failed: when the file is at fault, stop reading it and raise StoreUnavailable."""
        if not (isinstance(exc, FILE_ERRORS) or type(exc) is duckdb.Error or _stamp(handle.path) != handle.stamp):
            return  # the query's own error: the file is fine
        why = f"{handle.path.name} is damaged: {_first_line(exc)}"
        with self._lock:
            self._mark_bad(handle.stamp, why)
            if self._current is handle:
                self._current = None
            self._problem = why
        self._local.handle = None
        self._throttle.warning("damaged", "store %s: %s", self.path, why)
        raise StoreUnavailable(why) from None

    def info(self) -> dict[str, str]:
        return self.handle().info

    def state(self) -> tuple[str, str | None, dict | None]:
        """(``ok`` | ``degraded`` | ``unavailable``, the reason or None, the served file's build_info or None)."""
        try:
            handle = self.handle()
        except StoreUnavailable as exc:
            return "unavailable", str(exc), None
        if handle.path == self.path and handle.stamp == _stamp(self.path):
            return "ok", None, handle.info
        return "degraded", self._problem or f"{self.path.name} changed during this request", handle.info

    def close(self) -> None:
        with self._lock:
            if self._current is not None:
                self._current.close()
            self._current, self._problem = None, None
        self._local.handle = None
