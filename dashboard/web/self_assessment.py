"""The self-assessment's answers as files (``/self-assessment/answers.csv`` and ``.json``): one row
of the ingest's profile-answers column set, made from the answers in the query string. Nothing is
stored; GET and HEAD only, like every address of the atlas.

And the sent form: its fields (``sent=1``) are moved to the answers' own address by a redirect, so
the address bar holds the short, shareable form of the answers."""
from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, redirect, request

from dashboard import urls
from dashboard.views import self_assessment as sa

bp = Blueprint("self_assessment", __name__)


def _refused(checked: sa.Checked) -> Response:
    lines = [f"{sa.question(name)}: {text}" for name, text in checked.errors.items()] or \
        ["no answers: give at least the city's name and country"]
    return Response("The answers cannot be downloaded yet:\n" + "\n".join(lines) + "\n", status=400,
                    mimetype="text/plain")


def _file(body: str, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def csv_text(row: dict[str, str]) -> str:
    """The ingest's CSV: UTF-8 with a byte-order mark (so spreadsheets read accents), a header line of
    the profile-answers columns and the one row."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(sa.INGEST_COLUMNS)
    writer.writerow([row[c] for c in sa.INGEST_COLUMNS])
    return "\ufeff" + buf.getvalue()


def json_text(row: dict[str, str]) -> str:
    """The same row as JSON: the column set in order and the row's text cells by column."""
    return json.dumps({"format": "profile answers", "columns": list(sa.INGEST_COLUMNS), "rows": [row]},
                      ensure_ascii=False, indent=1)


FORMATS = {"csv": (csv_text, "text/csv"), "json": (json_text, "application/json")}


@bp.get(urls.SELF_ASSESSMENT_PATH + "/answers.<any(csv, json):fmt>")
def answers(fmt: str):
    row, checked = sa.download(request.args)
    if row is None:
        return _refused(checked)
    text, mimetype = FORMATS[fmt]
    return _file(text(row), mimetype, f"{row['city_id']}-self-assessment.{fmt}")


@bp.before_app_request
def sent_form():
    if request.path != urls.SELF_ASSESSMENT_PATH:
        return None
    address = sa.sent_address(request.args)
    return redirect(address, code=303) if address else None
