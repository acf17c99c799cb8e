"""Every interface string goes through the translation layer."""
from __future__ import annotations

import subprocess
import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from dashboard import i18n
from tests.conftest import ROOT


def _msgids(path) -> set[str]:
    with open(path, "rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def test_catalogue_template_is_up_to_date(tmp_path):
    out = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "--no-location", "-F",
                    "babel.cfg", "-o", str(out), "app.py", "dashboard", "layers"], cwd=ROOT, check=True,
                   capture_output=True)
    assert _msgids(out) == _msgids(ROOT / "dashboard" / "locale" / "messages.pot"), \
        "run `make messages` and commit dashboard/locale/messages.pot"


def test_a_catalogue_translates_the_interface(monkeypatch, tmp_path, flask_client):
    catalog = Catalog(locale="fr")
    catalog.add("About the data", "À propos des données")
    catalog.add("{n} cities shown", "{n} villes affichées")
    po_dir = tmp_path / "fr" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    with open(po_dir / "messages.po", "wb") as fh:
        write_po(fh, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    i18n.available.cache_clear()
    try:
        import app as app_module

        with app_module.server.test_request_context("/?lang=fr"):
            assert i18n.available() == ("en", "fr")
            assert i18n._("About the data") == "À propos des données"
            assert "À propos des données" in str(app_module.shell().to_plotly_json())
        with app_module.server.test_request_context("/?lang=xx"):
            assert i18n._("About the data") == "About the data"
    finally:
        i18n.translations.cache_clear()
        i18n.available.cache_clear()
