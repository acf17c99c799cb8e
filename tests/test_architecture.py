"""The import contract (.importlinter): data flows one way, only the store touches DuckDB, the
base modules and the map layers depend on nothing above them. Breaking it fails the suite."""
from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_the_import_contract_is_kept():
    result = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                             "lint_imports_command()"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_the_contract_catches_a_layer_that_imports_upwards(tmp_path):
    """The check is live: a map layer importing the vocabulary breaks it."""
    import shutil

    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "dashboard", copy / "dashboard", ignore=shutil.ignore_patterns("__pycache__", "locale"))
    shutil.copytree(ROOT / "layers", copy / "layers", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", copy / ".importlinter")
    bad = copy / "layers" / "cities.py"
    bad.write_text("from dashboard.vocabulary import tier_label\n" + bad.read_text())
    result = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                             "lint_imports_command()"], cwd=copy, capture_output=True, text=True, timeout=300,
                            env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"})
    assert result.returncode != 0 and "layers.cities -> dashboard.vocabulary" in result.stdout
