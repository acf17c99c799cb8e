"""Every setting of the atlas, read from the environment in this one place.

The defaults work offline on a fresh clone: the store is built from ``data/``
into ``var/atlas.duckdb`` and the cache lives in process memory.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    db_path: Path
    auto_build: bool
    host: str
    port: int
    cache_redis_url: str
    cache_timeout: int
    cache_key_prefix: str
    default_lang: str
    tile_url: str
    local_search_max: int
    compressed_dir: Path
    max_body_bytes: int
    request_timeout: float
    public_url: str
    frame_ancestors: str
    hsts_seconds: int
    debug: bool


# (variable, default, what it does): the README's configuration table is
# checked against this list by the tests.
DOCUMENTED = (
    ("ATLAS_DATA_DIR", "data/", "Folder of source files the store is built from."),
    ("ATLAS_DB", "var/atlas.duckdb", "Path of the DuckDB store (generated, opened read-only by the app)."),
    ("ATLAS_AUTO_BUILD", "1", "Build the store at start-up when it is missing or damaged, or a source file or the code "
     "that shapes stored values changed (0 to turn off)."),
    ("HOST", "127.0.0.1", "Address `python app.py` listens on."),
    ("PORT", "8050", "Port `python app.py` listens on."),
    ("CACHE_REDIS_URL", "(empty)", "Redis URL for a cache shared by all workers and instances; empty means an in-process cache."),
    ("CACHE_DEFAULT_TIMEOUT", "300", "Seconds a cached query result is kept."),
    ("CACHE_KEY_PREFIX", "atlas:{version}:", "Start of every Redis cache key; `{version}` becomes the first 12 "
     "characters of the data version. Give each deployment sharing one Redis its own prefix."),
    ("ATLAS_LANG", "en", "Default interface language."),
    ("ATLAS_TILE_URL", "(empty)", "Optional map tile URL template; empty means no third-party tiles (offline base map)."),
    ("ATLAS_LOCAL_SEARCH_MAX", "5000", "Up to this many cities the map's search box filters a list in the browser; "
     "above it, it asks the server as the user types."),
    ("ATLAS_COMPRESSED_DIR", "`compressed/` next to the store", "Folder where the app keeps the brotli and gzip copies "
     "of its script bundles and data files, so that all workers and restarts reuse them (generated; safe to delete)."),
    ("ATLAS_MAX_BODY_BYTES", "1048576", "Largest request body accepted (bytes); a larger one answers 413."),
    ("ATLAS_REQUEST_TIMEOUT", "20", "Seconds a request may run before it is stopped with a 503 (0: no limit). Keep it "
     "below gunicorn's `--timeout` (30 s by default), which kills the whole worker instead."),
    ("ATLAS_PUBLIC_URL", "(empty)", "The atlas's public address, e.g. `https://atlas.example.org`, used in the pages' "
     "link-preview tags; empty means relative addresses (the request's `Host` header is never used)."),
    ("ATLAS_FRAME_ANCESTORS", "*", "Which sites may show the atlas's embeds (`?embed=1` pages) in a frame (CSP "
     "`frame-ancestors`): `*` (any site), `'none'`, `'self'` or origins such as `https://news.example`, separated by "
     "spaces. Every other page refuses to be framed (`frame-ancestors 'none'`, `X-Frame-Options: DENY`)."),
    ("ATLAS_HSTS_SECONDS", "0", "When above 0, every response carries `Strict-Transport-Security: max-age=<this>`; "
     "set it only when the atlas is served over HTTPS."),
    ("ATLAS_DEBUG", "0", "1 turns on Dash's debug mode and dev tools under `python app.py` (never in production)."),
)

# a source in a CSP list: a keyword or a scheme://host[:port] origin (no path, no quotes, no ;)
_CSP_SOURCE = re.compile(r"'(none|self)'|\*|https?://(\*\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def _flag(value: str) -> bool:
    return value.strip().lower() not in ("0", "false", "no", "off", "")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw.strip() else default
    except ValueError:
        raise SystemExit(f"environment variable {name}={raw!r} is not a whole number; unset it or give e.g. {default}")


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    try:
        value = float(raw) if raw.strip() else default
    except ValueError:
        value = -1.0
    if not 0 <= value < 86400:
        raise SystemExit(f"environment variable {name}={raw!r} is not a number of seconds; unset it or give e.g. "
                         f"{default:g} (0 turns the limit off)")
    return value


def _public_url(raw: str) -> str:
    url = raw.strip().rstrip("/")
    if url and not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?", url):
        raise SystemExit(f"ATLAS_PUBLIC_URL={raw!r} is not an http(s) address; give e.g. https://atlas.example.org")
    return url


def _frame_ancestors(raw: str) -> str:
    sources = raw.split() or ["*"]
    bad = [s for s in sources if not _CSP_SOURCE.fullmatch(s)]
    if bad or (("'none'" in sources or "*" in sources) and len(sources) > 1):
        raise SystemExit(f"ATLAS_FRAME_ANCESTORS={raw!r}: give *, 'none', 'self' or origins such as "
                         "https://news.example separated by spaces (* and 'none' alone)")
    return " ".join(sources)


@lru_cache(maxsize=1)
def load() -> Settings:
    """Settings from the environment, read once per process (``load.cache_clear()`` re-reads)."""
    env = os.environ
    data_dir = Path(env.get("ATLAS_DATA_DIR") or ROOT / "data")
    db_path = Path(env.get("ATLAS_DB") or ROOT / "var" / "atlas.duckdb")
    return Settings(
        data_dir=data_dir.resolve(),
        db_path=db_path.resolve(),
        auto_build=_flag(env.get("ATLAS_AUTO_BUILD", "1")),
        host=env.get("HOST", "127.0.0.1"),
        port=_int("PORT", 8050),
        cache_redis_url=env.get("CACHE_REDIS_URL", ""),
        cache_timeout=_int("CACHE_DEFAULT_TIMEOUT", 300),
        cache_key_prefix=env.get("CACHE_KEY_PREFIX") or "atlas:{version}:",
        default_lang=env.get("ATLAS_LANG", "en"),
        tile_url=env.get("ATLAS_TILE_URL", ""),
        local_search_max=_int("ATLAS_LOCAL_SEARCH_MAX", 5000),
        compressed_dir=Path(env.get("ATLAS_COMPRESSED_DIR") or db_path.resolve().parent / "compressed").resolve(),
        max_body_bytes=_int("ATLAS_MAX_BODY_BYTES", 1024 * 1024),
        request_timeout=_seconds("ATLAS_REQUEST_TIMEOUT", 20.0),
        public_url=_public_url(env.get("ATLAS_PUBLIC_URL", "")),
        frame_ancestors=_frame_ancestors(env.get("ATLAS_FRAME_ANCESTORS", "")),
        hsts_seconds=_int("ATLAS_HSTS_SECONDS", 0),
        debug=_flag(env.get("ATLAS_DEBUG", "0")),
    )
