import pytest

from dashboard.facets import Filters, from_query


def test_round_trip():
    f = Filters(region=("europe", "asia"), tier=("high",), covid=("inclusive-social",), country=("ITA",))
    assert from_query(f.to_query()) == f
    assert from_query("region=europe,asia&tier=high&covid=inclusive-social&country=ita") == \
        Filters(region=("europe", "asia"), tier=("high",), covid=("inclusive-social",), country=("ITA",))


@pytest.mark.parametrize("query", [
    "region=mars", "tier=<script>alert(1)</script>", "region=", "region", "&&&", "country=IT", "country=ITAL",
    "pop=999", "covid=covid", "foo=bar", "region=%00", "tier=high&tier=low&tier=unknown&tier=high",
])
def test_malformed_values_are_dropped_silently(query):
    f = from_query(query)
    assert isinstance(f, Filters)
    assert "mars" not in f.region and all(len(c) == 3 for c in f.country)


def test_malformed_parts_do_not_spoil_the_rest():
    f = from_query("region=europe,mars&tier=bogus&covid=co-creation&zzz=1")
    assert f == Filters(region=("europe",), covid=("co-creation",))


def test_canonical_order_and_dedup():
    assert from_query("region=asia,europe,asia").region == ("europe", "asia")


def test_non_string_values_from_callbacks():
    assert Filters().replace("region", [None, 3, "europe"]).region == ("europe",)
    assert Filters().replace("region", None).region == ()
