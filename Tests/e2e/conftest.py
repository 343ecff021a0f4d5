"""Fixtures for end-to-end tests: the real `tapedeck` binary, real headless Chromium."""
import pytest

from lossy_netns import LossyRig
from peers import ChromiumLauncher, Coturn, SignalServer, WebOrigin


@pytest.fixture
def signal_server():
    server = SignalServer()
    yield server
    assert server.stop() == 0, "signal server did not exit cleanly on SIGTERM"


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


@pytest.fixture
def lossy_rig():
    """A factory of LossyRig(loss_percent): a network namespace whose UDP towards the root
    namespace loses that share of packets, with its servers and browsers. Call it in the test,
    so that a machine that cannot make one (not root, no nft, no ip netns) fails the test rather
    than erroring or skipping it. Everything made is torn down here, even after a failure."""
    rigs = []

    def make(loss_percent: int = 5) -> LossyRig:
        rig = LossyRig(loss_percent)
        rigs.append(rig)
        return rig
    yield make
    for rig in reversed(rigs):
        rig.close()
