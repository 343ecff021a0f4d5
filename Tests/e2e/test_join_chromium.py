"""`tapedeck join` against headless Chromium (fake camera and microphone) through
`tapedeck signal`: the bot connects (ICE, DTLS-SRTP) and decrypts audio and video, whether
Chromium was in the room first (the bot offers) or the bot was (the bot answers)."""
import json
import select
import subprocess
import time

import pytest

from peers import own_media_port, tapedeck_binary, wait_for


def start_join(signal_url: str, room: str, duration: float, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(tapedeck_binary()), "join", "--signaling", signal_url, "--room", room,
         "--duration", str(duration), "--json", "--log-level", "info", *own_media_port(), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until_joined(process: subprocess.Popen, timeout: float = 20) -> str:
    """Reads the bot's log until it says it joined the room (so a participant that joins next
    finds it there); returns what it read, to prepend to the rest of stderr."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 0.2)
        if ready:
            line = process.stderr.readline()
            if not line:
                break
            seen.append(line)
            if "joined the room" in line:
                return "".join(seen)
    raise AssertionError(f"the bot did not join within {timeout} s: {''.join(seen)[-2000:]}")


def finish(process: subprocess.Popen, timeout: float = 60):
    stdout, stderr = process.communicate(timeout=timeout)
    assert stdout.strip(), f"no report; exit {process.returncode}; stderr:\n{stderr[-3000:]}"
    return process.returncode, json.loads(stdout), stderr


def assert_received_audio_and_video(returncode, reports, stderr):
    assert len(reports) == 1, reports
    report = reports[0]
    assert report["connected"], f"{report}\n{stderr[-3000:]}"
    by_codec = {stream["codec"].lower(): stream for stream in report["streams"]}
    assert by_codec.get("opus", {}).get("packetsReceived", 0) > 50, report
    assert by_codec.get("vp8", {}).get("packetsReceived", 0) > 50, report
    assert report["authenticationFailures"] == 0, report
    assert returncode == 0, stderr[-3000:]


def test_bot_offers_when_chromium_is_already_in_the_room(signal_server, web_origin, chromium):
    page = chromium()
    page.get(f"{web_origin}/relay-client.html?room=late-bot&signaling={signal_server.url}")
    assert wait_for(lambda: "joined and offered" in " ".join(page.execute_script("return window.relay.log")), 15)
    bot = start_join(signal_server.url, "late-bot", 8)
    assert_received_audio_and_video(*finish(bot))


def test_bot_answers_when_it_is_in_the_room_first(signal_server, web_origin, chromium):
    bot = start_join(signal_server.url, "early-bot", 10)
    # Chromium offers on join, so the bot must be in the room first.
    wait_until_joined(bot)
    page = chromium()
    page.get(f"{web_origin}/relay-client.html?room=early-bot&signaling={signal_server.url}")
    assert_received_audio_and_video(*finish(bot))


@pytest.mark.parametrize("bot_first", [True, False], ids=["bot-answers", "bot-offers"])
def test_relay_only_through_coturn_on_both_sides(signal_server, web_origin, chromium, coturn, bot_first):
    relay_args = ("--turn", coturn.url, "--turn-user", "test", "--turn-pass", "test", "--relay-only")
    page_url = (f"{web_origin}/relay-client.html?room=relayed&signaling={signal_server.url}"
                f"&turn={coturn.url}&user=test&pass=test&relay=1")
    if bot_first:
        bot = start_join(signal_server.url, "relayed", 10, *relay_args)
        wait_until_joined(bot)
        chromium().get(page_url)
    else:
        page = chromium()
        page.get(page_url)
        assert wait_for(lambda: "joined and offered" in " ".join(page.execute_script("return window.relay.log")), 15)
        bot = start_join(signal_server.url, "relayed", 10, *relay_args)
    returncode, reports, stderr = finish(bot)
    assert_received_audio_and_video(returncode, reports, stderr)
    # The bot's side of the selected pair is its TURN relay candidate; the far side is
    # Chromium's relay candidate (both on coturn's relay ports).
    pair = reports[0]["selectedPair"]
    assert pair.startswith("relay "), pair
    assert " <-> relay " in pair, pair
