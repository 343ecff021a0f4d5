"""aiortc as the sender (a WebRTC stack other than Chromium's): the bot answers its offer,
connects (aiortc offers only ECDHE-ECDSA DTLS ciphers, so this checks our ECDSA certificate)
and decrypts its audio and video."""
import subprocess
import sys
from pathlib import Path

from test_join_chromium import finish, start_join, wait_until_joined

SENDER = Path(__file__).resolve().parent / "aiortc_sender.py"


def test_bot_decrypts_an_aiortc_sender(signal_server):
    bot = start_join(signal_server.url, "aiortc-room", 10, "--include-loopback")
    wait_until_joined(bot)
    sender = subprocess.Popen([sys.executable, str(SENDER), "--signaling", signal_server.url, "--room", "aiortc-room",
                               "--seconds", "9"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    returncode, reports, stderr = finish(bot)
    sender_out, sender_err = sender.communicate(timeout=30)
    assert len(reports) == 1, reports
    report = reports[0]
    assert report["connected"], f"{report}\nbot: {stderr[-2000:]}\naiortc: {sender_out} {sender_err[-2000:]}"
    by_codec = {stream["codec"].lower(): stream for stream in report["streams"]}
    assert by_codec.get("opus", {}).get("packetsReceived", 0) > 50, report
    assert by_codec.get("vp8", {}).get("packetsReceived", 0) > 20, report
    assert returncode == 0, stderr[-2000:]
