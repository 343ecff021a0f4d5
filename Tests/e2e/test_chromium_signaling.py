"""Two headless Chromium pages running a plain relay-protocol client (Tests/e2e/web) call each
other through `tapedeck signal` and reach connectionState "connected" with media both ways."""
from peers import relay_call


def test_two_chromium_pages_connect_through_tapedeck_signal(signal_server, web_origin, chromium):
    connected, logs = relay_call(chromium, web_origin, signal_server.url, room="e2e-call")
    assert connected, f"pages did not connect: {logs}"
