"""Ingest of staff extracts into ``data/`` and the store: validated first, applied atomically.

``python -m dashboard.store ingest FILE [--dry-run] [--skip-invalid]`` reads a
CSV or XLSX file (``extract.open_extract``) whose header is one of three
column sets (:data:`KINDS`), checks every row, prints a :class:`Report` and
only then writes.

Atomic: the merged source file is written to a temporary file next to it, the
new store is built from the merged rows into a temporary file next to the
store, and only when both are complete are they renamed over the old ones,
data file first, store last (``build._build_unlocked``'s ``os.replace``).

- A failure before the renames (a row problem, a failed build, a full disk)
  leaves ``data/`` and the store byte-identical; the temporary files are removed.
- A failure of the store's rename after the data file's puts the old data
  file back, so both are as before.
- A crash between the two renames leaves the new data file beside the old
  store. The store records the hash of the source files it was built from, so
  the next start-up check (``ensure_built``, ``ATLAS_AUTO_BUILD=1``) or
  ``python -m dashboard.store build`` sees the mismatch and rebuilds from
  ``data/``: the data files are the truth, and the ingest takes effect. The
  other order (store first) would lose an ingest that had already been served.

The whole ingest holds the build lock, so no build or other ingest runs between
reading ``data/`` and the swap. A running app keeps answering from the old
store and reopens the new one on its next query (``queries.Store``).
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.store.build import _build_lock, _build_unlocked
from dashboard.store.extract import Extract, ExtractError, open_extract
from dashboard.store.schema import sources_hash
from dashboard.store.sources import (BY_FILE, COUNTRIES_FILE, Problem, Source, _check_locations, _parse,
                                     city_id_for, read_sources)

# The report lists this many problems, then counts the rest.
MAX_LISTED = 50
MAX_MESSAGE = 300
# A text cell may not begin with these: spreadsheets run such a cell as a formula,
# and no text of the atlas begins with one (exports prefix them with ' anyway).
FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Kind:
    """One accepted column set: which source file its rows go into."""
    name: str
    title: str
    target: str
    optional: tuple[str, ...] = ()

    @property
    def source(self) -> Source:
        return BY_FILE[self.target]

    @property
    def columns(self) -> list[str]:
        return self.source.names

    @property
    def required(self) -> list[str]:
        return [c for c in self.columns if c not in self.optional]

    @property
    def key(self) -> str:
        return self.source.key[0]

    def describe(self) -> str:
        opt = f" [,{','.join(self.optional)}]" if self.optional else ""
        return f"{self.title}: {','.join(self.required)}{opt}"


KINDS = (
    Kind("official-scores", "official scores", "official_scores.csv", optional=("received",)),
    Kind("profile-answers", "profile answers", "profiles.csv"),
    Kind("cities", "cities (a new survey wave)", "cities.csv", optional=("population_source", "population_note")),
)
INGEST_COLUMNS = tuple(KINDS[0].required)  # the official-scores columns, as before


@dataclass
class Report:
    """What an ingest found and did; ``text()`` is what staff read."""
    file: str
    dry_run: bool = False
    skip_invalid: bool = False
    kind: Kind | None = None
    description: str = ""
    rows: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    unlisted: int = 0
    fatal: bool = False  # the file or data/ as a whole: nothing of it can be applied
    applied: bool = False
    written: list[str] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_LISTED:
            msg = problem.message if len(problem.message) <= MAX_MESSAGE else problem.message[:MAX_MESSAGE] + "…"
            self.problems.append(dataclasses.replace(problem, message=msg))
        else:
            self.unlisted += 1

    def stop(self, problem: Problem) -> Report:
        self.fatal = True
        self.add(problem)
        return self

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.unlisted

    @property
    def ok(self) -> bool:
        """True when the run did what was asked: no problem, or only skipped rows with --skip-invalid."""
        return not self.fatal and (not self.problem_count or self.skip_invalid)

    def text(self) -> str:
        what = f"{self.kind.title} ({self.description})" if self.kind else "not read"
        out = [f"{self.file}: {what}"]
        if self.kind:
            out.append(f"  {self.rows:,} data rows: added {len(self.added):,}, updated {len(self.updated):,}, "
                       f"unchanged {len(self.unchanged):,}, rejected {self.rejected:,}")
            for label, ids in (("added", self.added), ("updated", self.updated)):
                if ids:
                    shown = ", ".join(ids[:20]) + (f" … and {len(ids) - 20:,} more" if len(ids) > 20 else "")
                    out.append(f"  {label}: {shown}")
        if self.problems:
            out.append(f"  {self.problem_count:,} problem(s):")
            out += [f"    - {p}" for p in sorted(self.problems, key=lambda p: p.line)]
            if self.unlisted:
                out.append(f"    … and {self.unlisted:,} more problem(s), not listed (fix these first)")
        if self.applied:
            out.append("applied: " + " and ".join(self.written) + " were replaced together")
        elif self.fatal:
            out.append("nothing was written: data/ and the store are as before")
        elif self.dry_run:
            out.append("dry run: nothing was written")
        elif self.problem_count and not self.skip_invalid:
            out.append(f"nothing was written: {self.rejected:,} row(s) have problems. Fix them, or run again with "
                       "--skip-invalid to apply only the valid rows")
        else:
            out.append("nothing to apply: every valid row is already in data/")
        return "\n".join(out)


def _kind_of(header: list[str], name: str) -> Kind:
    fix = "the first line must name the columns of one of: " + "; ".join(k.describe() for k in KINDS)
    if not any(header):
        raise ExtractError(Problem(name, 1, "", "has no header line", fix))
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        raise ExtractError(Problem(name, 1, ",".join(repeated), f"header names {repeated} more than once", fix))
    names = set(header)
    for kind in KINDS:
        if set(kind.required) <= names <= set(kind.columns):
            return kind
    best = max(KINDS, key=lambda k: len(names & set(k.columns)))
    if not names & set(best.columns):
        raise ExtractError(Problem(name, 1, "", f"header {','.join(header)[:200]!r} is none of the accepted "
                                                "column sets", fix))
    missing = [c for c in best.required if c not in names]
    extra = [h for h in header if h not in best.columns]
    msg = f"header is not the {best.title} column set" + (f"; missing {missing}" if missing else "") + \
          (f"; unexpected {extra}" if extra else "")
    raise ExtractError(Problem(name, 1, "", msg, fix))


def _formula_problems(src: Source, raw: dict[str, str], line: int) -> list[Problem]:
    out = []
    for col in src.columns:
        if col.kind not in ("text", "list") or not raw.get(col.name):
            continue
        items = raw[col.name].split(";") if col.kind == "list" else [raw[col.name]]
        for item in items:
            if item.strip().startswith(FORMULA_START):
                lead = item.strip()[0]
                out.append(Problem(src.file, line, col.name, f"{item.strip()[:60]!r} begins with {lead!r}, like a "
                                   "spreadsheet formula", f"write the text without the leading {lead!r}: ingest "
                                   "takes values, never formulas (an empty cell means not published)"))
                break
    return out


def _city_problems(src: Source, row: dict, existing: dict[str, dict], countries: dict[str, tuple[str, str]],
                   line: int) -> list[Problem]:
    """A cities row: its id follows the slug rule (new ids) and keeps the country's suffix;
    country name and region agree with the atlas's other cities of that ISO3 code."""
    out = []
    cid, name, iso3 = row["id"], row["name"], row["iso3"]
    if iso3 is not None and not (len(iso3) == 3 and iso3.isascii() and iso3.isupper()):
        out.append(Problem(src.file, line, "iso3", f"{iso3!r} is not an ISO 3166 alpha-3 code",
                           "write the country's three capital letters, e.g. ITA"))
        return out
    if cid and iso3 and not cid.endswith("-" + iso3.lower()):
        out.append(Problem(src.file, line, "id", f"{cid!r} does not end in '-{iso3.lower()}'",
                           "an id is the slug of the name plus the lower-case ISO3 code, e.g. bologna-ita"))
    elif cid and name and iso3 and cid not in existing and cid != city_id_for(name, iso3):
        out.append(Problem(src.file, line, "id", f"new city id {cid!r} does not follow the id rule",
                           f"use {city_id_for(name, iso3)!r} (slug of the name plus the ISO3 code); an existing "
                           "city keeps its id"))
    if iso3 in countries:
        country, region = countries[iso3]
        if row["country"] and row["country"] != country:
            out.append(Problem(src.file, line, "country", f"{row['country']!r} differs from {country!r}, the name "
                               f"the atlas gives {iso3}", f"write {country!r}, or check the iso3 code"))
        if row["region"] and row["region"] != region:
            out.append(Problem(src.file, line, "region", f"{row['region']!r} differs from {region!r}, the region "
                               f"of the atlas's other cities in {iso3}", f"write {region!r}, or check the iso3 code"))
    return out


def _population_provenance(raw: dict[str, str], old: dict | None) -> None:
    """Fill population_source/_note of a cities row that leaves them out: a city's unchanged population
    keeps its source and note; a population the extract gives is the extract's own (``extract``)."""
    if raw.get("population_source"):
        raw.setdefault("population_note", "")
    elif old is not None and str(old["population"] if old["population"] is not None else "") == raw.get("population"):
        raw["population_source"] = old["population_source"] or ""
        raw["population_note"] = raw.get("population_note") or old["population_note"] or ""
    else:
        raw["population_source"] = "extract" if raw.get("population") else ""
        raw.setdefault("population_note", "")


def _raw_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _csv_text(names: list[str], rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(names)
    w.writerows([r[n] for n in names] for r in rows)
    return buf.getvalue()


def _same(old: dict, new: dict, ignore: set[str]) -> bool:
    return all(old[k] == v for k, v in new.items() if k != "_line" and k not in ignore)


def _check_rows(ext: Extract, kind: Kind, data: dict[str, list[dict]], data_dir: Path, report: Report,
                today: str) -> dict[str, tuple[int, dict, dict, bool]]:
    """Valid rows of the extract by key: (line, typed row, cleaned text cells, received defaulted)."""
    src = dataclasses.replace(kind.source, file=ext.name)
    header, key = ext.header, kind.key
    city_ids = {c["id"] for c in data["cities.csv"]}
    existing = {r[key]: r for r in data[kind.target]}
    countries = {c["iso3"]: (c["country"], c["region"]) for c in data["cities.csv"]}
    valid: dict[str, tuple[int, dict, dict, bool]] = {}
    repeated: dict[str, int] = {}  # key of valid rows given more than once -> first line
    for line, cells in ext.rows():
        if not any(c.strip() for c in cells):
            continue
        report.rows += 1
        if len(cells) > len(header) and not any(c.strip() for c in cells[len(header):]):
            cells = cells[:len(header)]  # trailing empty cells some spreadsheets add
        if len(cells) != len(header):
            report.rejected += 1
            report.add(Problem(ext.name, line, "", f"has {len(cells)} cells, the header has {len(header)}",
                               "use the header's delimiter throughout, and quote cells that contain it"))
            continue
        raw = {h: c.strip() for h, c in zip(header, cells)}
        if kind.name == "cities":
            _population_provenance(raw, existing.get(raw.get("id", "")))
        defaulted = "received" in kind.optional and not raw.get("received")
        if defaulted:
            raw["received"] = today
        problems = _formula_problems(src, raw, line)
        row = {c.name: _parse(c, raw[c.name], src, line, problems) for c in src.columns}
        row["_line"] = line
        if kind.name == "official-scores" and row["psi_index"] is None and row["data_use_index"] is None \
                and not any(p.column in ("psi_index", "data_use_index") for p in problems):
            problems.append(Problem(ext.name, line, "psi_index,data_use_index", "gives no score",
                                    "fill psi_index (0-10) and/or data_use_index (0-38)"))
        if kind.name == "cities":
            problems += _city_problems(src, row, existing, countries, line)
        elif row[key] and row[key] not in city_ids:
            problems.append(Problem(ext.name, line, key, f"{row[key]!r} is not a city of the atlas",
                                    "use an id from data/cities.csv (e.g. bologna-ita), or ingest the city first "
                                    "with the cities column set"))
        k = row[key]
        if not problems and k is not None:
            if k in repeated:
                problems.append(Problem(ext.name, line, key, f"duplicate {key} {k!r} (first on line {repeated[k]})",
                                        "give each row once: remove or merge the repeated rows"))
            elif k in valid:
                first = valid.pop(k)[0]
                repeated[k] = first
                report.rejected += 1
                report.add(Problem(ext.name, first, key, f"{key} {k!r} is given again on line {line}",
                                   "give each row once: neither row is applied"))
                problems.append(Problem(ext.name, line, key, f"duplicate {key} {k!r} (first on line {first})",
                                        "give each row once: remove or merge the repeated rows"))
        if problems:
            report.rejected += 1
            for p in problems:
                report.add(p)
        else:
            valid[k] = (line, row, {n: raw[n] for n in kind.columns}, defaulted)
    if kind.name == "cities" and valid:
        located: list[Problem] = []
        _check_locations([v[1] for v in valid.values()], data_dir / COUNTRIES_FILE, data["location_exceptions.csv"],
                         located, file=ext.name)
        bad = {p.line for p in located}
        for p in sorted(located, key=lambda p: p.line):
            report.add(p)
        for k in [k for k, v in valid.items() if v[0] in bad]:
            del valid[k]
            report.rejected += 1
    if report.rows == 0:
        report.stop(Problem(ext.name, 0, "", "has a header but no data rows", "add one row per city below the header"))
    return valid


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _apply(kind: Kind, text: str, new_data: dict, data_dir: Path, db_path: Path) -> None:
    """Swap in the new data file and a store built from ``new_data``, both or neither."""
    target = data_dir / kind.target
    new_bytes = text.encode("utf-8")
    old_bytes = target.read_bytes()
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    swapped = False

    def swap_data() -> None:  # runs once the new store is complete, just before it replaces the old one
        nonlocal swapped
        os.replace(tmp, target)
        swapped = True
        _sync_dir(data_dir)

    try:
        _write_durably(tmp, new_bytes)
        digest = sources_hash(data_dir, {kind.target: new_bytes})
        _build_unlocked(data_dir, db_path, data=new_data, digest=digest, before_swap=swap_data)
    except BaseException:
        if swapped:  # the store was not replaced: put the old data file back
            _write_durably(tmp, old_bytes)
            os.replace(tmp, target)
        raise
    finally:
        tmp.unlink(missing_ok=True)
    _sync_dir(db_path.parent)


def ingest(file: Path, data_dir: Path, db_path: Path, *, dry_run: bool = False, skip_invalid: bool = False,
           today: str | None = None, progress_stream=None) -> Report:
    """Validate the extract ``file`` against ``data/``, report, and (unless ``dry_run``) apply it atomically.

    Any problem means nothing is written, unless ``skip_invalid``: then the valid
    rows are applied and the rejected ones listed. Rows update the row with the
    same id (city_id, or id for cities) or are added; nothing is ever deleted.
    """
    file, today = Path(file), today or dt.date.today().isoformat()
    report = Report(file.name, dry_run=dry_run, skip_invalid=skip_invalid)
    try:
        ext = open_extract(file, progress_stream)
    except ExtractError as exc:
        return report.stop(exc.problem)
    try:
        kind = report.kind = _kind_of(ext.header, ext.name)
        report.description = ext.description
        with _build_lock(db_path):
            data, problems = read_sources(data_dir)
            if problems:
                for p in problems:
                    report.add(dataclasses.replace(p, file=f"data/{p.file}"))
                report.fatal = True
                return report
            valid = _check_rows(ext, kind, data, data_dir, report, today)
            existing = {r[kind.key]: r for r in data[kind.target]}
            for k in sorted(valid):
                _, row, _, defaulted = valid[k]
                old = existing.get(k)
                if old is None:
                    report.added.append(k)
                elif _same(old, row, {"received"} if defaulted else set()):
                    report.unchanged.append(k)
                else:
                    report.updated.append(k)
            if report.fatal or (report.problem_count and not skip_invalid) or not (report.added or report.updated):
                return report
            raw = _raw_rows(data_dir / kind.target)
            keys = [r[kind.key] for r in raw]
            by_key = dict(zip(keys, raw))
            for k in report.added + report.updated:
                by_key[k] = valid[k][2]
            rows = list(by_key.values())
            if keys == sorted(keys):
                rows.sort(key=lambda r: r[kind.key])
            text = _csv_text(kind.columns, rows)
            new_data, merged = read_sources(data_dir, {kind.target: text}, known=data)
            if merged:  # a cross-file rule the row checks do not cover; should not happen
                for p in merged:
                    report.add(dataclasses.replace(p, file=f"data/{p.file} after the merge"))
                report.fatal = True
                return report
            if dry_run:
                return report
            try:
                _apply(kind, text, new_data, data_dir, db_path)
            except Exception as exc:
                return report.stop(Problem(file.name, 0, "", f"could not be applied ({type(exc).__name__}: {exc}); "
                                           "data/ and the store are as before",
                                           f"make room or fix the permissions in {data_dir} and {db_path.parent}, "
                                           "then run the ingest again"))
            report.applied = True
            report.written = [f"data/{kind.target}", str(db_path)]
            return report
    except ExtractError as exc:
        return report.stop(exc.problem)
    finally:
        ext.close()
