"""The DuckDB store: source validation, schema, validated atomic build, ingest and queries.

This package is the only code that imports duckdb or writes SQL (an import
contract in the tests keeps it so). Data flows one way: ``sources`` (what
``data/`` must contain) -> ``build`` (validated, atomic) -> the DuckDB file ->
``queries.Store`` (opened read-only by the app). ``files`` keeps the last good
copy and serves through a damaged file; ``lifecycle`` is the start-up (once per
deployment), restore and health. ``python -m dashboard.store`` is its command line.
"""
from dashboard.store.build import build, ensure_built, stored_hash
from dashboard.store.files import StoreUnavailable
from dashboard.store.lifecycle import StartupError, health, prepare
from dashboard.store.queries import Store, open_store
from dashboard.store.sources import BuildError, Problem

__all__ = ["BuildError", "Problem", "StartupError", "Store", "StoreUnavailable", "build", "ensure_built", "health",
           "open_store", "prepare", "stored_hash"]
