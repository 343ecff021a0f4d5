"""Fixtures for end-to-end tests: the real `tapedeck` binary, real headless Chromium."""
import pytest

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
