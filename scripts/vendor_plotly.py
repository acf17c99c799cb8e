"""Write vendor/plotly/: plotly.js's "basic" partial bundle (bar, pie and scatter traces,
1.2 MB against the full bundle's 4.8 MB) in the version plotly.py ships, with its licence.

The findings page draws its charts with it (assets/atlas_charts.js); the atlas serves it
itself, so nothing is fetched from a third-party host at run time. Run after upgrading
plotly (tests/test_charts.py fails while the versions differ); needs npm:

    python scripts/vendor_plotly.py
"""
from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from plotly.offline import get_plotlyjs_version

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "vendor" / "plotly"
PACKAGE = "plotly.js-basic-dist-min"
FILES = {"package/plotly-basic.min.js": "plotly-basic.min.js", "package/LICENSE": "LICENSE"}


def main() -> int:
    version = get_plotlyjs_version()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", "--silent", f"{PACKAGE}@{version}"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        (archive,) = Path(tmp).glob("*.tgz")
        with tarfile.open(archive) as tar:
            for member, name in FILES.items():
                OUT.mkdir(parents=True, exist_ok=True)
                (OUT / name).write_bytes(tar.extractfile(member).read())
    print(f"vendor/plotly: {PACKAGE} {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
