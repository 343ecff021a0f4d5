"""`tapedeck record` of a sender whose WebRTC stack is not Chromium's: aiortc (its synthetic
audio and video tracks)."""
import signal
import subprocess
import sys
from pathlib import Path

from media_checks import decode_errors, manifest_files, probe, stream_durations
from test_record_chromium import finish, start_record, wait_until_joined

SENDER = Path(__file__).resolve().parent / "aiortc_sender.py"


def test_an_aiortc_sender_is_recorded_to_a_webm_that_decodes(signal_server, tmp_path):
    out = tmp_path / "recording"
    # Recorded until the sender has left (not for a fixed time: aiortc may take seconds to start).
    recorder = start_record(signal_server.url, "aiortc-recording", out, "--duration", "60", "--include-loopback")
    wait_until_joined(recorder)
    sender = subprocess.Popen([sys.executable, str(SENDER), "--signaling", signal_server.url, "--room", "aiortc-recording",
                               "--seconds", "9"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sent, _ = sender.communicate(timeout=60)
    assert "connection state: connected" in sent, sent
    recorder.send_signal(signal.SIGINT)
    manifest = finish(recorder)

    [(_, segment, file)] = manifest_files(manifest)
    path = out / file["path"]
    assert file["finished"] and decode_errors(path) == ""
    assert {s["codec_type"]: s["codec_name"] for s in probe(path)["streams"]} == {"video": "vp8", "audio": "opus"}
    durations = stream_durations(path)
    # aiortc sends for 9 s; the file holds most of it, audio and video alike.
    assert durations["video"]["end"] > 7 and abs(durations["video"]["end"] - durations["audio"]["end"]) < 0.3, durations
