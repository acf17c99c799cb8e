"""gunicorn's hooks for the atlas: ``gunicorn -c gunicorn.conf.py app:server`` (the Procfile's line).

The store is prepared once per deployment, by the master process before it forks
any worker (``dashboard.store.lifecycle.prepare``): built when ``ATLAS_AUTO_BUILD``
is on and ``data/`` or the code changed, the last good copy restored when the
store file is missing or damaged. The workers inherit the outcome and only open
the store, so a worker that starts later (after a crash, a kill or ``max_requests``)
builds nothing and cannot fail on a broken ``data/`` or a read-only or full
``var/``: it serves the store that is there and says why it is degraded in
/healthz. The master exits at start, with a message saying what to fix, only
when there is no store to serve at all.
"""
import logging
import sys

# module-level names that match gunicorn settings become settings: keep the imports private
from dashboard import config as _config
from dashboard.store import StartupError as _StartupError, prepare as _prepare


def on_starting(server):
    # the atlas's own messages (store faults, the shared cache) go where gunicorn's go
    for name in ("dashboard", "app"):
        logger = logging.getLogger(name)
        logger.handlers[:] = server.log.error_log.handlers
        logger.setLevel(logging.INFO)
        logger.propagate = False
    try:
        _prepare(_config.load())
    except _StartupError as exc:
        server.log.error("cannot start: %s", exc)
        sys.exit(1)  # a clear message, no traceback: there is nothing to serve


def on_reload(server):
    """``kill -HUP <master>``: rebuild when ``data/`` changed, then gunicorn replaces the workers."""
    try:
        _prepare(_config.load(), again=True)
    except _StartupError as exc:  # keep serving what the workers have open
        server.log.error("reload: %s", exc)
