"""Command line of the store::

    python -m dashboard.store build  [--data DIR] [--db PATH]
    python -m dashboard.store ingest FILE [--dry-run] [--skip-invalid] [--data DIR] [--db PATH]
    python -m dashboard.store check  [--data DIR]
    python -m dashboard.store restore [--db PATH]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard import config
from dashboard.store.build import build
from dashboard.store.files import StoreFileError, StoreWriteError, backup_path
from dashboard.store.ingest import KINDS, ingest
from dashboard.store.lifecycle import restore
from dashboard.store.sources import BuildError, read_sources

def main(argv: list[str] | None = None) -> int:
    settings = config.load()
    parser = argparse.ArgumentParser(prog="python -m dashboard.store", description="Build, check and ingest into the store.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name, helptext in (("build", "validate data/ and build the store"),
                           ("check", "validate data/ only, write nothing"),
                           ("ingest", "validate an extract (CSV or XLSX), report, then merge it and rebuild"),
                           ("restore", "put the last good copy of the store back (kept by every build)")):
        p = sub.add_parser(name, help=helptext)
        if name == "ingest":
            p.add_argument("file", type=Path, help="CSV (UTF-8, comma or semicolon) or XLSX whose header is one of: "
                           + "; ".join(k.describe() for k in KINDS))
            p.add_argument("--dry-run", action="store_true", help="validate and print the report; write nothing")
            p.add_argument("--skip-invalid", action="store_true",
                           help="apply the valid rows even when some rows are rejected (they are listed)")
        if name != "restore":
            p.add_argument("--data", type=Path, default=settings.data_dir, help="source folder (default: %(default)s)")
        if name != "check":
            p.add_argument("--db", type=Path, default=settings.db_path, help="store file (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "check":
            _, problems = read_sources(args.data)
            if problems:
                raise BuildError(problems)
            print(f"{args.data}: all source files are valid")
        elif args.cmd == "build":
            counts = build(args.data, args.db)
            print(f"built {args.db}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        elif args.cmd == "restore":
            info = restore(args.db)
            print(f"restored {args.db} from {backup_path(args.db)} (built at {info.get('built_at')}, "
                  f"data version {info['sources_hash'][:12]})")
        else:
            report = ingest(args.file, args.data, args.db, dry_run=args.dry_run, skip_invalid=args.skip_invalid)
            print(report.text())
            return 0 if report.ok else 1
    except (BuildError, StoreWriteError) as exc:
        print(exc, file=sys.stderr)
        return 1
    except StoreFileError as exc:
        print(f"no good copy to restore: {exc} (every build keeps one as {backup_path(args.db).name}); "
              "build the store instead: python -m dashboard.store build", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
