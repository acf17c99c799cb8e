"""The store's version key, start-up, last good copy and fault handling, in process.

The same faults against a real gunicorn are in test_faults.py."""
from __future__ import annotations

import logging
import os
import shutil

import duckdb
import pytest

from dashboard import config, facets
from dashboard.store import StartupError, Store, StoreUnavailable, build, ensure_built, estimate, lifecycle, schema
from dashboard.store.__main__ import main
from dashboard.store.files import LOG_INTERVAL, StoreWriteError, Throttle, backup_path
from tests.conftest import DATA


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _settings(data_dir, db, auto_build=True) -> config.Settings:
    return config.Settings(data_dir=data_dir, db_path=db, auto_build=auto_build, host="", port=0, cache_redis_url="",
                           cache_timeout=1, cache_key_prefix="", default_lang="en", tile_url="", local_search_max=1,
                           compressed_dir=db.parent / "compressed")


@pytest.fixture()
def fresh_report(monkeypatch):
    """Each test prepares as a new process would."""
    monkeypatch.setattr(lifecycle, "_report", None)


@pytest.fixture()
def db(built_db, tmp_path):
    """A copy of the session's store (and of its last good copy), as if being served."""
    target = tmp_path / "var" / "atlas.duckdb"
    target.parent.mkdir()
    shutil.copy(built_db, target)
    shutil.copy(built_db, backup_path(target))
    return target


# -- the version key -------------------------------------------------------------------------

def test_the_version_key_covers_the_code_that_shapes_stored_values():
    hashed = {p.resolve() for p in schema.CODE_FILES}
    for module in (schema, estimate, facets):
        assert os.path.realpath(module.__file__) in {str(p) for p in hashed}, module.__name__
    assert {p.name for p in hashed} >= {"schema.py", "build.py", "estimate.py", "sources.py", "facets.py"}


@pytest.mark.parametrize("changed", ["estimate.py", "facets.py"])
def test_a_change_to_the_estimate_rules_or_the_bands_rebuilds_the_store(changed, db, tmp_path, monkeypatch):
    code = tmp_path / "code"
    code.mkdir()
    copies = []
    for path in schema.CODE_FILES:  # the same code, read from copies this test may change
        shutil.copy(path, code / path.name)
        copies.append(code / path.name)
    monkeypatch.setattr(schema, "CODE_FILES", tuple(copies))
    assert ensure_built(DATA, db) is False  # same data, same code: the copied store is current
    with (code / changed).open("a", encoding="utf-8") as fh:
        fh.write("\n# a changed rule\n")
    assert ensure_built(DATA, db) is True
    assert ensure_built(DATA, db) is False


# -- the build keeps a last good copy; restore brings it back --------------------------------

def test_every_build_keeps_a_last_good_copy_and_restore_brings_it_back(data_copy, tmp_path, capsys):
    db = tmp_path / "atlas.duckdb"
    build(data_copy, db)
    assert Store(backup_path(db)).build_info() == Store(db).build_info()
    db.write_bytes(b"\0" * 4096)  # a damaged store
    assert main(["restore", "--db", str(db)]) == 0
    assert "restored" in capsys.readouterr().out
    assert len(Store(db).city_index()) >= 109
    backup_path(db).unlink()
    assert main(["restore", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "no good copy" in err and "python -m dashboard.store build" in err


def test_a_build_into_a_folder_it_cannot_write_says_which_path_and_setting(data_copy, tmp_path, capsys):
    blocker = tmp_path / "var"
    blocker.write_text("a file where the folder should be")
    db = blocker / "atlas.duckdb"
    with pytest.raises(StoreWriteError) as info:
        build(data_copy, db)
    assert str(db) in str(info.value) and "ATLAS_DB" in str(info.value)
    assert main(["build", "--data", str(data_copy), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert str(db) in err and "ATLAS_DB" in err and "Traceback" not in err


# -- start-up ---------------------------------------------------------------------------------

def test_start_with_broken_data_serves_the_store_there_and_says_why(data_copy, db, fresh_report, caplog):
    _edit(data_copy / "cities.csv", "AUS,oceania,", "AUS,atlantis,")
    before = db.read_bytes()
    report = lifecycle.prepare(_settings(data_copy, db))
    assert db.read_bytes() == before
    assert report.problems and "cities.csv" in report.problems[0]
    assert "serving" in caplog.text
    health = lifecycle.health(_settings(data_copy, db), Store(db))
    assert health["status"] == "degraded" and "cities.csv" in health["reason"]


def test_start_with_a_folder_it_cannot_write_serves_the_store_there(data_copy, db, fresh_report, monkeypatch):
    _edit(data_copy / "cities.csv", ",Adelaide,", ",Adelaide City,")  # the store is stale

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    before = db.read_bytes()
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", read_only)  # the build's swap fails
        report = lifecycle.prepare(_settings(data_copy, db))
    assert db.read_bytes() == before and not list(db.parent.glob(".*tmp"))
    assert "Read-only file system" in report.problems[0] and "ATLAS_DB" in report.problems[0]
    assert str(db) in report.problems[0]


def test_start_with_a_damaged_store_rebuilds_or_restores_or_stops_with_a_message(data_copy, db, fresh_report):
    db.write_bytes(b"garbage" * 1000)
    lifecycle.prepare(_settings(data_copy, db))  # rebuilt from data/
    assert len(Store(db).city_index()) >= 109

    lifecycle._report = None
    db.write_bytes(b"garbage" * 1000)
    report = lifecycle.prepare(_settings(data_copy, db, auto_build=False))  # restored from the copy
    assert "restored the last good copy" in report.problems[0]
    assert len(Store(db).city_index()) >= 109

    lifecycle._report = None
    db.unlink()
    backup_path(db).unlink()
    _edit(data_copy / "cities.csv", "AUS,oceania,", "AUS,atlantis,")
    with pytest.raises(StartupError) as info:
        lifecycle.prepare(_settings(data_copy, db))
    message = str(info.value)
    assert str(db) in message and "python -m dashboard.store build" in message and "ATLAS_DB" in message
    assert "cities.csv" in message  # why the build failed


# -- serving through faults --------------------------------------------------------------------

def test_a_request_reads_one_store_file_from_start_to_end(data_copy, db):
    store = Store(db)
    before = store.build_info()["sources_hash"]
    _edit(data_copy / "cities.csv", ",Adelaide,", ",Adelaide City,")
    store.begin_request()
    assert store.city("adelaide-aus")["name"] == "Adelaide"
    build(data_copy, db)  # a rebuild swaps the file mid-request
    assert store.city("adelaide-aus")["name"] == "Adelaide"  # the request keeps its file
    assert store.build_info()["sources_hash"] == before
    store.end_request()
    store.begin_request()
    assert store.city("adelaide-aus")["name"] == "Adelaide City"  # the next request reads the new one
    assert store.build_info()["sources_hash"] != before
    store.end_request()
    store.close()


def test_a_deleted_store_is_served_from_the_open_copy_then_the_last_good_copy(db):
    store = Store(db)
    assert len(store.city_index()) >= 109
    db.unlink()
    assert len(store.city_index()) >= 109  # the open file stays readable
    status, reason, info = store.state()
    assert status == "degraded" and "missing" in reason and info
    fresh = Store(db)  # a worker that starts now
    assert len(fresh.city_index()) >= 109
    assert fresh.state()[0] == "degraded" and "last good copy" in fresh.state()[1]


def test_a_damaged_store_answers_unavailable_until_a_good_file_is_back(db, caplog):
    store = Store(db)
    assert len(store.city_index()) >= 109
    backup_path(db).unlink()
    good = db.read_bytes()
    with db.open("r+b") as fh:  # damaged in place
        fh.write(os.urandom(16384))
    with caplog.at_level(logging.WARNING):
        for _ in range(20):
            with pytest.raises(StoreUnavailable):
                len(store.city_index())
    assert store.state()[0] == "unavailable"
    assert len([r for r in caplog.records if "unusable" in r.getMessage()]) == 1  # logged once, not per call
    db.write_bytes(good)
    assert len(store.city_index()) >= 109 and store.state()[0] == "ok"


def test_a_store_damaged_behind_an_open_connection_is_dropped_for_the_last_good_copy(db):
    store = Store(db)
    assert store.build_info()  # opened: DuckDB reads the data blocks on first use
    st = db.stat()
    with db.open("r+b") as fh:  # damaged in place, its size and time kept: only reading tells
        fh.seek(16384)
        fh.write(os.urandom(st.st_size - 16384))
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns))
    store.begin_request()
    with pytest.raises(StoreUnavailable):  # this request gets 503 (it may have read the damaged file)
        store.rows("SELECT * FROM profile_items")
    store.end_request()
    assert len(store.rows("SELECT * FROM profile_items")) > 1000  # the next one reads the last good copy
    assert store.state()[0] == "degraded" and "damaged" in store.state()[1]


def test_a_wrong_query_is_an_error_not_a_damaged_store(db):
    store = Store(db)
    with pytest.raises(duckdb.Error):
        store.rows("SELECT no_such_column FROM cities")
    assert store.state()[0] == "ok"


def test_throttle_logs_a_lasting_fault_once_per_interval(caplog, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("dashboard.store.files.time.monotonic", lambda: now[0])
    throttle = Throttle()
    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            throttle.warning("k", "fault")
        now[0] += LOG_INTERVAL + 1
        throttle.warning("k", "fault")
    assert [r.getMessage() for r in caplog.records] == ["fault", "fault (4 more since last logged)"]
