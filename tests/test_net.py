"""The outbound client against real servers on 127.0.0.1: guard, redirects, retries, limits, proxy."""

from __future__ import annotations

import socket
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from monitio.net import USER_AGENT, FetchError, HttpClient, blocked_reason, retry_after_seconds
from tests.fixtures.sources.replay import Replay


@pytest.fixture
def replay():
    r = Replay()
    yield r
    r.close()


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def local(**kw) -> HttpClient:
    return HttpClient(**{"allow": ["127.0.0.1"], "sleep": Sleeps(), "backoff": 0.01, **kw})


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/feed",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",
        "http://localhost/",
        "file:///etc/passwd",
        "gopher://127.0.0.1/",
    ],
)
def test_private_local_and_odd_addresses_are_refused(url):
    assert blocked_reason(url, allow=[]) is not None


def test_allow_list_takes_hosts_and_networks():
    assert blocked_reason("http://127.0.0.1:1/", allow=["127.0.0.0/8"]) is None
    assert blocked_reason("http://10.9.8.7/", allow=["10.0.0.0/8"]) is None
    assert blocked_reason("http://10.9.8.7/", allow=["10.0.0.0/16"]) is not None
    assert blocked_reason("http://localhost:1/", allow=["localhost"]) is None
    assert blocked_reason("http://localhost:1/", allow=["127.0.0.1", "::1"]) is None  # by address too


def test_a_name_resolving_to_loopback_is_refused_unless_allowed(replay):
    replay.routes["/x"] = [(200, {}, b"ok")]
    url = f"http://localhost:{replay.port}/x"
    with pytest.raises(FetchError, match="refused"):
        HttpClient(retries=0).get(url)
    assert local(allow=["localhost"]).get(url).content == b"ok"
    assert replay.seen[-1][1]["Host"] == f"localhost:{replay.port}"


def test_loopback_ip_is_refused_without_allow_and_served_with_it(replay):
    replay.routes["/x"] = [(200, {}, b"ok")]
    with pytest.raises(FetchError, match="refused"):
        HttpClient(retries=0).get(replay.base + "/x")
    assert not replay.seen  # refused before any connection
    r = local().get(replay.base + "/x")
    assert (r.status, r.content) == (200, b"ok")
    assert replay.seen[0][1]["User-Agent"] == USER_AGENT


def test_a_redirect_to_a_private_address_is_refused(replay):
    replay.routes["/r"] = [(302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")]
    with pytest.raises(FetchError, match=r"169\.254\.169\.254"):
        local(retries=0).get(replay.base + "/r")
    replay.routes["/r10"] = [(307, {"Location": "http://10.0.0.1/admin"}, b"")]
    with pytest.raises(FetchError, match=r"10\.0\.0\.1"):
        local(retries=0).get(replay.base + "/r10")
    replay.routes["/r6"] = [(301, {"Location": "http://[::1]:80/"}, b"")]
    with pytest.raises(FetchError, match="::1"):
        local(retries=0).get(replay.base + "/r6")


def test_redirects_are_followed_and_limited(replay):
    replay.routes["/a"] = [(301, {"Location": "/b"}, b"")]
    replay.routes["/b"] = [(307, {"Location": replay.base + "/c"}, b"")]
    replay.routes["/c"] = [(200, {}, b"final")]
    r = local().get(replay.base + "/a")
    assert r.content == b"final" and r.url.endswith("/c")
    replay.routes["/loop"] = [(302, {"Location": "/loop"}, b"")]
    with pytest.raises(FetchError, match="redirects"):
        local(retries=0).get(replay.base + "/loop")


def test_429_waits_for_retry_after_in_seconds_and_as_a_date(replay):
    later = formatdate(time.time() + 30, usegmt=True)
    replay.routes["/x"] = [
        (429, {"Retry-After": "7"}, b""),
        (429, {"Retry-After": later}, b""),
        (429, {"Retry-After": "86400"}, b""),
        (200, {}, b"ok"),
    ]
    client = local(max_wait=60)
    assert client.get(replay.base + "/x").content == b"ok"
    assert client.sleep[0] == 7 and 25 <= client.sleep[1] <= 31 and client.sleep[2] == 60  # capped


def test_500_then_success_and_exhausted_retries(replay):
    replay.routes["/flaky"] = [(500, {}, b"oops"), (502, {}, b""), (200, {}, b"ok")]
    client = local()
    assert client.get(replay.base + "/flaky").content == b"ok"
    assert len(client.sleep) == 2 and all(0 <= s <= 0.04 for s in client.sleep)  # backoff with jitter
    replay.routes["/down"] = [(503, {}, b"")]
    with pytest.raises(FetchError) as info:
        local(retries=2).get(replay.base + "/down")
    assert info.value.status == 503


def test_4xx_is_returned_not_retried(replay):
    replay.routes["/gone"] = [(404, {}, b"no")]
    client = local()
    assert client.get(replay.base + "/gone").status == 404 and not client.sleep


def test_connection_errors_are_retried_then_reported():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = local(retries=3)
    with pytest.raises(FetchError, match=r"could not connect to 127\.0\.0\.1") as info:
        client.get(f"http://127.0.0.1:{port}/")
    assert len(client.sleep) == 3
    assert str(info.value) == "could not connect to 127.0.0.1"  # no port-state detail


def test_size_limit_with_and_without_content_length(replay):
    replay.routes["/big"] = [(200, {}, b"x" * 5000)]
    with pytest.raises(FetchError, match="over 1000"):
        local(max_bytes=1000).get(replay.base + "/big")

    class Unsized(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()  # no length: HTTP/1.0 body until close
            for _ in range(50):
                self.wfile.write(b"y" * 1000)

        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Unsized)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(FetchError, match="over 10000 bytes"):
            local(max_bytes=10_000).get(f"http://127.0.0.1:{server.server_port}/")
    finally:
        server.shutdown()


def test_timeouts_are_enforced(replay):
    def slow(handler):
        time.sleep(1.5)
        return 200, {}, b"late"

    replay.routes["/slow"] = [(200, {}, slow)]
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        local(timeout=0.3, retries=0).get(replay.base + "/slow")
    assert str(info.value) == "could not connect to 127.0.0.1"  # the same words as a refused port
    assert time.monotonic() - started < 1.4


def test_requests_go_through_the_proxy(replay):
    """The proxy gets the absolute URL; the target is still checked by the guard."""
    replay.routes["/x"] = [(200, {}, b"direct")]
    proxy = Replay()
    proxy.routes[replay.base + "/x"] = [(200, {}, b"via proxy")]
    try:
        client = local(proxy=proxy.base)
        assert client.get(replay.base + "/x").content == b"via proxy"
        assert proxy.seen[0][0] == replay.base + "/x" and not replay.seen
        with pytest.raises(FetchError, match="refused"):
            HttpClient(proxy=proxy.base, retries=0).get("http://10.0.0.1/x")
        settings = type("S", (), {"outbound_allow": ["127.0.0.1"], "http_proxy": proxy.base})()
        assert HttpClient.from_settings(settings).get(replay.base + "/x").content == b"via proxy"
    finally:
        proxy.close()


def test_the_connection_goes_to_the_address_that_was_checked(replay, monkeypatch):
    """DNS answers are checked once and the connection is pinned to them (no rebinding in between)."""
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1", "10.0.0.1", "10.0.0.1"])

    def fake(host, *args, **kw):
        if host == "feeds.example.test":
            ip = next(answers)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, args[0] if args else 80))]
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    replay.routes["/feed"] = [(200, {}, b"pinned")]
    r = local(retries=0).get(f"http://feeds.example.test:{replay.port}/feed")
    assert r.content == b"pinned" and replay.seen[0][1]["Host"] == f"feeds.example.test:{replay.port}"
    with pytest.raises(FetchError, match=r"10\.0\.0\.1"):  # the next lookup turned private: refused
        local(retries=0).get(f"http://feeds.example.test:{replay.port}/feed")


def test_ipv6_loopback_is_refused_unless_allowed():
    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")

    class V6(ThreadingHTTPServer):
        address_family = socket.AF_INET6

    class H(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"v6")

        def log_message(self, *a):
            pass

    try:
        server = V6(("::1", 0), H)
    except OSError:
        pytest.skip("cannot bind ::1")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://[::1]:{server.server_port}/"
    try:
        with pytest.raises(FetchError, match="refused"):
            HttpClient(retries=0).get(url)
        assert HttpClient(allow=["::1"], retries=0).get(url).content == b"v6"
    finally:
        server.shutdown()


def test_retry_after_parsing():
    assert retry_after_seconds("0") == 0
    assert retry_after_seconds("-5") == 0
    assert retry_after_seconds(formatdate(time.time() - 100, usegmt=True)) == 0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 -0000") == 0 and retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("1e9", cap=10) == 10


def test_credentials_do_not_follow_a_redirect_to_another_origin(replay):
    other = Replay()  # another port on 127.0.0.1: another origin
    try:
        replay.routes["/same"] = [(302, {"Location": "/final"}, b"")]
        replay.routes["/final"] = [(200, {}, b"here")]
        replay.routes["/away"] = [(307, {"Location": other.base + "/catch"}, b"")]
        other.routes["/catch"] = [(200, {}, b"there")]
        secret = {"Authorization": "Bearer s3cret", "Cookie": "sid=s3cret", "X-Api-Key": "s3cret", "Accept": "a/b"}
        assert local().get(replay.base + "/same", headers=secret).content == b"here"
        assert replay.seen[-1][1]["Authorization"] == "Bearer s3cret"  # same origin: kept
        assert local().get(replay.base + "/away", headers=secret).content == b"there"
        sent = other.seen[-1][1]
        assert not {"Authorization", "Cookie", "X-Api-Key"} & set(sent), sent
        assert sent["Accept"] == "a/b" and sent["User-Agent"] == USER_AGENT
        assert replay.seen[-1][1]["Authorization"] == "Bearer s3cret"  # the first hop had them
    finally:
        other.close()
