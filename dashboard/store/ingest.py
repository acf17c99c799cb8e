"""Ingest of official extracts into ``data/`` and the store."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from dashboard.store.build import _build_lock, _build_unlocked
from dashboard.store.sources import BY_FILE, BuildError, Problem, read_source, read_sources

INGEST_COLUMNS = ("city_id", "psi_index", "data_use_index", "source_title", "source_url")


def ingest(file: Path, data_dir: Path, db_path: Path, today: str | None = None) -> int:
    """Merge an official-scores extract into data/official_scores.csv and rebuild.

    The extract is a CSV with columns city_id, psi_index (0-10), data_use_index
    (0-38), source_title, source_url (a ``received`` column is optional; today's
    date is used when it is missing). Rows replace earlier rows of the same
    city. Everything is validated first; on any problem neither the CSV nor the
    store changes. Returns the number of rows ingested.
    """
    src = BY_FILE["official_scores.csv"]
    problems: list[Problem] = []
    if not file.is_file():
        raise BuildError([Problem(file.name, 0, "", "file not found", "give the path of the extract CSV")])
    text = file.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].split(",") if text.strip() else []
    header = [h.strip() for h in header]
    if "received" not in header and all(c in header for c in INGEST_COLUMNS):
        today = today or dt.date.today().isoformat()
        lines = text.splitlines()
        text = "\n".join([lines[0] + ",received"] + [ln + f",{today}" for ln in lines[1:] if ln.strip()]) + "\n"
    staged = db_path.with_name(f".ingest.{os.getpid()}.csv")
    staged.parent.mkdir(parents=True, exist_ok=True)
    staged.write_text(text, encoding="utf-8")
    try:
        incoming = read_source(staged, src, problems)
    finally:
        staged.unlink(missing_ok=True)
    problems = [Problem(file.name, p.line, p.column, p.message, p.fix) for p in problems]
    if not problems and not incoming:
        problems.append(Problem(file.name, 0, "", "has no data rows", "add one row per city below the header"))
    for row in incoming:
        if row["psi_index"] is None and row["data_use_index"] is None:
            problems.append(Problem(file.name, row["_line"], "psi_index,data_use_index", "gives no score",
                                    "fill psi_index (0-10) and/or data_use_index (0-38)"))
    with _build_lock(db_path):
        data, existing = read_sources(data_dir)
        problems += existing
        seen: dict[str, int] = {}
        city_ids = {c["id"] for c in data["cities.csv"]}
        for row in incoming:
            if row["city_id"] in seen:
                problems.append(Problem(file.name, row["_line"], "city_id",
                                        f"duplicate city_id {row['city_id']!r} (first on line {seen[row['city_id']]})",
                                        "give each city once"))
            seen.setdefault(row["city_id"], row["_line"])
            if row["city_id"] and row["city_id"] not in city_ids:
                problems.append(Problem(file.name, row["_line"], "city_id", f"{row['city_id']!r} is not a city of the atlas",
                                        "use an id from data/cities.csv (e.g. bologna-ita)"))
        if problems:
            raise BuildError(problems)
        merged = {r["city_id"]: r for r in data["official_scores.csv"]}
        merged.update({r["city_id"]: r for r in incoming})
        rows = sorted(merged.values(), key=lambda r: r["city_id"])
        data["official_scores.csv"] = rows
        target = data_dir / "official_scores.csv"
        new_csv = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        import csv

        with new_csv.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(src.names)
            for r in rows:
                w.writerow(["" if r[n] is None else (f"{r[n]:g}" if isinstance(r[n], float) else r[n]) for n in src.names])
        try:
            os.replace(new_csv, target)
            _build_unlocked(data_dir, db_path, data=data)
        finally:
            new_csv.unlink(missing_ok=True)
    return len(incoming)

