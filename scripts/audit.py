"""pip-audit over the pinned requirements and the environment built from them (``make test``).

    python scripts/audit.py

Exits 1 when a known vulnerability is found that ``pip-audit-ignore.txt`` does not list with a
reason, 2 when nothing could be audited (the vulnerability source was not reachable: the
audit did not happen, which is not a pass), 0 otherwise.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = ROOT / "pip-audit-ignore.txt"
ADVISORY = re.compile(r"(PYSEC|GHSA|CVE|OSV)-[A-Za-z0-9-]+")
RUNS = {
    "pinned requirements": ["-r", str(ROOT / "requirements.txt"), "-r", str(ROOT / "requirements-dev.txt"),
                            "--no-deps", "--disable-pip"],
    "installed environment": ["--local"],
}


@dataclass
class Outcome:
    found: list[str]  # "package version: ID" not ignored
    audited: int
    skipped: list[str]


def ignore_list(text: str) -> dict[str, str]:
    """Advisory id -> reason; ValueError for an entry that is not an id followed by a reason."""
    entries = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        ident, _, reason = line.partition(" ")
        if not ADVISORY.fullmatch(ident) or len(reason.strip()) < 10:
            raise ValueError(f"{IGNORE_FILE.name} line {n}: give an advisory id and the reason it is ignored")
        entries[ident] = reason.strip()
    return entries


def judge(report: dict, ignored: dict[str, str]) -> Outcome:
    """What one pip-audit JSON report says, given the ignore list."""
    found, audited, skipped = [], 0, []
    for dep in report.get("dependencies", []):
        if "skip_reason" in dep:
            skipped.append(f"{dep['name']}: {dep['skip_reason']}")
            continue
        audited += 1
        for vuln in dep.get("vulns", []):
            if not ({vuln["id"], *vuln.get("aliases", [])} & set(ignored)):
                fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
                found.append(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})")
    return Outcome(found, audited, skipped)


def audit(args: list[str], timeout: int = 300) -> dict:
    done = subprocess.run([sys.executable, "-m", "pip_audit", *args, "--format", "json", "--progress-spinner",
                           "off"], capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if done.returncode not in (0, 1) or not done.stdout.strip():
        raise RuntimeError(f"pip-audit failed ({done.returncode}): {done.stderr.strip()[-1000:]}")
    return json.loads(done.stdout)


def main() -> int:
    ignored = ignore_list(IGNORE_FILE.read_text(encoding="utf-8"))
    status = 0
    for name, args in RUNS.items():
        outcome = judge(audit(args), ignored)
        print(f"{name}: {outcome.audited} audited, {len(outcome.skipped)} not audited, "
              f"{len(outcome.found)} known vulnerabilities")
        for line in outcome.found:
            print("  VULNERABLE", line)
        if outcome.found:
            status = 1
        elif outcome.audited == 0 and status == 0:
            print(f"  could not audit: {outcome.skipped[0] if outcome.skipped else 'nothing to audit'}")
            status = 2
    return status


if __name__ == "__main__":
    sys.exit(main())
