"""The atlas with one extra, test-only route that never finishes on its own (``/slow``):
served by gunicorn in tests/test_deadline.py to show that a slow request costs one 503,
not the worker."""
import time

import app as atlas

server = atlas.server


def spin(seconds: float) -> str:
    """Busy Python work for ``seconds`` (a runaway computation, not a sleep)."""
    until, n = time.monotonic() + seconds, 0
    while time.monotonic() < until:
        n += 1
    return f"finished after {n} steps"


server.add_url_rule("/slow", "slow", lambda: spin(60))
