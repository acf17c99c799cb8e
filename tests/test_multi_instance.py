"""Several gunicorn instances and workers share one Redis cache; without Redis
each worker keeps its own. Real processes: Debian's redis-server and gunicorn.

Select with ``pytest -m multi_instance``. The proof is the ``X-Atlas-Cache``
header of the findings page's filter callback (``miss`` when anything was
computed, ``hit`` when all came from the cache) and the keys in Redis.
"""
from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from dashboard import ids
from dashboard.data.cache import HEADER
from tests.conftest import free_port, start_gunicorn

pytestmark = pytest.mark.multi_instance

REGION = ids.findings_filter_id("region")


def start_redis(port: int) -> subprocess.Popen:
    """A throw-away redis-server on ``port`` (loopback, no persistence), once it answers."""
    exe = shutil.which("redis-server")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing: CI must install it (scripts/system-deps.sh)")
        pytest.skip("redis-server is not installed: scripts/system-deps.sh installs Debian's redis-server")
    import redis

    proc = subprocess.Popen([exe, "--save", "", "--appendonly", "no", "--port", str(port), "--bind", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)
    client.close()
    return proc


@pytest.fixture(scope="module")
def redis_server():
    """A redis-server for the module's tests: its URL and a client."""
    import redis

    port = free_port()
    proc = start_redis(port)
    client = redis.Redis(host="127.0.0.1", port=port)
    yield f"redis://127.0.0.1:{port}/0", client
    client.close()
    proc.terminate()
    proc.wait(10)


@pytest.fixture()
def instances(app_env):
    """Start gunicorn instances on the session's store; stop them all afterwards."""
    procs = []

    def start(workers: int = 2, **env) -> str:
        proc, url = start_gunicorn({**app_env, **env}, workers=workers)
        procs.append(proc)
        return url

    yield start
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(10)


def filter_callback(url: str, region: list[str]) -> requests.Response:
    """What the browser sends when the findings page's region filter changes."""
    deps = requests.get(url + "/_dash-dependencies", timeout=10).json()
    cb = next(d for d in deps if any(i["id"] == REGION for i in d["inputs"]))
    outputs = [dict(zip(("id", "property"), o.rsplit(".", 1))) for o in cb["output"].strip(".").split("...")]
    payload = {
        "output": cb["output"], "outputs": outputs, "changedPropIds": [f"{REGION}.value"],
        "inputs": [{**i, "value": region if i["id"] == REGION else []} for i in cb["inputs"]],
        "state": [{**s, "value": ""} for s in cb["state"]],
    }
    response = requests.post(url + "/_dash-update-component", json=payload, timeout=30)
    response.raise_for_status()
    return response


def burst(urls: list[str], region: list[str], n: int = 8) -> Counter:
    """``n`` simultaneous requests per URL (so every sync worker takes some); their cache outcomes."""
    with ThreadPoolExecutor(max_workers=n * len(urls)) as pool:
        responses = list(pool.map(lambda u: filter_callback(u, region), urls * n))
    return Counter(r.headers[HEADER] for r in responses)


def test_instances_sharing_redis_serve_each_others_results(instances, redis_server, store):
    redis_url, client = redis_server
    client.flushall()
    first, second = instances(CACHE_REDIS_URL=redis_url), instances(CACHE_REDIS_URL=redis_url)
    assert requests.get(first + "/healthz", timeout=5).json()["cache"] == "redis"
    assert client.dbsize() == 0  # starting and health checks cache nothing

    computed = filter_callback(first, ["oceania", "asia"])
    assert computed.headers[HEADER] == "miss"
    keys = set(client.keys())
    prefix = f"atlas:{store.build_info()['sources_hash'][:12]}:".encode()
    assert keys and all(k.startswith(prefix) for k in keys)

    served = filter_callback(second, ["oceania", "asia"])
    assert served.headers[HEADER] == "hit"
    assert served.json()["response"] == computed.json()["response"]
    assert set(client.keys()) == keys  # the second instance computed and stored nothing

    # every worker of both instances answers from the shared entries
    assert burst([first, second], ["oceania", "asia"]) == Counter(hit=16)
    assert set(client.keys()) == keys


def test_without_redis_each_worker_keeps_its_own_cache(instances):
    url = instances(workers=2, CACHE_REDIS_URL="")
    assert requests.get(url + "/healthz", timeout=5).json()["cache"] == "simple"
    outcomes: Counter = Counter()
    for _ in range(10):  # until both workers have answered
        outcomes += burst([url], ["latin-america"])
        if outcomes["miss"] >= 2:
            break
    # each of the two workers computed the same result once, then served it from its own memory
    assert outcomes["miss"] == 2 and outcomes["hit"] > 0, outcomes


def test_an_unreachable_redis_slows_nothing_down_and_breaks_nothing(instances):
    url = instances(workers=1, CACHE_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    started = time.monotonic()
    response = filter_callback(url, ["africa"])
    assert time.monotonic() - started < 10
    assert response.json()["response"][ids.FINDINGS_COUNT]["children"].isdigit()
    assert HEADER not in response.headers  # computed, not cached: the header does not claim either


def test_requests_keep_succeeding_while_redis_is_killed_and_caching_resumes_when_it_returns(instances):
    import redis

    port = free_port()
    server = start_redis(port)
    client = redis.Redis(host="127.0.0.1", port=port)
    url = instances(workers=2, CACHE_REDIS_URL=f"redis://127.0.0.1:{port}/0")
    answers: list[tuple[str, int | None, str | None]] = []
    stop = threading.Event()
    regions = itertools.cycle(["europe", "asia", "africa", "oceania", "latin-america", "north-america"])

    def loop() -> None:  # the API's city lists have no in-worker tier: every request asks Redis
        while not stop.is_set():
            region = next(regions)
            try:
                r = requests.get(f"{url}/api/cities.json?region={region}", timeout=30)
                answers.append((region, r.status_code, r.headers.get(HEADER)))
            except (requests.RequestException, OSError) as exc:
                answers.append((region, None, str(exc)))

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(2)]
    try:
        for t in threads:
            t.start()
        time.sleep(1)
        assert client.dbsize() > 0  # cached in Redis
        server.kill()  # Redis gone mid-load
        server.wait(10)
        time.sleep(3)
        down = len(answers)
        server = start_redis(port)  # and back, empty
        client.flushall()
        # cached again within the retry interval (RETRY_AFTER) of each worker
        deadline = time.monotonic() + 20
        while client.dbsize() == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)
        cached_again = client.dbsize()
    finally:
        stop.set()
        for t in threads:
            t.join(30)
        server.terminate()
        server.wait(10)
        client.close()
    assert {status for _, status, _ in answers} == {200}, Counter(status for _, status, _ in answers)
    assert cached_again > 0 and answers[-1][2] in ("hit", "miss")  # the cache header is back
    assert any(header is None for _, _, header in answers[:down])  # computed uncached while Redis was down
