"""Lip sync over a minute, with a sender that is not ours: aiortc (aiortc_flash_beep.py) sends
video that flashes white exactly when its audio beeps, once a second, both generated from one
clock. In the recording, each flash and its beep must be within 40 ms of each other, at the start
and at the end of 60 s — measured in the decoded file: flash onsets from each frame's mean luma,
beep onsets from the sound's envelope, every sample placed at its timestamp."""
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from media_checks import (beep_onsets, decode_errors, flash_onsets, manifest_files, pair_onsets, probe,
                          stream_durations, timed_pcm)
from test_record_chromium import finish, start_record, wait_until_joined

SENDER = Path(__file__).resolve().parent / "aiortc_flash_beep.py"
RECORD_SECONDS = 62  # the file starts once aiortc has connected, a second or two in
COVERED_SECONDS = 59  # what the file must hold: 60 s, give or take the start
TOLERANCE = 0.040
EDGE_PAIRS = 5  # "the start" and "the end": this many pairs at each
BEEP_AMPLITUDE = 0.5  # aiortc_flash_beep.py's tone


def describe(pairs) -> str:
    return ", ".join(f"{flash:.2f}s:{offset * 1000:+.1f}" for flash, offset in pairs)


@pytest.mark.parametrize("recipe", ["webm", "mp4"])  # mp4: VP8 -> H.264, Opus -> AAC
def test_each_flash_and_its_beep_are_within_40_ms_at_the_start_and_the_end_of_60_s(signal_server, tmp_path, recipe):
    out, room = tmp_path / "recording", f"lip-sync-{recipe}"
    recorder = start_record(signal_server.url, room, out, "--duration", str(RECORD_SECONDS), "--recipe", recipe,
                            "--include-loopback")
    wait_until_joined(recorder)
    # The sender outlasts the recording: the file ends when the recorder stops, not when aiortc leaves.
    sender = subprocess.Popen([sys.executable, str(SENDER), "--signaling", signal_server.url, "--room", room,
                               "--seconds", str(RECORD_SECONDS + 10)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        manifest = finish(recorder, timeout=RECORD_SECONDS + 60)
    finally:
        sender.terminate()
        _, sender_log = sender.communicate(timeout=30)

    [(_, _, file)] = manifest_files(manifest)
    path = out / file["path"]
    assert file["finished"] and decode_errors(path) == "", (file, sender_log[-2000:])
    codecs = {s["codec_type"]: s["codec_name"] for s in probe(path)["streams"]}
    assert codecs == ({"video": "vp8", "audio": "opus"} if recipe == "webm" else {"video": "h264", "audio": "aac"})
    durations = stream_durations(path)
    flashes, beeps = flash_onsets(path), beep_onsets(timed_pcm(path), BEEP_AMPLITUDE)
    pairs = pair_onsets(flashes, beeps)
    offsets = [offset for _, offset in pairs]
    summary = (f"{recipe}: {len(flashes)} flashes, {len(beeps)} beeps, {len(pairs)} pairs; beep - flash (ms) "
               f"first {describe(pairs[:EDGE_PAIRS])}; last {describe(pairs[-EDGE_PAIRS:])}; "
               + (f"all: min {min(offsets) * 1000:+.1f} median {statistics.median(offsets) * 1000:+.1f} "
                  f"max {max(offsets) * 1000:+.1f}; " if offsets else "")
               + f"streams {durations}")
    print(summary)

    # The measurement itself: a minute of flashes, every one heard.
    assert durations["video"]["end"] - durations["video"]["start"] >= COVERED_SECONDS, summary
    assert len(flashes) >= COVERED_SECONDS - 1 and len(pairs) == len(flashes), summary
    assert pairs[-1][0] - pairs[0][0] >= COVERED_SECONDS - 2, summary
    # Lip sync at the start and at the end.
    edges = pairs[:EDGE_PAIRS] + pairs[-EDGE_PAIRS:]
    assert all(abs(offset) <= TOLERANCE for _, offset in edges), summary
