"""Opus DTX under 5% real packet loss: a headless Chromium in a lossy network namespace (see
netns.py) sends silence with DTX — in silence, one Opus packet about every 400 ms instead of
every 20 ms — and video; `tapedeck record` records it. Audio must last as long as video, within
0.1 s: the gaps DTX leaves in the middle kept in time (not closed up), and the audio not cut
short at the end, where the last DTX packet can come up to 400 ms before the video's last frame.

DTX is the sender's choice, made on the remote description it applies: the page adds usedtx=1
to the Opus parameters of the bot's SDP (relay-client.html?dtx=1), as applications that want
DTX do. The bot's own SDP does not ask for DTX, so any sender that does not want it keeps
sending every 20 ms."""
import subprocess

import pytest

from media_checks import decode_errors, manifest_files, probe, stream_durations, timed_pcm
from test_record_chromium import finish, start_record, wait_until_joined

LOSS_PERCENT = 5
DROP_RANGE = (2.0, 9.0)  # measured drop share of Chromium's UDP packets, in percent
RECORD_SECONDS = 26  # Chromium in its namespace connects a few seconds in
MOSTLY_SILENT_SECONDS = 15  # at least this much of the file is DTX
TOLERANCE = 0.1
OPUS_PACKETS_PER_SECOND = 50  # without DTX, one per 20 ms


def silent_microphone(directory) -> str:
    path = directory / "silence.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono", "-t", "5",
                    "-c:a", "pcm_s16le", str(path)], check=True)
    return f"--use-file-for-fake-audio-capture={path}"


@pytest.mark.parametrize("recipe", ["webm", "mp4"])  # mp4: Opus -> AAC, whose transcoder fills gaps itself
def test_audio_with_dtx_under_5_percent_loss_lasts_as_long_as_video(lossy_rig, tmp_path, recipe):
    rig = lossy_rig(LOSS_PERCENT)
    out, room = tmp_path / "recording", f"dtx-{recipe}"
    recorder = start_record(rig.signal.url, room, out, "--duration", str(RECORD_SECONDS), "--recipe", recipe)
    wait_until_joined(recorder)
    page = rig.sender(silent_microphone(tmp_path))
    page.get(rig.page_url(room, dtx="1"))
    manifest = finish(recorder)
    page_log = page.execute_script("return window.relay.log")
    drops = rig.netns.counters()

    [(_, _, file)] = manifest_files(manifest)
    path = out / file["path"]
    tracks = {track["kind"]: track for track in file["tracks"]}
    audio_packets = sum(stream["packetsReceived"] for stream in tracks["audio"]["streams"])
    durations = stream_durations(path)
    lengths = {kind: span["end"] - span["start"] for kind, span in durations.items()}
    summary = (f"{recipe}: streams {durations}; audio {lengths.get('audio', 0):.3f} s, video "
               f"{lengths.get('video', 0):.3f} s; Opus packets received {audio_packets}; "
               f"drops {drops['dropped']}/{drops['dropped'] + drops['passed']} ({drops['percent']:.1f}%); "
               f"page log {page_log}")
    print(summary)

    # The rig: loss applied, and Chromium in DTX (far fewer packets than one per 20 ms).
    assert drops["dropped"] > 0 and DROP_RANGE[0] <= drops["percent"] <= DROP_RANGE[1], summary
    assert any("usedtx=1" in line for line in page_log), summary
    assert lengths["video"] >= MOSTLY_SILENT_SECONDS + 1, summary
    assert audio_packets < (lengths["video"] - MOSTLY_SILENT_SECONDS) * OPUS_PACKETS_PER_SECOND, summary

    assert file["finished"] and decode_errors(path) == "", summary
    codecs = {s["codec_type"]: s["codec_name"] for s in probe(path)["streams"]}
    assert codecs == ({"video": "vp8", "audio": "opus"} if recipe == "webm" else {"video": "h264", "audio": "aac"})
    # Audio and video last as long as each other, from the same start to the same end.
    assert abs(lengths["audio"] - lengths["video"]) <= TOLERANCE, summary
    for edge in ("start", "end"):
        assert abs(durations["audio"][edge] - durations["video"][edge]) <= TOLERANCE, (edge, summary)
    # Decoded with every sample at its timestamp, the sound reaches the video's end too.
    assert abs(len(timed_pcm(path)) / 48_000 - durations["video"]["end"]) <= TOLERANCE, summary
