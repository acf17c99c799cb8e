"""Ingest of staff extracts: the three column sets, the report, malformed files, atomic writes."""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import errno
import hashlib
import importlib
import io
import os
import random
import shutil
import subprocess
import sys

import pytest

from dashboard.facets import Filters
from dashboard.store import Store, build, ensure_built
from dashboard.store import extract as extract_module
from dashboard.store.__main__ import main
from dashboard.store.ingest import KINDS, MAX_LISTED, ingest
from tests.conftest import ROOT

build_module = importlib.import_module("dashboard.store.build")

SCORES = "city_id,psi_index,data_use_index,source_title,source_url\n"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """data/ and a store built from it, once per module; tests work on copies."""
    root = tmp_path_factory.mktemp("pristine")
    data = root / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("raw"))
    build(data, root / "db" / "atlas.duckdb")
    return root


@pytest.fixture()
def store_copy(pristine, tmp_path):
    shutil.copytree(pristine / "data", tmp_path / "data")
    shutil.copytree(pristine / "db", tmp_path / "db")
    return tmp_path / "data", tmp_path / "db" / "atlas.duckdb"


def snapshot(data, db) -> dict[str, str]:
    """Every file of data/ and of the store's folder (temporary files included), by content hash."""
    files = [p for folder in (data, db.parent) for p in sorted(folder.iterdir()) if p.is_file()]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if not p.name.endswith(".lock")}


def write(path, content) -> os.PathLike:
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def store_value(db, sql, params=()):
    s = Store(db)
    try:
        return s.rows(sql, params)
    finally:
        s.close()  # duckdb shares one instance per path within a process


def city(db, city_id) -> dict:
    s = Store(db)
    try:
        return s.city(city_id)
    finally:
        s.close()


def csv_rows(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def row_of(kind_file, data, key, **changes) -> dict:
    row = next(r for r in csv_rows(data / kind_file) if r[next(iter(r))] == key)
    return {**row, **changes}


def csv_text(rows, sep=",", end="\n") -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]), delimiter=sep, lineterminator=end)
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


# ----------------------------------------------------------------------- official scores

def test_official_scores_are_labelled_official_with_their_source(store_copy, tmp_path):
    data, db = store_copy
    extract = write(tmp_path / "extract.csv", SCORES + "bologna-ita,4.5,,OECD extract,https://example.org/extract\n"
                                                      "austin-usa,,30,OECD extract,https://example.org/extract\n")
    report = ingest(extract, data, db, today="2026-11-27")
    assert report.applied and report.added == ["austin-usa", "bologna-ita"] and report.ok
    s = Store(db)
    bologna = s.city("bologna-ita")
    assert (bologna["psi_index"], bologna["psi_source"], bologna["psi_tier"]) == (4.5, "official", "low")
    austin = s.city("austin-usa")
    assert austin["data_use_index"] == 30 and austin["data_use_source"] == "official"
    assert austin["psi_source"] == "estimate"  # PSI not in the extract: the estimate stays, labelled
    s.close()
    [src] = store_value(db, "SELECT official_source_title, official_source_url FROM city_scores WHERE city_id = ?",
                        ["bologna-ita"])
    assert src == {"official_source_title": "OECD extract", "official_source_url": "https://example.org/extract"}
    saved = (data / "official_scores.csv").read_text(encoding="utf-8")
    assert "bologna-ita,4.5,,OECD extract,https://example.org/extract,2026-11-27" in saved
    # a later extract replaces the city's row; the same extract again changes nothing
    write(extract, SCORES + "bologna-ita,7,,OECD extract 2,https://example.org/2\n")
    assert ingest(extract, data, db).updated == ["bologna-ita"]
    assert city(db, "bologna-ita")["psi_tier"] == "high"
    assert (data / "official_scores.csv").read_text(encoding="utf-8").count("bologna-ita") == 1
    before = snapshot(data, db)
    again = ingest(extract, data, db, today="2030-01-01")
    assert again.unchanged == ["bologna-ita"] and not again.applied and snapshot(data, db) == before
    assert "nothing to apply" in again.text()


def test_the_store_agrees_with_a_rebuild_from_data(store_copy, tmp_path):
    """What ingest swaps in is what a build from the new data/ gives: same hash, same scores."""
    data, db = store_copy
    ingest(write(tmp_path / "e.csv", SCORES + "seoul-kor,8.25,,OECD,https://example.org\n"), data, db)
    assert ensure_built(data, db) is False  # the store's recorded hash is that of data/ as it now is
    other = db.with_name("rebuilt.duckdb")
    build(data, other)
    sql = "SELECT * FROM city_scores ORDER BY city_id"
    assert store_value(db, sql) == store_value(other, sql)


# ----------------------------------------------------------------------- accepted forms

def test_bom_semicolons_crlf_and_line_breaks_inside_cells(store_copy, tmp_path):
    data, db = store_copy
    body = ("city_id;psi_index;data_use_index;source_title;source_url;received\r\n"
            'bologna-ita;6.5;;"OECD extract\r\nsecond line; with a semicolon";https://example.org/a;2026-10-01\r\n'
            "seoul-kor;3;12;OECD;https://example.org/b;2026-10-02\r\n")
    report = ingest(write(tmp_path / "excel.csv", codecs.BOM_UTF8 + body.encode()), data, db)
    assert report.ok and report.applied, report.text()
    assert "semicolon" in report.description and "byte-order mark" in report.description
    title = "OECD extract\nsecond line; with a semicolon"
    sql = "SELECT official_source_title AS t FROM city_scores WHERE city_id = 'bologna-ita'"
    assert store_value(db, sql) == [{"t": title}]
    assert [r["source_title"] for r in csv_rows(data / "official_scores.csv")][0] == title
    # the data file itself reads back the same: a rebuild from data/ keeps the line break
    build(data, db)
    assert store_value(db, sql) == [{"t": title}]


def test_xlsx_with_numbers_dates_and_text(store_copy, tmp_path):
    from openpyxl import Workbook

    data, db = store_copy
    wb = Workbook()
    ws = wb.active
    ws.title = "Scores"
    ws.append(["city_id", "psi_index", "data_use_index", "source_title", "source_url", "received"])
    ws.append(["bologna-ita", 4.5, None, "OECD\nextract", "https://example.org/x", dt.date(2026, 11, 3)])
    ws.append(["seoul-kor", 8, 20, "0042", "https://example.org/x", dt.datetime(2026, 11, 4)])
    wb.save(tmp_path / "scores.xlsx")
    report = ingest(tmp_path / "scores.xlsx", data, db)
    assert report.applied and "sheet 'Scores'" in report.description, report.text()
    rows = {r["city_id"]: r for r in csv_rows(data / "official_scores.csv")}
    assert rows["bologna-ita"]["received"] == "2026-11-03" and rows["bologna-ita"]["source_title"] == "OECD\nextract"
    assert rows["seoul-kor"]["psi_index"] == "8" and rows["seoul-kor"]["source_title"] == "0042"  # text stays text


def test_xlsx_formula_cells_are_rejected(store_copy, tmp_path):
    from openpyxl import Workbook

    data, db = store_copy
    wb = Workbook()
    wb.active.append(["city_id", "psi_index", "data_use_index", "source_title", "source_url"])
    wb.active.append(["bologna-ita", "=2+3", None, "OECD", "https://example.org/x"])
    wb.save(tmp_path / "formula.xlsx")
    before = snapshot(data, db)
    report = ingest(tmp_path / "formula.xlsx", data, db)
    [p] = report.problems
    assert (p.line, p.column) == (2, "psi_index") and not report.applied
    assert snapshot(data, db) == before


# ----------------------------------------------------------------------- malformed input

def _cities_row(data, **changes) -> str:
    return csv_text([row_of("cities.csv", data, "bologna-ita", **changes)])


def _lyon(**changes) -> dict:
    row = {"id": "lyon-fra", "name": "Lyon", "country": "France", "iso3": "FRA", "region": "europe", "lat": "45.76",
           "lon": "4.83", "population": "522250", "population_year": "", "survey_wave": "2020", "respondent": "true",
           "admin1": "", "geonames_id": "2996944", "location_note": "", "wave_note": "",
           "source_url": "https://example.org/lyon"}
    return {**row, **changes}


MALFORMED = {
    # name: (file name, content or a function of data/, line, column, words in the message, words in the fix)
    "tab delimiter": ("t.csv", SCORES.replace(",", "\t") + "bologna-ita\t5\t\tOECD\thttps://example.org\n",
                      1, "", "tabs", "commas or semicolons"),
    "pipe delimiter": ("p.csv", SCORES.replace(",", "|"), 1, "", "'|'", "commas or semicolons"),
    "rows with another delimiter": ("d.csv", SCORES + "bologna-ita;5;;OECD;https://example.org\n",
                                    2, "", "has 1 cells", "delimiter"),
    "binary": ("b.csv", b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(4000), 0, "", "not a text file", "CSV UTF-8"),
    "old xls": ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), 0, "", ".xls", ".xlsx"),
    "broken xlsx": ("broken.xlsx", b"PK\x03\x04" + bytes(300), 0, "", "cannot be read as an XLSX", "save it again"),
    "utf-16 with BOM": ("u.csv", (SCORES + "bologna-ita,5,,Café,https://example.org\n").encode("utf-16"),
                        0, "", "UTF-16 LE", "UTF-8"),
    "utf-16 without BOM": ("u.csv", (SCORES + "bologna-ita,5,,Café,https://example.org\n").encode("utf-16-be"),
                           0, "", "UTF-16 BE", "UTF-8"),
    "latin-1": ("l.csv", (SCORES + "bologna-ita,5,,Ministère,https://example.org\n").encode("latin-1"),
                2, "", "Latin-1", "UTF-8"),
    "missing column": ("m.csv", "city_id,psi_index,source_title,source_url\nbologna-ita,5,OECD,https://example.org\n",
                       1, "", "missing ['data_use_index']", "official scores: city_id,psi_index,data_use_index"),
    "extra column": ("x.csv", SCORES.strip() + ",comment\nbologna-ita,5,,OECD,https://example.org,hi\n",
                     1, "", "unexpected ['comment']", "profile answers: city_id,profile_url"),
    "unknown header": ("h.csv", "a,b,c\n1,2,3\n", 1, "", "none of the accepted column sets",
                       "cities (a new survey wave): id,name,country"),
    "repeated column": ("r.csv", SCORES.strip() + ",psi_index\n", 1, "psi_index", "more than once", "one of"),
    "duplicate ids": ("dup.csv", SCORES + "bologna-ita,5,,OECD,https://example.org\n"
                                          "bologna-ita,6,,OECD,https://example.org\n", 3, "city_id",
                      "duplicate city_id 'bologna-ita' (first on line 2)", "once"),
    "psi out of range": ("o.csv", SCORES + "bologna-ita,11,,OECD,https://example.org\n", 2, "psi_index",
                         "out of range", "0 to 10"),
    "data use out of range": ("o.csv", SCORES + "bologna-ita,,40,OECD,https://example.org\n", 2, "data_use_index",
                              "out of range", "0 to 38"),
    "decimal comma": ("c.csv", "city_id;psi_index;data_use_index;source_title;source_url\n"
                               "bologna-ita;7,5;;OECD;https://example.org\n", 2, "psi_index", "decimal comma", "7.5"),
    "not a number": ("n.csv", SCORES + "bologna-ita,five,,OECD,https://example.org\n", 2, "psi_index",
                     "not a number", "dot"),
    "no score": ("s.csv", SCORES + "bologna-ita,,,OECD,https://example.org\n", 2, "psi_index,data_use_index",
                 "gives no score", "fill"),
    "not an http url": ("url.csv", SCORES + "bologna-ita,5,,OECD,ftp://x\n", 2, "source_url", "not an http", "https"),
    "unknown city": ("u.csv", SCORES + "nowhere-xyz,5,,OECD,https://example.org\n", 2, "city_id",
                     "not a city of the atlas", "data/cities.csv"),
    "received not a date": ("d.csv", SCORES.strip() + ",received\nbologna-ita,5,,OECD,https://example.org,soon\n",
                            2, "received", "not a date written YYYY-MM-DD", "2026-11-27"),
    "received not a real date": ("d.csv", SCORES.strip() + ",received\nbologna-ita,5,,OECD,https://example.org,"
                                 "2026-02-30\n", 2, "received", "not a date", "real calendar date"),
    "formula-like text": ("f.csv", SCORES + "bologna-ita,5,,\"=cmd|' /C calc'!A0\",https://example.org\n", 2,
                          "source_title", "like a spreadsheet formula", "without the leading '='"),
    "formula-like list item": ("f.csv", lambda d: csv_text([row_of("profiles.csv", d, "bologna-ita",
                                                                   policy_areas="Health;@SUM(A1)")]),
                               2, "policy_areas", "like a spreadsheet formula", "leading '@'"),
    "empty file": ("e.csv", b"", 0, "", "is empty", "header line"),
    "only a byte-order mark": ("e.csv", codecs.BOM_UTF8 + b"\r\n", 0, "", "is empty", "header line"),
    "header only": ("e.csv", SCORES, 0, "", "no data rows", "one row per city"),
    "unknown country": ("c.csv", lambda d: csv_text([_lyon(id="lyon-xxx", iso3="XXX")]), 2, "iso3",
                        "'XXX' is not a country", "alpha-3"),
    "not an iso3 code": ("c.csv", lambda d: csv_text([_lyon(id="lyon-fr", iso3="fr")]), 2, "iso3",
                         "not an ISO 3166 alpha-3 code", "ITA"),
    "unknown region": ("c.csv", lambda d: csv_text([_lyon(region="europa")]), 2, "region",
                       "not an allowed value", "europe"),
    "country named otherwise": ("c.csv", lambda d: csv_text([_lyon(country="Frankreich")]), 2, "country",
                                "differs from 'France'", "'France'"),
    "region of another continent": ("c.csv", lambda d: csv_text([_lyon(region="asia")]), 2, "region",
                                    "differs from 'europe'", "'europe'"),
    "coordinates in another country": ("c.csv", lambda d: csv_text([_lyon(lat="51.5", lon="-0.12")]), 2, "lat,lon",
                                       "lies inside GBR, not FRA", "coordinates"),
    "coordinates far at sea": ("c.csv", lambda d: csv_text([_lyon(lat="40.0", lon="-30.0")]), 2, "lat,lon",
                               "km outside FRA", "coordinates"),
    "new id off the rule": ("c.csv", lambda d: csv_text([_lyon(id="lyon-city-fra")]), 2, "id",
                            "does not follow the id rule", "'lyon-fra'"),
    "existing city moved to another country": ("c.csv", lambda d: _cities_row(d, iso3="FRA", country="France"),
                                               2, "id", "does not end in '-fra'", "lower-case ISO3"),
    "profile for a city not in the atlas": ("p.csv", lambda d: csv_text([row_of("profiles.csv", d, "bologna-ita",
                                                                                city_id="lyon-fra")]),
                                            2, "city_id", "not a city of the atlas", "cities column set"),
    "profile with a bad yes/no": ("p.csv", lambda d: csv_text([row_of("profiles.csv", d, "bologna-ita",
                                                                      has_dedicated_funding="maybe")]),
                                  2, "has_dedicated_funding", "not yes/no", "yes, no"),
    "survey wave not a year": ("c.csv", lambda d: csv_text([_lyon(survey_wave="spring 2024")]), 2, "survey_wave",
                               "not a survey wave", "four-digit year"),
    "unclosed quote": ("q.csv", SCORES + 'bologna-ita,5,,"OECD,https://example.org\nseoul-kor,5,,OECD,https://x.org\n',
                       2, "", "has 4 cells", "quote"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_input_gets_a_clear_error_and_changes_nothing(store_copy, tmp_path, case):
    data, db = store_copy
    name, content, line, column, words, fix = MALFORMED[case]
    path = write(tmp_path / name, content(data) if callable(content) else content)
    before = snapshot(data, db)
    report = ingest(path, data, db)
    assert not report.ok and not report.applied
    matches = [p for p in report.problems if words in p.message]
    assert matches, report.text()
    p = matches[0]
    assert (p.file, p.line, p.column) == (name, line, column), p
    assert fix in p.fix, p.fix
    assert snapshot(data, db) == before
    # --skip-invalid applies no bad row either
    ingest(path, data, db, skip_invalid=True)
    assert snapshot(data, db) == before


def test_a_problem_in_data_itself_stops_the_ingest(store_copy, tmp_path):
    data, db = store_copy
    with (data / "cities.csv").open("a", encoding="utf-8") as fh:
        fh.write("broken-ita,Broken,Italy,ITA,europe,95,0,,,,,2018,true,,,,,https://example.org\n")
    before = snapshot(data, db)
    report = ingest(write(tmp_path / "e.csv", SCORES + "bologna-ita,5,,OECD,https://example.org\n"), data, db,
                    skip_invalid=True)
    assert report.fatal and not report.ok
    assert any(p.file == "data/cities.csv" and p.column == "lat" for p in report.problems)
    assert snapshot(data, db) == before


def test_a_large_bad_file_is_streamed_with_a_capped_list_of_problems(store_copy, tmp_path):
    """50 MB of bad rows: at most MAX_LISTED problems listed plus a count, in bounded memory."""
    data, db = store_copy
    big = tmp_path / "big.csv"
    line = "bologna-ita,11,,{title},https://example.org/x\n".replace("{title}", "T" * 200)
    rows = 50_000_000 // len(line)
    with big.open("w", encoding="utf-8") as fh:
        fh.write(SCORES)
        for _ in range(rows // 1000):
            fh.write(line * 1000)
    before = snapshot(data, db)
    # VmHWM: the peak resident memory of this process image (ru_maxrss would include pytest's, from the fork)
    code = ("import sys; from pathlib import Path; from dashboard.store.__main__ import main; "
            f"rc = main(['ingest', {str(big)!r}, '--data', {str(data)!r}, '--db', {str(db)!r}]); "
            "hwm = [ln for ln in Path('/proc/self/status').read_text().splitlines() if ln.startswith('VmHWM')]; "
            "print('PEAK_KB', hwm[0].split()[1], file=sys.stderr); sys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    out = proc.stdout
    assert len(out) < 30_000 and out.count("\n    - ") == MAX_LISTED
    assert f"rejected {rows // 1000 * 1000:,}" in out
    assert "more problem(s), not listed" in out
    peak_mb = int(proc.stderr.split("PEAK_KB")[1].split()[0]) / 1024
    assert peak_mb < 150, f"{peak_mb:.0f} MB"  # the file is 50 MB; holding it (or its messages) would exceed this
    assert snapshot(data, db) == before


# ----------------------------------------------------------------------- dry run, skip invalid

def test_dry_run_reports_and_writes_nothing(store_copy, tmp_path, capsys):
    data, db = store_copy
    extract = write(tmp_path / "e.csv", SCORES + "bologna-ita,5,,OECD,https://example.org\n")
    before = snapshot(data, db)
    report = ingest(extract, data, db, dry_run=True)
    assert report.added == ["bologna-ita"] and not report.applied and "dry run" in report.text()
    assert snapshot(data, db) == before
    assert main(["ingest", str(extract), "--dry-run", "--data", str(data), "--db", str(db)]) == 0
    assert "added 1" in capsys.readouterr().out
    assert snapshot(data, db) == before


def test_skip_invalid_applies_only_the_valid_rows(store_copy, tmp_path):
    data, db = store_copy
    extract = write(tmp_path / "e.csv", SCORES + "bologna-ita,5,,OECD,https://example.org\n"
                                                 "seoul-kor,11,,OECD,https://example.org\n"
                                                 "austin-usa,3,,OECD,https://example.org\n"
                                                 "madrid-esp,4,,OECD,https://example.org\n"
                                                 "madrid-esp,5,,OECD,https://example.org\n")
    before = snapshot(data, db)
    assert not ingest(extract, data, db).applied and snapshot(data, db) == before
    report = ingest(extract, data, db, skip_invalid=True)
    assert report.applied and report.ok and report.added == ["austin-usa", "bologna-ita"]
    assert report.rejected == 3  # seoul (out of range) and both madrid rows (which one is right is unknown)
    assert {(p.line, p.column) for p in report.problems} == {(3, "psi_index"), (5, "city_id"), (6, "city_id")}
    assert [r["city_id"] for r in csv_rows(data / "official_scores.csv")] == ["austin-usa", "bologna-ita"]
    assert city(db, "seoul-kor")["psi_source"] != "official"


def test_cli_exit_codes(store_copy, tmp_path, capsys):
    data, db = store_copy
    good = write(tmp_path / "e.csv", SCORES + "seoul-kor,8.1,,OECD,https://example.org\n")
    assert main(["ingest", str(good), "--data", str(data), "--db", str(db)]) == 0
    assert "added 1" in capsys.readouterr().out
    assert main(["ingest", str(tmp_path / "missing.csv"), "--data", str(data), "--db", str(db)]) == 1
    assert "not found" in capsys.readouterr().out
    bad = write(tmp_path / "b.csv", SCORES + "seoul-kor,80,,OECD,https://example.org\n")
    assert main(["ingest", str(bad), "--data", str(data), "--db", str(db)]) == 1
    assert main(["ingest", str(bad), "--skip-invalid", "--data", str(data), "--db", str(db)]) == 0


def test_progress_only_for_large_files(store_copy, tmp_path, monkeypatch):
    data, db = store_copy
    extract = write(tmp_path / "e.csv", SCORES + "".join(f"bologna-ita,{i % 10},,OECD,https://example.org\n"
                                                          for i in range(5000)))
    quiet = io.StringIO()
    ingest(extract, data, db, dry_run=True, progress_stream=quiet)
    assert quiet.getvalue() == ""
    monkeypatch.setattr(extract_module, "PROGRESS_MIN_BYTES", 1000)
    shown = io.StringIO()
    ingest(extract, data, db, dry_run=True, progress_stream=shown)
    assert "reading e.csv: " in shown.getvalue() and "done, 5,000 rows" in shown.getvalue()


# ----------------------------------------------------------------------- profile answers and cities

def test_profile_answers_round_trip(store_copy, tmp_path):
    data, db = store_copy
    cities = {r["id"] for r in csv_rows(data / "cities.csv")}
    without = sorted(cities - {r["city_id"] for r in csv_rows(data / "profiles.csv")})[0]
    new = {name: "" for name in KINDS[1].columns}
    new.update(city_id=without, profile_url="https://example.org/profile", profile_version="2021",
               has_explicit_strategy="yes", approach="holistic", has_innovation_team="yes",
               has_dedicated_funding="no", policy_areas="Health;Mobility", notes="self-assessment, sent by the city")
    changed = row_of("profiles.csv", data, "bologna-ita", has_dedicated_funding="yes")
    report = ingest(write(tmp_path / "answers.csv", csv_text([new, changed])), data, db)
    assert report.applied, report.text()
    assert (report.added, report.updated) == ([without], ["bologna-ita"])
    [p] = store_value(db, "SELECT has_dedicated_funding, notes FROM profiles WHERE city_id = ?", [without])
    assert p == {"has_dedicated_funding": False, "notes": "self-assessment, sent by the city"}
    items = store_value(db, "SELECT label FROM profile_items WHERE city_id = ? AND kind = 'policy_area' "
                            "ORDER BY position", [without])
    assert [i["label"] for i in items] == ["Health", "Mobility"]
    assert store_value(db, "SELECT has_dedicated_funding AS f FROM profiles WHERE city_id = 'bologna-ita'") == \
        [{"f": True}]
    # the file order is kept (sorted by city id), the other rows untouched
    ids = [r["city_id"] for r in csv_rows(data / "profiles.csv")]
    assert ids == sorted(ids) and without in ids


def test_new_cities_and_stable_ids(store_copy, tmp_path):
    data, db = store_copy
    before = (data / "cities.csv").read_text(encoding="utf-8").splitlines()
    # the column set as before: without population_source / population_note
    bologna = {k: v for k, v in row_of("cities.csv", data, "bologna-ita", population="390000").items()
               if k not in ("population_source", "population_note")}
    report = ingest(write(tmp_path / "wave.csv", csv_text([_lyon(), bologna])), data, db)
    assert (report.added, report.updated) == (["lyon-fra"], ["bologna-ita"]), report.text()
    lyon = city(db, "lyon-fra")
    assert (lyon["name"], lyon["iso3"], lyon["psi_source"]) == ("Lyon", "FRA", None)  # no profile: no estimate
    # a population the extract gives is the extract's, not GeoNames'
    assert (lyon["population_source"], city(db, "bologna-ita")["population_source"]) == ("extract", "extract")
    after = (data / "cities.csv").read_text(encoding="utf-8").splitlines()
    # bologna-ita keeps its place (only its population changed); every other row is as it was
    assert len(after) == len(before) + 1
    changed = [(a, b) for a, b in zip(sorted(before), sorted(set(after) - {next(x for x in after
                                                                             if x.startswith("lyon-fra,"))}))
               if a != b]
    assert len(changed) == 1 and changed[0][1].startswith("bologna-ita,") and ",390000," in changed[0][1]


def test_a_new_survey_wave_loads_with_no_change_of_code(store_copy, tmp_path, monkeypatch):
    """A third wave's cities carry their year: the store, the facet's values and its filter take it."""
    data, db = store_copy
    ingest(write(tmp_path / "wave.csv", csv_text([_lyon(survey_wave="2024")])), data, db)
    s = Store(db)
    try:
        assert s.waves() == ["2018", "2024", "unknown"]
        assert [r["id"] for r in s.city_rows(Filters(wave=["2024"]))] == ["lyon-fra"]
        assert [r["id"] for r in s.city_rows(Filters(wave="2024,1999"))] == ["lyon-fra"]
    finally:
        s.close()


def test_a_cities_row_without_population_source_keeps_an_unchanged_populations_source(store_copy, tmp_path):
    data, db = store_copy
    sintra = {k: v for k, v in row_of("cities.csv", data, "sintra-prt").items()
              if k not in ("population_source", "population_note")}
    report = ingest(write(tmp_path / "same.csv", csv_text([sintra])), data, db)
    assert report.unchanged == ["sintra-prt"] and not report.updated, report.text()
    assert city(db, "sintra-prt")["population_source"] == "profile"


# ----------------------------------------------------------------------- atomic

def test_a_failed_rebuild_leaves_data_and_store_as_they_were(store_copy, tmp_path, monkeypatch):
    data, db = store_copy
    extract = write(tmp_path / "e.csv", SCORES + "bologna-ita,5,,OECD,https://example.org\n")
    before = snapshot(data, db)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build_module, "_write", disk_full)
    report = ingest(extract, data, db)
    assert report.fatal and not report.applied
    assert "No space left on device" in report.problems[0].message and "as before" in report.problems[0].message
    assert snapshot(data, db) == before  # no temporary file left either


def test_a_failed_store_swap_puts_the_old_data_file_back(store_copy, tmp_path, monkeypatch):
    data, db = store_copy
    extract = write(tmp_path / "e.csv", SCORES + "bologna-ita,5,,OECD,https://example.org\n")
    before = snapshot(data, db)
    real_replace = os.replace
    swapped = []

    def replace(src, dst):
        if os.fspath(dst) == os.fspath(db):
            raise OSError(errno.EIO, "I/O error")
        swapped.append(os.fspath(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    report = ingest(extract, data, db)
    assert not report.applied and report.fatal
    assert swapped[0] == os.fspath(data / "official_scores.csv")  # the data file went first, then back
    assert snapshot(data, db) == before


def test_a_crash_between_the_swaps_is_repaired_at_the_next_start(store_copy, tmp_path):
    """Data file swapped, store not (a crash in between): the start-up check rebuilds from data/."""
    data, db = store_copy
    old_store = db.read_bytes()
    ingest(write(tmp_path / "e.csv", SCORES + "bologna-ita,5,,OECD,https://example.org\n"), data, db)
    db.write_bytes(old_store)
    assert city(db, "bologna-ita")["psi_source"] == "estimate"
    assert ensure_built(data, db) is True
    assert city(db, "bologna-ita")["psi_source"] == "official"


def test_the_documented_formats_are_the_accepted_ones():
    """data/README.md lists each column set exactly as ingest accepts it (a stable, documented format)."""
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for kind in KINDS:
        assert f"`{','.join(kind.required)}`" in text, kind.name
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "ingest FILE [--dry-run] [--skip-invalid]" in readme


def test_columns_in_any_order_and_received_optional(store_copy, tmp_path):
    data, db = store_copy
    extract = write(tmp_path / "e.csv", "source_url,received,data_use_index,city_id,source_title,psi_index\n"
                                        "https://example.org,,12,seoul-kor,OECD,3.5\n")
    assert ingest(extract, data, db, today="2026-12-01").applied
    assert csv_rows(data / "official_scores.csv") == [
        {"city_id": "seoul-kor", "psi_index": "3.5", "data_use_index": "12", "source_title": "OECD",
         "source_url": "https://example.org", "received": "2026-12-01"}]
