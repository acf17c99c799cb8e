"""Reading a staff extract (CSV or XLSX) as a header and a stream of text rows.

``open_extract(path)`` checks what the file is before a row is read and raises
:class:`ExtractError` with one :class:`Problem` (what, where, how to fix) for
anything that is not a readable table: an empty file, a binary file, UTF-16 or
Latin-1 text, an old ``.xls`` workbook, a broken XLSX, a delimiter other than
a comma or a semicolon. Rows are then streamed, never held: a 50 MB file costs
the memory of one row.

CSV: UTF-8 with or without a byte-order mark, comma or semicolon (whichever the
header line uses), any line ends; a line break inside a quoted cell stays in
the cell (as ``\\n``). XLSX: the first worksheet, read with openpyxl in
read-only mode; every cell becomes text (a number as written, a date as
YYYY-MM-DD, a formula as its ``=`` text, which ingest then rejects).
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dashboard.store.sources import Problem

SCAN_CHUNK = 1 << 20
# Progress is shown for files at least this large (bytes for CSV; rows of an XLSX sheet).
PROGRESS_MIN_BYTES = 5 << 20
PROGRESS_MIN_ROWS = 50_000
# Control characters that never occur in a text table (tab, LF and CR do).
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SAVE_AS_UTF8 = ("re-save it as UTF-8: in Excel, Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'; in LibreOffice, "
                 "Save As > Text CSV with 'Edit filter settings' and character set 'Unicode (UTF-8)'")
csv.field_size_limit(16 << 20)  # one cell may hold a long note; a runaway quote still ends with an error


class ExtractError(Exception):
    """The file cannot be read as a table at all: nothing of it is used."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Extract:
    """An opened extract: ``header`` (stripped names) and ``rows()`` yielding (line, cells)."""
    name: str
    description: str  # e.g. "CSV, UTF-8, ';'-separated" or "XLSX, sheet 'Scores'"
    header: list[str]
    _rows: Iterator[tuple[int, list[str]]]
    _close: callable

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        return self._rows

    def close(self) -> None:
        self._close()


class Progress:
    """A progress line on stderr for large files: rewritten in place on a terminal,
    a plain line every 10 % otherwise (logs, CI)."""

    def __init__(self, label: str, total: int, enabled: bool, stream=None):
        self.label, self.total, self.enabled = label, max(total, 1), enabled
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_time, self._last_step = 0.0, -1

    def update(self, done: int, rows: int) -> None:
        if not self.enabled:
            return
        share = min(done / self.total, 1.0)
        if self.tty:
            now = time.monotonic()
            if now - self._last_time >= 0.2:
                self._last_time = now
                self.stream.write(f"\rreading {self.label}: {share:4.0%} ({rows:,} rows)")
                self.stream.flush()
        elif int(share * 10) > self._last_step:
            self._last_step = int(share * 10)
            self.stream.write(f"reading {self.label}: {share:.0%} ({rows:,} rows)\n")
            self.stream.flush()

    def done(self, rows: int) -> None:
        if self.enabled:
            self.stream.write(f"{chr(13) if self.tty else ''}reading {self.label}: done, {rows:,} rows\n")
            self.stream.flush()

    def note(self, text: str) -> None:
        if self.enabled:
            self.stream.write(text + "\n")
            self.stream.flush()


def _fail(name: str, message: str, fix: str, line: int = 0, column: str = "") -> ExtractError:
    return ExtractError(Problem(name, line, column, message, fix))


def _utf16(head: bytes) -> str | None:
    """'UTF-16 LE'/'UTF-16 BE' when the bytes look like UTF-16 text (byte-order mark, or
    a zero byte in every other position as ASCII text in UTF-16 has)."""
    if head.startswith(codecs.BOM_UTF16_LE):
        return "UTF-16 LE"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "UTF-16 BE"
    sample = head[:512]
    if len(sample) >= 8:
        odd, even = sample[1::2], sample[0::2]
        if odd.count(0) > 0.8 * len(odd) and even.count(0) < 0.1 * len(even):
            return "UTF-16 LE"
        if even.count(0) > 0.8 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "UTF-16 BE"
    return None


def _scan_text(path: Path, name: str) -> None:
    """Raise ExtractError unless the whole file is UTF-8 text without control characters.

    One pass in 1 MB chunks (a 50 MB file is scanned in well under a second);
    the error names the line of the first bad byte and, for Latin-1 /
    Windows-1252 text, says so and how to re-save it.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines_before, offset = 0, 0
    with path.open("rb") as fh:
        while chunk := fh.read(SCAN_CHUNK):
            bad = _CONTROL.search(chunk)
            if bad:  # no line number: a binary file has no lines
                raise _fail(name, f"is not a text file (control byte 0x{chunk[bad.start()]:02x} at byte "
                                  f"{offset + bad.start():,})",
                            "export the sheet as 'CSV UTF-8' or save it as .xlsx, and give that file")
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                pos = exc.start
                line = lines_before + chunk.count(b"\n", 0, pos) + 1
                byte = chunk[pos]
                try:
                    latin = (f"; it looks like Latin-1 / Windows-1252 text, where that byte is "
                             f"{chunk[pos:pos + 1].decode('cp1252')!r}")
                except UnicodeDecodeError:
                    latin = ""
                raise _fail(name, f"is not UTF-8 text (byte 0x{byte:02x} at byte {offset + pos:,})"
                                  f"{latin}", _SAVE_AS_UTF8, line)
            lines_before += chunk.count(b"\n")
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise _fail(name, "is not UTF-8 (the file ends inside a character: cut off?)", _SAVE_AS_UTF8) from None


def _delimiter(name: str, header_line: str) -> str:
    """',' or ';': the one the header line uses (column names contain neither)."""
    commas, semis = header_line.count(","), header_line.count(";")
    if commas or semis:
        return "," if commas >= semis else ";"
    for sep, what in (("\t", "tabs"), ("|", "'|'")):
        if sep in header_line:
            raise _fail(name, f"separates its columns with {what}", "save it as CSV with commas or semicolons "
                        "between cells (Excel: Save As > 'CSV UTF-8 (Comma delimited)'), or as .xlsx", 1)
    return ","  # one column: the header check says what is missing


def _csv(path: Path, name: str, progress_stream) -> Extract:
    _scan_text(path, name)
    with path.open(encoding="utf-8-sig", newline="") as probe:
        sep = _delimiter(name, probe.readline())
    with path.open("rb") as probe:
        bom = probe.read(3) == codecs.BOM_UTF8
    fh = path.open(encoding="utf-8-sig", newline="")
    reader = csv.reader(fh, delimiter=sep)
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        fh.close()
        raise _fail(name, f"header line cannot be read as CSV ({exc})", "check the quotes in the first line", 1)
    size = path.stat().st_size
    progress = Progress(name, size, size >= PROGRESS_MIN_BYTES, progress_stream)

    def rows() -> Iterator[tuple[int, list[str]]]:
        end, n = reader.line_num, 0
        try:
            for cells in reader:
                line, end = end + 1, reader.line_num
                n += 1
                if n % 2000 == 0:
                    progress.update(fh.buffer.tell(), n)
                yield line, [_one_line_end(c) for c in cells]
        except csv.Error as exc:
            raise _fail(name, f"cannot be read as CSV after line {end} ({exc})",
                        "check the quotes on that line: a cell that starts with a quote must end with one",
                        end + 1) from None
        progress.done(n)

    what = f"CSV, UTF-8{' with byte-order mark' if bom else ''}, {'comma' if sep == ',' else 'semicolon'}-separated"
    return Extract(name, what, header, rows(), fh.close)


def _one_line_end(text: str) -> str:
    """A line break inside a cell as ``\\n`` whatever the file's line ends were."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def xlsx_text(value) -> str:
    """One spreadsheet cell as the text it shows: numbers as written (7, 4.5), dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return _one_line_end(str(value))


def _xlsx(path: Path, name: str, progress_stream) -> Extract:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=False)
        ws = wb.worksheets[0]
        rows_iter = ws.iter_rows(values_only=True)
        header_row = next(rows_iter, ())
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
        raise _fail(name, f"cannot be read as an XLSX workbook ({type(exc).__name__}: {exc})",
                    "open it in Excel or LibreOffice and save it again as .xlsx, or export the sheet as 'CSV UTF-8'")
    header = [xlsx_text(v).strip() for v in header_row]
    while header and not header[-1]:
        header.pop()
    total = ws.max_row or 0
    progress = Progress(f"{name} (sheet {ws.title!r})", total, total >= PROGRESS_MIN_ROWS, progress_stream)

    def rows() -> Iterator[tuple[int, list[str]]]:
        n = 0
        for n, values in enumerate(rows_iter, start=2):
            cells = [xlsx_text(v) for v in values]
            while len(cells) > len(header) and not cells[-1]:
                cells.pop()
            if n % 2000 == 0:
                progress.update(n, n)
            yield n, cells
        progress.done(max(n - 1, 0))

    sheets = f" (of {len(wb.sheetnames)} sheets: only the first is read)" if len(wb.sheetnames) > 1 else ""
    return Extract(name, f"XLSX, sheet {ws.title!r}{sheets}", header, rows(), wb.close)


def open_extract(path: Path, progress_stream=None) -> Extract:
    """The extract at ``path`` opened as a table, or ExtractError saying why it cannot be."""
    name = path.name
    if not path.is_file():
        raise _fail(name, f"not found ({path})", "give the path of the extract file (CSV or XLSX)")
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.lstrip(codecs.BOM_UTF8).strip():
        raise _fail(name, "is empty", "export the sheet again: a header line, then one line per row")
    if head.startswith(b"PK\x03\x04"):
        return _xlsx(path, name, progress_stream)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(name, "is an old Excel .xls workbook (or another binary file)",
                    "open it in Excel or LibreOffice and save it as .xlsx, or export the sheet as 'CSV UTF-8'")
    utf16 = _utf16(head)
    if utf16:
        raise _fail(name, f"is {utf16} text (Excel's 'Unicode Text' export), not UTF-8", _SAVE_AS_UTF8 +
                    "; or convert it: iconv -f UTF-16 -t UTF-8 in.csv > out.csv")
    return _csv(path, name, progress_stream)
