"""The documentation tells the truth about settings, data columns and commands."""
import re

from dashboard import config
from dashboard.facets import FACETS
from dashboard.store.sources import SOURCES
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DATA_README = (ROOT / "data" / "README.md").read_text(encoding="utf-8")


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one():
    section = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = [ln.split("#")[0].strip() for ln in block.splitlines() if ln.split("#")[0].strip()]
    assert commands == ["make run", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_setting_is_documented():
    for name, default, _ in config.DOCUMENTED:
        assert f"`{name}`" in README, name
    assert {n for n, *_ in config.DOCUMENTED} >= set(re.findall(r'env(?:\.get)?\("([A-Z_]+)"', (
        ROOT / "dashboard" / "config.py").read_text()))


def test_every_source_column_is_documented():
    for src in SOURCES:
        section = DATA_README.split(f"## {src.file}", 1)
        assert len(section) == 2, f"data/README.md has no section for {src.file}"
        body = section[1].split("\n## ", 1)[0]
        for col in src.names:
            assert f"`{col}`" in body, f"{src.file}: column {col} undocumented"


def _url_table() -> str:
    return README.split("## URL parameters", 1)[1].split("\n## ", 1)[0]


def test_every_url_parameter_is_documented():
    """Every parameter the URL codec accepts, and every value of every facet, is in the README's table."""
    from dashboard.urls import PARAMETER_NAMES

    table = _url_table()
    rows = {name for line in table.splitlines() if line.startswith("| `")
            for name in re.findall(r"`([a-z]+)`", line.split("|")[1])}
    assert rows == set(PARAMETER_NAMES)
    for facet in FACETS:
        row = next(line for line in table.splitlines()
                   if line.startswith("| `") and f"`{facet.key}`" in line.split("|")[1])
        for value in facet.values:
            assert f"`{value}`" in row, (facet.key, value)


def _api_section() -> str:
    return README.split("## Data API", 1)[1].split("\n## ", 1)[0]


def test_every_documented_api_endpoint_answers_200(flask_client):
    section = _api_section()
    endpoints = re.findall(r"^\| `(/api/[^`]+)` \|", section, re.M)
    examples = re.findall(r"curl [^']*'http://127\.0\.0\.1:8050(/api/[^']+)'", section)
    assert len(endpoints) >= 5 and examples
    for endpoint in endpoints:
        pattern = re.escape(endpoint).replace(re.escape("<id>"), "[a-z0-9-]+")
        assert any(re.fullmatch(pattern, ex.split("?")[0]) for ex in examples), f"no curl example for {endpoint}"
    for path in examples:
        assert flask_client.get(path).status_code == 200, path


def test_every_api_route_format_field_and_meta_key_is_documented(flask_client):
    import app as app_module
    from dashboard.web.api import meta
    from dashboard.export import CITY_FIELDS

    section = _api_section()
    adapter = app_module.server.url_map.bind("localhost")
    documented = {adapter.match(e.replace("<id>", "x"))[0]
                  for e in re.findall(r"^\| `(/api/[^`]+)` \|", section, re.M)}
    rules = [r for r in app_module.server.url_map.iter_rules() if r.endpoint.startswith("api.")]
    assert {r.endpoint for r in rules} - {"api.unknown"} == documented
    for rule in rules:
        for choice in re.findall(r"any\(([^)]*)\)", rule.rule):
            for fmt in choice.split(","):
                assert f"/api/cities.{fmt.strip()}`" in section, fmt
    for name in (*CITY_FIELDS, *meta({}, 0)):
        assert f"`{name}`" in section, name
