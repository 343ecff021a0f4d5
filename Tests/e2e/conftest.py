"""Fixtures for end-to-end tests: the real `tapedeck` binary, real headless Chromium, a real PostgreSQL."""
import os
import re
import signal
import subprocess
import uuid

import pytest

from netns_rigs import ForwardedPortRig, LossyRig, MulticastDNSRig, NatRig, UdpBlockedRig
from peers import ROOT, ChromiumLauncher, Coturn, SeedsSignalServer, SignalServer, WebOrigin


def pytest_configure(config):
    config.addinivalue_line("markers", "alone: needs the machine to itself (real-time work that another test "
                            "running beside it would starve, or network namespaces whose links come and go in the "
                            "root namespace); `make test` runs these after the others, one at a time")


# The rigs add links and addresses to the root namespace and take them away again. A call beside
# one, in another test, can pick a candidate pair on such an address and lose it mid-call (aiortc,
# which cannot restart ICE, then stops sending): tests that make rigs run alone.
RIG_FIXTURES = {"lossy_rig", "nat_rig", "forwarded_port_rig", "mdns_rig", "udp_blocked_rig"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if RIG_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.alone)


@pytest.fixture
def signal_server():
    server = SignalServer()
    yield server
    assert server.stop() == 0, "signal server did not exit cleanly on SIGTERM"


@pytest.fixture
def postgres_database():
    """A new database on a throwaway PostgreSQL cluster; its URL."""
    server = subprocess.Popen([str(ROOT / "scripts" / "test-postgres"), "--watch", str(os.getpid())],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = server.stdout.readline().strip()
    match = re.fullmatch(r"export TAPEDECK_TEST_POSTGRES_URL=(postgres://\S+/)postgres", line)
    if not match:
        server.kill()
        raise AssertionError(f"scripts/test-postgres did not start a server: {line!r} {server.stderr.read()}")
    name = f"fleet_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", match.group(1) + "postgres", "-q", "-c", f"CREATE DATABASE {name}"], check=True)
    yield match.group(1) + name
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


@pytest.fixture
def seeds_server():
    """The seed tutorial's plain relay server (Tests/e2e/seeds_signaling.py): a plain room."""
    server = SeedsSignalServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def web_origin():
    origin = WebOrigin()
    yield origin.url
    origin.stop()


@pytest.fixture
def chromium():
    launcher = ChromiumLauncher()
    yield launcher
    launcher.quit_all()


@pytest.fixture
def coturn():
    server = Coturn()
    yield server
    server.stop()


def _rigs(make_rig):
    """A fixture body yielding a factory of rigs: made by calling it in the test, so that a
    machine that cannot make one (not root, no nft, no ip netns) fails the test rather than
    erroring or skipping it; everything made is torn down here, even after a failure."""
    rigs = []

    def make(*args, **kwargs):
        rig = make_rig(*args, **kwargs)
        rigs.append(rig)
        return rig
    yield make
    for rig in reversed(rigs):
        rig.close()


@pytest.fixture
def lossy_rig():
    """LossyRig(loss_percent): a network namespace whose UDP towards the root namespace loses
    that share of packets, with its servers and browsers."""
    yield from _rigs(LossyRig)


@pytest.fixture
def nat_rig():
    """NatRig(): the bot behind a NAT; a STUN server and Chromium outside it."""
    yield from _rigs(NatRig)


@pytest.fixture
def forwarded_port_rig():
    """ForwardedPortRig(port): the bot behind a NAT forwarding one UDP port to it; Chromium and
    publishers outside."""
    yield from _rigs(ForwardedPortRig)


@pytest.fixture
def mdns_rig():
    """MulticastDNSRig(): Chromium without camera permission (mDNS candidates), the bot outside."""
    yield from _rigs(MulticastDNSRig)


@pytest.fixture
def udp_blocked_rig():
    """UdpBlockedRig(): the bot where no UDP passes, coturn over TCP and TLS, Chromium outside."""
    yield from _rigs(UdpBlockedRig)
