"""The store's start-up, restore and health: what happens once per deployment.

``prepare`` runs once before the app serves: in gunicorn's master process
(``gunicorn.conf.py``: the workers it forks inherit the result and only open
the store) or in the first ``create_app()`` of a process without one. It
builds when ``ATLAS_AUTO_BUILD`` is on and ``data/`` or the code changed,
falls back to the store that is there when it cannot (``data/`` has errors,
the folder is read-only or full), restores the last good copy when the store
file is missing or damaged, and raises :class:`StartupError` (a message for
the operator, not a traceback) only when there is nothing to serve.

``health`` says what this process serves and why it is degraded, for /healthz.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import config
from dashboard.store.build import _build_lock, ensure_built
from dashboard.store.files import StoreFileError, StoreWriteError, backup_path, copy_atomically, inspect
from dashboard.store.schema import CODE_FILES, sources_hash
from dashboard.store.sources import SOURCE_FILES, BuildError

log = logging.getLogger(__name__)
FIX = "run `python -m dashboard.store build`, or `python -m dashboard.store restore` to serve the last good copy"


class StartupError(Exception):
    """There is no store to serve; the message says what is wrong and what to do."""


@dataclass
class StartReport:
    """What ``prepare`` found: problems while serving the store with version ``served``."""
    served: str
    problems: list[str] = field(default_factory=list)


_report: StartReport | None = None


def report() -> StartReport | None:
    """The report of this process's ``prepare``, or of the gunicorn master that forked it."""
    return _report


def prepare(settings: config.Settings, again: bool = False) -> StartReport:
    """Make sure there is a store to serve (see the module's docstring); once per process
    unless ``again``. Logs each problem once and returns them."""
    global _report
    if _report is not None and not again:
        return _report
    db, problems = settings.db_path, []
    if settings.auto_build:
        try:
            if ensure_built(settings.data_dir, db):
                log.info("built the store %s from %s", db, settings.data_dir)
        except BuildError as exc:
            problems.append(f"data/ has {len(exc.problems)} problem(s) and was not built (first: {exc.problems[0]}); "
                            "serving the store built before")
            log.error("%s: %s", settings.data_dir, exc)
        except StoreWriteError as exc:
            problems.append(f"cannot rebuild the store: {exc}")
            log.error("%s", exc)
    try:
        info = inspect(db)
    except StoreFileError as exc:
        info = _restore_at_start(db, str(exc), problems)
    if settings.auto_build and not problems and info["sources_hash"] != sources_hash(settings.data_dir):
        problems.append(_STALE)  # e.g. data/ changed while the build ran
    for problem in problems:
        log.warning("serving %s (built at %s) although: %s", db, info.get("built_at"), problem)
    _report = StartReport(info["sources_hash"], problems)
    return _report


def _restore_at_start(db: Path, why: str, problems: list[str]) -> dict[str, str]:
    """The build_info of the last good copy, copied over the store (or served as it is when the
    folder is read-only); StartupError when there is none."""
    backup = backup_path(db)
    try:
        info = inspect(backup)
    except StoreFileError as exc:
        before = "".join(f"; {p}" for p in problems)
        raise StartupError(f"no store to serve: {why} ({db}), and no good copy ({exc}){before}. Fix: build it with "
                           "`python -m dashboard.store build` (`check` lists what is wrong in data/), or set "
                           "ATLAS_DB to the path of a built store") from None
    try:
        restore(db)
        problems.append(f"{why}; restored the last good copy (built at {info.get('built_at')})")
    except (StoreWriteError, OSError) as exc:
        problems.append(f"{why}; serving the last good copy (built at {info.get('built_at')}) where it is, "
                        f"as it cannot be restored: {exc}")
    return info


def restore(db: Path) -> dict[str, str]:
    """Copy the last good copy back over the store (atomically); its build_info.

    StoreFileError when there is no good copy; StoreWriteError when the folder cannot be written."""
    backup = backup_path(db)
    info = inspect(backup)
    with _build_lock(db):
        try:
            copy_atomically(backup, db)
        except OSError as exc:
            raise StoreWriteError(db, exc) from None
    return info


_STALE = "data/ or the code changed since this store was built: " + FIX.split(",")[0]
_fresh: dict[tuple, str] = {}  # signature of data/ and the code -> its sources_hash


def _current_hash(data_dir: Path) -> str:
    """sources_hash(data_dir), recomputed only when a source or code file's size or time changed."""
    signature = []
    for path in [*(data_dir / name for name in SOURCE_FILES), *CODE_FILES]:
        try:
            st = os.stat(path)
            signature.append((st.st_size, st.st_mtime_ns, st.st_ino))
        except OSError:
            signature.append(None)
    key = (str(data_dir), tuple(signature))
    if key not in _fresh:
        _fresh.clear()
        _fresh[key] = sources_hash(data_dir)
    return _fresh[key]


def health(settings: config.Settings, store, also: list[str] = ()) -> dict:
    """What /healthz answers: ``status`` ``ok``, ``degraded`` (serving, with ``reason``) or
    ``unavailable`` (no store: requests get 503), and the served store's ``data_version``.
    ``also``: other reasons the app is degraded."""
    status, reason, info = store.state()
    reasons = [reason] if reason else []
    if info is not None:
        start = _report
        if start is not None and start.problems and start.served == info["sources_hash"]:
            reasons += start.problems
        elif settings.auto_build and status == "ok" and _current_hash(settings.data_dir) != info["sources_hash"]:
            reasons.append(_STALE)
        reasons += also
        if reasons and status == "ok":
            status = "degraded"
    out = {"status": status}
    if reasons:
        out["reason"] = "; ".join(reasons)
    if info is not None:
        out.update(data_version=info["sources_hash"][:12], built_at=info.get("built_at"))
    return out
