"""A time limit on every request, below gunicorn's worker timeout.

gunicorn kills a sync worker that spends longer than its ``--timeout`` (30 s by default) on one
request, and with it every request that worker would have served next. The guard's size limits
keep requests small, so a slow request is a defect; this module makes sure it costs one answer,
not a worker: a request still running after ``ATLAS_REQUEST_TIMEOUT`` seconds is stopped with
:class:`RequestTimeout`, which answers 503 with ``Retry-After`` and a request id, and is logged.

One watchdog thread per worker process keeps the deadlines of the requests in progress and, when
one passes, raises :class:`RequestTimeout` in the request's thread
(``PyThreadState_SetAsyncExc``). This works in gunicorn's sync workers (requests on the main
thread), its threaded workers and Flask's development server alike. The exception arrives at
the request's next Python instruction: a single call into compiled code or a blocking wait (one
DuckDB query, a ``time.sleep``) is not cut short, only what follows it.
"""
from __future__ import annotations

import ctypes
import heapq
import itertools
import os
import threading
import time

# int PyThreadState_SetAsyncExc(unsigned long id, PyObject *exc); NULL withdraws a pending one
_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.c_void_p)
_set_async_exc.restype = ctypes.c_int


class RequestTimeout(Exception):
    """Raised in a request's thread when its time is up."""


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    """Raise ``exc`` in the thread at its next Python instruction (None: withdraw one not yet raised)."""
    _set_async_exc(thread_id, None if exc is None else id(exc))  # the class lives as long as the process


class Watchdog:
    """Deadlines of the requests in progress in this process, and the thread that enforces them."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._cond = threading.Condition()
        self._running: dict[int, tuple[int, bool]] = {}  # thread id -> (token, fired)
        self._heap: list[tuple[float, int, int]] = []  # (deadline, token, thread id)
        self._tokens = itertools.count(1)
        self._pid: int | None = None  # the process whose watchdog thread runs (a fork has none)

    def begin(self) -> int:
        """Start the clock for the current thread's request; the token to give ``end``."""
        token = next(self._tokens)
        thread_id = threading.get_ident()
        with self._cond:
            if self._pid != os.getpid():
                self._pid = os.getpid()
                self._running.clear()
                self._heap.clear()
                threading.Thread(target=self._watch, name="request-deadline", daemon=True).start()
            self._running[thread_id] = (token, False)
            heapq.heappush(self._heap, (time.monotonic() + self.seconds, token, thread_id))
            self._cond.notify()
        return token

    def end(self, token: int) -> bool:
        """Stop the clock; True when the request ran out of time. An exception that was sent to
        this thread and has not arrived yet is withdrawn, so it cannot hit the server's own code."""
        thread_id = threading.get_ident()
        with self._cond:
            current = self._running.get(thread_id)
            if current is None or current[0] != token:
                return False
            del self._running[thread_id]
            fired = current[1]
            if fired:
                _raise_in(thread_id, None)
            return fired

    def _watch(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                while self._heap and self._heap[0][0] <= now:
                    _, token, thread_id = heapq.heappop(self._heap)
                    current = self._running.get(thread_id)
                    if current == (token, False):  # still the same request, not yet told
                        self._running[thread_id] = (token, True)
                        _raise_in(thread_id, RequestTimeout)
                self._cond.wait(self._heap[0][0] - now if self._heap else None)


def install(server, seconds: float, on_timeout) -> Watchdog | None:
    """Give every request of the Flask ``server`` at most ``seconds`` (0: no limit).
    ``on_timeout()`` makes the answer to a request that ran out of time."""
    if seconds <= 0:
        return None
    watchdog = Watchdog(seconds)
    from flask import g

    @server.before_request
    def start_clock():
        g.deadline_token = watchdog.begin()

    @server.teardown_request
    def stop_clock(_exc):
        token = g.pop("deadline_token", None)
        if token is not None:
            watchdog.end(token)

    server.register_error_handler(RequestTimeout, lambda _exc: on_timeout())
    return watchdog
