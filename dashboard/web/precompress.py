"""Static responses compressed once, at the highest levels, and served from memory.

flask-compress compresses every response on every request, at a level fast
enough for dynamic ones (zstd 3). The atlas's big responses are static: Dash's
component bundles (``/_dash-component-suites/...``), ``/assets/*`` and the
map's data files (``/data/...``) are the same bytes every time. For these,
:class:`Precompressed` keeps a brotli (quality 11, about 20% smaller than
zstd 3) and a gzip (level 9) copy, keyed by a digest of the uncompressed body,
so a copy can never be served for other bytes than it was made from.

Brotli 11 takes 0.2-3 s per bundle, so no visitor waits for it: a response
without a copy yet goes out as before (flask-compress) while one background
thread, at a lower priority than the requests, makes the copies; later
requests get them. The copies are also written, atomically, to a folder
(``ATLAS_COMPRESSED_DIR``), so every worker and every restart reuses them.
:meth:`Precompressed.drain` and :meth:`Precompressed.prepare` make copies at
once, for tests (nothing there waits on timing).

A response gets a copy when it answers GET or HEAD with 200 on one of the
given path prefixes, has a compressible type and no encoding yet, and the
client accepts br or gzip (by its ``Accept-Encoding``; anything else is left
to flask-compress). It then carries ``Content-Encoding``, ``Content-Length``,
``Vary: Accept-Encoding`` and an ETag naming the body and the encoding (the
route's own ETag, or the digest, then ``:br`` or ``:gzip``, as flask-compress
does), and answers 304 to ``If-None-Match``; its ``Cache-Control`` stays as the route set
it. Callbacks, the API and pages never match the prefixes.
"""
from __future__ import annotations

import gzip
import hashlib
import logging
import os
import queue
import sys
import tempfile
import threading
from pathlib import Path

import brotli
from flask import Flask, Response, request

log = logging.getLogger(__name__)

ENCODINGS = {"br": lambda body: brotli.compress(body, quality=11),
             "gzip": lambda body: gzip.compress(body, compresslevel=9, mtime=0)}
SUFFIX = {"br": ".br", "gzip": ".gz"}
MIN_SIZE = 1024  # smaller bodies gain nothing worth a copy
MAX_ENTRIES = 200  # bodies kept in memory (the oldest goes first); the app has about 30


class Precompressed:
    """Copies kept in memory and in ``folder``; ``init_app`` serves them for the app's
    responses under ``prefixes`` with one of ``mimetypes``."""

    def __init__(self, folder: Path, prefixes: tuple[str, ...] = (), mimetypes: frozenset[str] = frozenset()):
        self.folder, self.prefixes, self.mimetypes = folder, prefixes, mimetypes
        self.copies: dict[str, dict[str, bytes]] = {}  # digest -> encoding -> bytes
        self.pending: set[str] = set()
        self.jobs: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def init_app(self, server: Flask) -> None:
        """Call after flask-compress is set up: this hook then runs first, on the uncompressed body."""
        server.after_request(self.after_request)
        server.extensions["precompressed"] = self

    def after_request(self, response: Response) -> Response:
        if not self._eligible(response):
            return response
        encoding = request.accept_encodings.best_match(list(ENCODINGS))
        if encoding is None:
            return response
        response.direct_passthrough = False
        body = response.get_data()
        if len(body) < MIN_SIZE:
            return response
        digest = hashlib.sha256(body).hexdigest()
        copies = self.copies.get(digest) or self._read(digest)
        if copies is None:
            self._enqueue(digest, body)
            return response
        response.set_data(copies[encoding])
        response.headers["Content-Encoding"] = encoding
        response.vary.add("Accept-Encoding")
        etag, weak = response.get_etag()  # the route's validator, else the digest; then the encoding
        response.set_etag(f"{etag if etag and not weak else digest[:32]}:{encoding}")
        return response.make_conditional(request)

    def prepare(self, body: bytes) -> None:
        """Make the copies of ``body`` now, in this thread (tests, warm-up scripts)."""
        self._make(hashlib.sha256(body).hexdigest(), body)

    def drain(self) -> None:
        """Make every queued copy now, in this thread, and wait for the one the background
        thread may be making (for tests: no timing involved)."""
        while True:
            try:
                digest, body = self.jobs.get_nowait()
            except queue.Empty:
                break
            try:
                self._make(digest, body)
            finally:
                self.jobs.task_done()
        self.jobs.join()

    def _eligible(self, response: Response) -> bool:
        return (request.method in ("GET", "HEAD") and response.status_code == 200
                and request.path.startswith(self.prefixes) and response.mimetype in self.mimetypes
                and "Content-Encoding" not in response.headers)

    def _enqueue(self, digest: str, body: bytes) -> None:
        with self.lock:
            if digest in self.pending:
                return
            self.pending.add(digest)
            if self.thread is None or not self.thread.is_alive():  # started on first use, in each worker
                self.thread = threading.Thread(target=self._work, name="precompress", daemon=True)
                self.thread.start()
        self.jobs.put((digest, body))

    def _work(self) -> None:
        if sys.platform.startswith("linux"):  # on Linux a thread has its own priority: requests go first
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        while True:
            digest, body = self.jobs.get()
            try:
                self._make(digest, body)
            except Exception:  # a failed copy leaves the response to flask-compress
                log.exception("compressing a static response failed")
            finally:
                self.jobs.task_done()

    def _make(self, digest: str, body: bytes) -> None:
        if self._read(digest) is None:  # else another worker wrote them since this job was queued
            copies = {enc: compress(body) for enc, compress in ENCODINGS.items()}
            self._write(digest, copies)
            self._keep(digest, copies)
        with self.lock:
            self.pending.discard(digest)

    def _keep(self, digest: str, copies: dict[str, bytes]) -> None:
        with self.lock:
            while len(self.copies) >= MAX_ENTRIES:
                del self.copies[next(iter(self.copies))]
            self.copies[digest] = copies

    def _read(self, digest: str) -> dict[str, bytes] | None:
        try:
            copies = {enc: (self.folder / (digest + SUFFIX[enc])).read_bytes() for enc in ENCODINGS}
        except OSError:
            return None
        self._keep(digest, copies)
        return copies

    def _write(self, digest: str, copies: dict[str, bytes]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for enc, data in copies.items():
                target = self.folder / (digest + SUFFIX[enc])
                if not target.exists():
                    _write_atomically(target, data)
        except OSError:
            log.warning("cannot keep compressed copies in %s; keeping them in memory only", self.folder,
                        exc_info=True)


def _write_atomically(target: Path, data: bytes) -> None:
    """Readers (other workers) see the whole file or none."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise
