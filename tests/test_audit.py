"""pip-audit over the pinned requirements (scripts/audit.py): a known vulnerability fails the
suite unless pip-audit-ignore.txt lists it with a reason."""
from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit.py")
audit = sys.modules["audit"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)

VULNERABLE = {"dependencies": [
    {"name": "flask", "version": "0.1", "vulns": [{"id": "PYSEC-2019-179", "fix_versions": ["1.0"],
                                                   "aliases": ["CVE-2019-1010083"]}]},
    {"name": "dash", "version": "4.4.1", "vulns": []},
    {"name": "x", "skip_reason": "Dependency not found on PyPI"},
]}


def test_the_ignore_list_gives_a_reason_for_every_entry():
    audit.ignore_list(audit.IGNORE_FILE.read_text(encoding="utf-8"))
    assert audit.ignore_list("# c\nGHSA-abcd-efgh-ijkl  only in the CLI, which the atlas never runs\n")
    for bad in ("GHSA-abcd-efgh-ijkl\n", "flask  too old\n", "PYSEC-2019-179 ok\n"):
        with pytest.raises(ValueError, match="reason"):
            audit.ignore_list(bad)


def test_a_known_vulnerability_fails_unless_ignored_by_id_or_alias():
    outcome = audit.judge(VULNERABLE, {})
    assert outcome.found == ["flask 0.1: PYSEC-2019-179 (fixed in 1.0)"]
    assert outcome.audited == 2 and len(outcome.skipped) == 1
    assert audit.judge(VULNERABLE, {"CVE-2019-1010083": "reason given here"}).found == []


def test_the_pinned_requirements_have_no_known_vulnerability():
    ignored = audit.ignore_list(audit.IGNORE_FILE.read_text(encoding="utf-8"))
    for name, args in audit.RUNS.items():
        outcome = audit.judge(audit.audit(args), ignored)
        assert outcome.found == [], f"{name}: known vulnerabilities (fix the pin or list it with a reason " \
                                    f"in pip-audit-ignore.txt): {outcome.found}"
        if outcome.audited == 0:
            pytest.skip(f"pip-audit could not reach its vulnerability source, nothing was audited ({name}: "
                        f"{outcome.skipped[0] if outcome.skipped else 'no dependency'})")
