"""`tapedeck record` against headless Chromium sending known content: a red camera and a 440 Hz
tone. The files must decode cleanly, hold the right codecs, last as long as the recording, and
show the colour and the tone."""
import json
import subprocess
import time

import pytest

from media_checks import (decode_errors, manifest_files, manifest_time, mean_colour, pcm, peak_frequency, probe,
                          stream_durations)
from peers import own_media_port, tapedeck_binary, wait_for, wait_until_joined  # noqa: F401 (imported by other tests from here)
from webvtt import parse


def known_content(directory, colour: str = "red"):
    """Chromium's flags for a fake camera of one colour and a 440 Hz microphone."""
    camera, microphone = directory / f"{colour}.y4m", directory / "tone.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", f"color=c={colour}:s=640x480:r=30", "-t", "3",
                    "-pix_fmt", "yuv420p", str(camera)], check=True)
    if not microphone.exists():  # shared by the cameras of one test, and perhaps in use by a browser
        subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                        "-t", "10", str(microphone)], check=True)
    return (f"--use-file-for-fake-video-capture={camera}", f"--use-file-for-fake-audio-capture={microphone}")


def start_record(signal_url: str, room: str, out, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([str(tapedeck_binary()), "record", "--signaling", signal_url, "--room", room,
                             "--out", str(out), "--json", "--log-level", "info", *own_media_port(), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen, timeout: float = 60) -> dict:
    stdout, stderr = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"exit {process.returncode}: {stderr[-3000:]}"
    return json.loads(stdout)


@pytest.mark.parametrize("recipe, extension, codecs", [
    ("webm", ".webm", {"video": "vp8", "audio": "opus"}),
    ("mp4", ".mp4", {"video": "h264", "audio": "aac"}),  # VP8 and Opus transcoded
])
def test_recorded_file_has_the_colour_the_tone_and_the_duration(signal_server, web_origin, chromium, tmp_path,
                                                                recipe, extension, codecs):
    out = tmp_path / "recording"
    room = f"known-content-{recipe}"
    recorder = start_record(signal_server.url, room, out, "--duration", "10", "--recipe", recipe)
    wait_until_joined(recorder)
    page = chromium(*known_content(tmp_path))
    page.get(f"{web_origin}/relay-client.html?room={room}&signaling={signal_server.url}")
    manifest = finish(recorder)

    assert manifest["state"] == "finished", manifest
    on_disk = json.loads((out / "manifest.json").read_text())
    assert on_disk == manifest
    [(_, segment, file)] = manifest_files(manifest)
    assert segment["number"] == 1 and file["finished"] and file["path"].endswith(extension), file
    assert {track["kind"]: track["codec"] for track in file["tracks"]} == codecs
    assert all(track["streams"] and track["streams"][0]["packetsReceived"] > 0 for track in file["tracks"]), file
    path = out / file["path"]
    assert file["bytes"] == path.stat().st_size and "temporaryPath" not in file, file
    [connection] = manifest["participants"][0]["connections"]
    assert connection["connected"] and connection["selectedPair"], connection
    assert not list(out.glob(".*.partial")) + list(out.glob(".*.opening")), "a temporary file was left behind"

    assert decode_errors(path) == ""
    streams = {s["codec_type"]: s for s in probe(path)["streams"]}
    assert {kind: stream["codec_name"] for kind, stream in streams.items()} == codecs, streams
    assert (streams["video"]["width"], streams["video"]["height"]) == (640, 480)

    # The file covers the recording from the segment's start to the end, and both tracks do.
    recorded = manifest_time(manifest["endedAt"]) - manifest_time(segment["joinedAt"])
    durations = stream_durations(path)
    for kind in ("video", "audio"):
        assert abs(durations[kind]["end"] - recorded) < 0.3, (kind, durations, recorded)
        assert durations[kind]["start"] < 0.3, (kind, durations)

    red, green, blue = mean_colour(path, at=recorded / 2)
    assert red > 180 and green < 60 and blue < 60, (red, green, blue)
    assert abs(peak_frequency(pcm(path, start=2, seconds=4)) - 440) < 5

    # Chromium offered the audio-level extension (RFC 6464) under its own id and the bot took it:
    # its levels arrived, the tone is speech, and speakers.vtt (strictly WebVTT) says so.
    participant = manifest["participants"][0]
    speaking = participant.get("speaking")
    assert speaking, participant.keys()
    assert manifest_time(speaking[0]["startedAt"]) - manifest_time(segment["joinedAt"]) < 2, speaking
    cues = parse((out / "speakers.vtt").read_text(encoding="utf-8"))
    assert len(cues) == len(speaking) and all(cue.text == participant["id"] for cue in cues), cues
    # The MP4 recipe asks for H.264, which Chromium sends: its own H.264 is written, not a re-encoding.
    video_track = next(track for track in file["tracks"] if track["kind"] == "video")
    assert "sourceCodec" not in video_track, video_track


def test_mp4_of_a_chromium_that_was_there_first_holds_chromiums_own_h264(signal_server, web_origin, chromium, tmp_path):
    """The other join order: the bot offers, listing H.264 first, and Chromium answers with it."""
    page = chromium(*known_content(tmp_path))
    page.get(f"{web_origin}/relay-client.html?room=mp4-later&signaling={signal_server.url}")
    assert wait_for(lambda: "joined and offered" in " ".join(page.execute_script("return window.relay.log")), 15)
    out = tmp_path / "recording"
    recorder = start_record(signal_server.url, "mp4-later", out, "--duration", "8", "--recipe", "mp4")
    manifest = finish(recorder)

    assert manifest["state"] == "finished", manifest
    [(_, _, file)] = manifest_files(manifest)
    path = out / file["path"]
    assert decode_errors(path) == ""
    assert {s["codec_type"]: s["codec_name"] for s in probe(path)["streams"]} == {"video": "h264", "audio": "aac"}
    video_track = next(track for track in file["tracks"] if track["kind"] == "video")
    assert "sourceCodec" not in video_track and video_track["frames"] > 100, video_track
    assert video_track["streams"][0]["codec"].lower() == "h264", video_track["streams"]
    red, green, blue = mean_colour(path, at=4)
    assert red > 180 and green < 60 and blue < 60, (red, green, blue)


def test_a_recorder_killed_mid_way_leaves_a_playable_file_and_a_valid_manifest(signal_server, web_origin, chromium,
                                                                               tmp_path):
    out = tmp_path / "recording"
    recorder = start_record(signal_server.url, "killed", out, "--recipe", "webm")
    wait_until_joined(recorder)
    page = chromium(*known_content(tmp_path))
    page.get(f"{web_origin}/relay-client.html?room=killed&signaling={signal_server.url}")
    assert wait_for(lambda: page.execute_script("return window.relay.connectionState") == "connected", 20)
    connected = time.monotonic()
    time.sleep(10)
    recorder.kill()  # SIGKILL: no chance to finish anything
    recorder.communicate(timeout=10)
    lasted = time.monotonic() - connected

    manifest = json.loads((out / "manifest.json").read_text())  # valid JSON, whenever the kill came
    assert manifest["state"] == "recording", manifest
    left = list(out.glob(".*.webm.partial"))
    assert len(left) == 1, list(out.iterdir())
    [(_, _, file)] = manifest_files(manifest)
    assert not file["finished"] and out / file["temporaryPath"] == left[0] and file["bytes"] > 0, file
    assert decode_errors(left[0]) == ""
    durations = stream_durations(left[0])
    # Flushed at least every second: at most about two seconds of the call are lost.
    for kind in ("video", "audio"):
        assert durations[kind]["end"] >= lasted - 2, (kind, durations, lasted)
    assert durations["video"]["end"] >= 8

    # The speaker timeline as of the last write: the speech under way, open in the manifest
    # and cut at the time of writing in speakers.vtt, which parses.
    speaking = manifest["participants"][0].get("speaking")
    assert speaking and "endedAt" not in speaking[-1], speaking
    assert not manifest["speakerTimeline"]["finished"], manifest["speakerTimeline"]
    cues = parse((out / "speakers.vtt").read_text(encoding="utf-8"))
    assert len(cues) == len(speaking) and cues[-1].end - cues[-1].start >= 5, cues


def test_a_participant_who_drops_and_comes_back_gets_a_second_segment(signal_server, web_origin, chromium, tmp_path):
    out = tmp_path / "recording"
    recorder = start_record(signal_server.url, "reconnect", out, "--duration", "28", "--recipe", "webm")
    wait_until_joined(recorder)
    page = chromium(*known_content(tmp_path))
    url = f"{web_origin}/relay-client.html?room=reconnect&name=alice&signaling={signal_server.url}"
    page.get(url)
    assert wait_for(lambda: page.execute_script("return window.relay.connectionState") == "connected", 20)
    time.sleep(9)
    page.get("about:blank")  # the call drops: WebSocket and peer connection gone
    time.sleep(2)
    page.get(url)  # and comes back, a new connection under the same name
    assert wait_for(lambda: page.execute_script("return window.relay.connectionState") == "connected", 20)
    manifest = finish(recorder)

    assert manifest["state"] == "finished", manifest
    [alice] = manifest["participants"]
    assert alice["id"] == alice["name"] == "alice", manifest["participants"]
    assert len(alice["connections"]) == 2 and alice["connections"][0]["id"] != alice["connections"][1]["id"], alice
    segments = alice["segments"]
    assert [segment["number"] for segment in segments] == [1, 2]
    assert [file["path"] for segment in segments for file in segment["files"]] == ["alice.webm", "alice-2.webm"]
    assert manifest_time(segments[1]["joinedAt"]) - manifest_time(segments[0]["joinedAt"]) > 10
    for name in ("alice.webm", "alice-2.webm"):
        assert decode_errors(out / name) == ""
        assert stream_durations(out / name)["video"]["end"] > 4, name
