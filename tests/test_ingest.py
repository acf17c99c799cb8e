"""Official scores enter only through the ingest command, validated."""
from __future__ import annotations

import hashlib

import pytest

from dashboard.store.sources import BuildError
from dashboard.store import Store, build
from dashboard.store.__main__ import main
from dashboard.store.ingest import ingest


@pytest.fixture()
def store_copy(data_copy, tmp_path):
    db = tmp_path / "atlas.duckdb"
    build(data_copy, db)
    return data_copy, db


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_ingest_marks_scores_official(store_copy, tmp_path):
    data, db = store_copy
    extract = _write(tmp_path / "extract.csv", "city_id,psi_index,data_use_index,source_title,source_url\n"
                     "bologna-ita,4.5,,OECD extract,https://example.org/extract\n"
                     "austin-usa,,30,OECD extract,https://example.org/extract\n")
    assert ingest(extract, data, db, today="2026-11-27") == 2
    s = Store(db)
    bologna = s.city("bologna-ita")
    assert (bologna["psi_index"], bologna["psi_source"], bologna["psi_tier"]) == (4.5, "official", "low")
    austin = s.city("austin-usa")
    assert austin["data_use_index"] == 30 and austin["data_use_source"] == "official"
    assert austin["psi_source"] == "estimate"  # PSI not in the extract: the estimate stays, labelled
    s.close()  # duckdb shares one instance per path within a process
    saved = (data / "official_scores.csv").read_text(encoding="utf-8")
    assert "bologna-ita,4.5,,OECD extract,https://example.org/extract,2026-11-27" in saved
    # a later extract replaces the city's row
    _write(extract, "city_id,psi_index,data_use_index,source_title,source_url\n"
                    "bologna-ita,7,,OECD extract 2,https://example.org/2\n")
    ingest(extract, data, db)
    assert Store(db).city("bologna-ita")["psi_tier"] == "high"
    assert (data / "official_scores.csv").read_text(encoding="utf-8").count("bologna-ita") == 1


@pytest.mark.parametrize("body,column,words", [
    ("bologna-ita,11,,OECD,https://example.org\n", "psi_index", "out of range"),
    ("bologna-ita,,40,OECD,https://example.org\n", "data_use_index", "out of range"),
    ("nowhere-xyz,5,,OECD,https://example.org\n", "city_id", "not a city"),
    ("bologna-ita,five,,OECD,https://example.org\n", "psi_index", "not a number"),
    ("bologna-ita,,,OECD,https://example.org\n", "psi_index,data_use_index", "gives no score"),
    ("bologna-ita,5,,OECD,ftp://x\n", "source_url", "not an http"),
])
def test_bad_extract_changes_nothing(store_copy, tmp_path, body, column, words):
    data, db = store_copy
    before_db = hashlib.sha256(db.read_bytes()).hexdigest()
    before_csv = (data / "official_scores.csv").read_bytes()
    extract = _write(tmp_path / "bad.csv", "city_id,psi_index,data_use_index,source_title,source_url\n" + body)
    with pytest.raises(BuildError) as err:
        ingest(extract, data, db)
    [p] = [p for p in err.value.problems if p.column == column]
    assert p.file == "bad.csv" and p.line == 2 and words in p.message
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before_db
    assert (data / "official_scores.csv").read_bytes() == before_csv


def test_ingest_cli(store_copy, tmp_path, capsys):
    data, db = store_copy
    extract = _write(tmp_path / "e.csv", "city_id,psi_index,data_use_index,source_title,source_url\n"
                                         "seoul-kor,8.1,,OECD,https://example.org\n")
    assert main(["ingest", str(extract), "--data", str(data), "--db", str(db)]) == 0
    assert "ingested 1" in capsys.readouterr().out
    assert main(["ingest", str(tmp_path / "missing.csv"), "--data", str(data), "--db", str(db)]) == 1
