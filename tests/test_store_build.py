"""The store build: validation errors name file, line, column and fix, and a
failed build leaves the previous store untouched."""
from __future__ import annotations

import hashlib
import shutil

import pytest

from dashboard.store.sources import BuildError
from dashboard.store import Store, build, ensure_built
from dashboard.store.__main__ import main


def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path, needle) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(needle)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def previous_db(built_db, tmp_path):
    """A copy of a good store, as if built earlier and being served."""
    db = tmp_path / "served.duckdb"
    shutil.copy(built_db, db)
    return db


# (what is broken, edit to make, expected file, column, words in the message, words in the fix)
BROKEN = [
    ("missing header column", "cities.csv", ("id,name,country,", "id,name,"), "cities.csv", "country",
     "header is wrong", "first line must be"),
    ("unexpected header column", "covid_responses.csv", ("id,city_id,category,", "id,city_id,kategorie,"),
     "covid_responses.csv", "category", "unexpected", "first line must be"),
    ("wrong type", "cities.csv", (",-34.92866,", ",south,"), "cities.csv", "lat", "not a number", "decimal number"),
    ("latitude out of range", "cities.csv", (",-34.92866,", ",-134.92866,"), "cities.csv", "lat", "out of range",
     "-90 to 90"),
    ("unknown region", "cities.csv", ("AUS,oceania,", "AUS,australasia,"), "cities.csv", "region",
     "not an allowed value", "north-america"),
    ("unknown COVID category", "covid_responses.csv", (",inclusive-social,short,", ",social-stuff,short,"),
     "covid_responses.csv", "category", "not an allowed value", "situational-awareness"),
    ("horizon contradicting category", "covid_responses.csv", (",inclusive-social,short,", ",inclusive-social,long,"),
     "covid_responses.csv", "horizon", "does not match", "short"),
    ("bad boolean", "cities.csv", (",unknown,true,", ",unknown,maybe,"), "cities.csv", "respondent", "not yes/no",
     "yes, no"),
    ("population without its source", "cities.csv", (",394843,,geonames,", ",394843,,,"), "cities.csv",
     "population_source", "empty although a population is given", "geonames, profile or extract"),
    ("unknown population source", "cities.csv", (",394843,,geonames,", ",394843,,census,"), "cities.csv",
     "population_source", "not an allowed value", "geonames, profile, extract"),
    ("population said to be the profile's but is not", "cities.csv", (",78000,2020,profile,", ",34586,2020,profile,"),
     "cities.csv", "population", "does not match the figure and year on the city's profile",
     "population_reported"),
]


@pytest.mark.parametrize("case", BROKEN, ids=lambda c: c[0])
def test_malformed_source_names_the_problem_and_keeps_previous_store(case, data_copy, previous_db):
    _, file, (old, new), exp_file, exp_col, msg, fix = case
    path = data_copy / file
    line = _line_of(path, old)
    _edit(path, old, new)
    before = _digest(previous_db)
    with pytest.raises(BuildError) as err:
        build(data_copy, previous_db)
    problems = err.value.problems
    match = [p for p in problems if p.file == exp_file and exp_col in p.column.split(",")]
    assert match, [str(p) for p in problems]
    p = match[0]
    assert p.line == line
    assert msg in p.message and fix in p.fix
    assert f"{exp_file}:{line}" in str(err.value)
    assert _digest(previous_db) == before
    assert len(Store(previous_db).city_rows()) >= 115


def test_population_from_the_profile_needs_its_reason(data_copy, previous_db):
    import csv
    import io

    path = data_copy / "cities.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    line = next(n for n, r in enumerate(rows, start=2) if r["id"] == "curridabat-cri")
    rows[line - 2]["population_note"] = ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(data_copy, previous_db)
    assert [(p.line, p.column) for p in err.value.problems] == [(line, "population_note")]
    assert "say why" in err.value.problems[0].fix


def test_reference_to_missing_city(data_copy, previous_db):
    path = data_copy / "covid_responses.csv"
    line = _line_of(path, "athens-grc,")
    _edit(path, ",athens-grc,", ",atlantis-grc,")
    before = _digest(previous_db)
    with pytest.raises(BuildError) as err:
        build(data_copy, previous_db)
    [p] = [p for p in err.value.problems if p.column == "city_id"]
    assert (p.file, p.line) == ("covid_responses.csv", line)
    assert "'atlantis-grc'" in p.message and "cities.csv" in p.fix
    assert _digest(previous_db) == before


def test_duplicate_id(data_copy, previous_db):
    path = data_copy / "cities.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(data_copy, previous_db)
    [p] = [p for p in err.value.problems if p.file == "cities.csv" and p.column == "id"]
    assert p.line == len(lines) + 1 and "duplicate" in p.message and "first on line 2" in p.message


def test_city_outside_its_country(data_copy, previous_db):
    # Paris moved to the middle of the Atlantic
    path = data_copy / "cities.csv"
    line = _line_of(path, "paris-fra,")
    row = path.read_text(encoding="utf-8").splitlines()[line - 1]
    lat, lon = row.split(",")[5:7]
    _edit(path, f",{lat},{lon},", ",45.0,-30.0,")
    with pytest.raises(BuildError) as err:
        build(data_copy, previous_db)
    [p] = err.value.problems
    assert (p.file, p.line, p.column) == ("cities.csv", line, "lat,lon")
    assert "km outside FRA" in p.message


def test_city_inside_another_country(data_copy, previous_db):
    # Bologna given Vienna's coordinates: inside Austria, not Italy
    path = data_copy / "cities.csv"
    line = _line_of(path, "bologna-ita,")
    lat, lon = path.read_text(encoding="utf-8").splitlines()[line - 1].split(",")[5:7]
    _edit(path, f",{lat},{lon},", ",48.20849,16.37208,")
    with pytest.raises(BuildError) as err:
        build(data_copy, previous_db)
    [p] = err.value.problems
    assert p.line == line and "inside AUT, not ITA" in p.message and "location_exceptions.csv" in p.fix


def test_exception_list_allows_documented_case_only(data_copy, previous_db):
    path = data_copy / "location_exceptions.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text("\n".join(ln for ln in text.splitlines() if not ln.startswith("jerusalem-isr")) + "\n",
                    encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(data_copy, previous_db)
    [p] = err.value.problems
    assert "jerusalem-isr lies inside PSE" in p.message


def test_missing_file_and_not_utf8(data_copy, previous_db):
    (data_copy / "findings.csv").unlink()
    (data_copy / "wellbeing_gaps.csv").write_bytes("id,indicator\n\xff\xfe".encode("latin-1"))
    with pytest.raises(BuildError) as err:
        build(data_copy, previous_db)
    msgs = {p.file: p for p in err.value.problems}
    assert "missing" in msgs["findings.csv"].message
    assert "UTF-8" in msgs["wellbeing_gaps.csv"].message


def test_row_with_wrong_number_of_cells(data_copy, previous_db):
    path = data_copy / "wwc_certification.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("austin-usa,gold\n")
    n = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(BuildError) as err:
        build(data_copy, previous_db)
    [p] = err.value.problems
    assert (p.file, p.line) == ("wwc_certification.csv", n) and "cells" in p.message


def test_cli_exits_non_zero_and_prints_problems(data_copy, previous_db, capsys):
    _edit(data_copy / "cities.csv", "AUS,oceania,", "AUS,atlantis,")
    before = _digest(previous_db)
    assert main(["build", "--data", str(data_copy), "--db", str(previous_db)]) == 1
    err = capsys.readouterr().err
    assert "cities.csv:" in err and "column 'region'" in err and "Fix: use one of" in err
    assert "nothing was written" in err
    assert _digest(previous_db) == before


def test_successful_build_swaps_atomically_and_ensure_built_tracks_changes(data_copy, tmp_path):
    db = tmp_path / "new" / "atlas.duckdb"
    assert ensure_built(data_copy, db) is True
    assert ensure_built(data_copy, db) is False  # unchanged sources: no rebuild
    assert not list(db.parent.glob("*.tmp"))
    s = Store(db)
    assert len(s.city_rows()) >= 121
    _edit(data_copy / "cities.csv", ",Adelaide,", ",Adelaide City,")
    assert ensure_built(data_copy, db) is True
    # the same Store object notices the swapped file and reopens it
    assert s.city("adelaide-aus")["name"] == "Adelaide City"
