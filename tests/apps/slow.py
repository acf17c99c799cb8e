"""The atlas with one extra, test-only route that never finishes on its own (``/slow``):
served by gunicorn (``tests.apps.slow:server``) in tests/test_deadline.py to show that a slow
request costs one 503, not the worker. Importing this module builds nothing (like app.py):
``server`` is made when gunicorn asks for it."""
import time


def spin(seconds: float) -> str:
    """Busy Python work for ``seconds`` (a runaway computation, not a sleep)."""
    until, n = time.monotonic() + seconds, 0
    while time.monotonic() < until:
        n += 1
    return f"finished after {n} steps"


def __getattr__(name: str):
    if name != "server":
        raise AttributeError(name)
    import app as atlas

    server = atlas.server
    server.add_url_rule("/slow", "slow", lambda: spin(60))
    globals()["server"] = server
    return server
