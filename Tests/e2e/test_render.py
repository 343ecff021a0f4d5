"""`tapedeck render`: a recording made again from its raw capture (docs/capture.md), through the
same pipeline, with any recipe. A Chromium participant and a `tapedeck publish` participant are
recorded with `webm` (capture on); the capture renders to `webm` with the live file's frames,
to `mp4` with H.264 and AAC of the live durations, to the room's `composite`, and twice to the
same frames; without the capture, the folder's files render to the same. A recorder killed
mid-call leaves a capture that renders to within a second of the kill; a capture damaged by
spliced bytes or cut mid-packet renders what precedes the damage and names its offset."""
import json
import re
import random
import shutil
import subprocess

import numpy as np

from media_checks import decode_errors, manifest_files, manifest_time, probe, stream_durations
from peers import own_media_port, tapedeck_binary, terminate
from test_record_capture import killed_recording, publisher, record_chromium_and_a_publisher
from test_record_chromium import wait_until_joined


def render(source, out, *extra: str) -> tuple[dict, str]:
    result = subprocess.run([str(tapedeck_binary()), "render", str(source), "--out", str(out), "--json", *extra],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout), result.stderr


def frames(path) -> dict:
    result = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_entries", "stream=codec_type,nb_read_frames",
                             "-of", "json", str(path)], capture_output=True, text=True, check=True)
    return {stream["codec_type"]: int(stream["nb_read_frames"]) for stream in json.loads(result.stdout)["streams"]}


def frame_hashes(path) -> list[str]:
    result = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "framemd5", "-"],
                            capture_output=True, text=True, check=True)
    return [line for line in result.stdout.splitlines() if not line.startswith("#")]


def _picture_at(path, seconds: float) -> np.ndarray:
    """The video frame at `seconds`, as 128x72 RGB."""
    raw = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-ss", f"{seconds:.3f}", "-i", str(path), "-frames:v", "1",
                          "-vf", "scale=128:72", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(72, 128, 3).astype(np.float64)


def files_by_participant(manifest: dict, root) -> dict:
    return {participant: root / file["path"] for participant, _, file in manifest_files(manifest)}


def _assert_the_same_frames_on_the_same_timeline(rendered: dict, out, recorded: dict, live_files: dict) -> dict:
    """The render's WebM files hold the live files' frames (±1) and decode; each participant
    joins when they joined live. Its files, by participant."""
    made_files = files_by_participant(rendered, out)
    assert made_files.keys() == live_files.keys()
    for participant, path in made_files.items():
        assert decode_errors(path) == "", participant
        made, was = frames(path), frames(live_files[participant])
        assert made.keys() == was.keys() == {"video", "audio"}
        assert all(abs(made[kind] - was[kind]) <= 1 for kind in made), (participant, made, was)
    for (participant, segment, _), (_, live_segment, _) in zip(manifest_files(rendered), manifest_files(recorded)):
        assert abs(manifest_time(segment["joinedAt"]) - manifest_time(live_segment["joinedAt"])) < 0.1, participant
    return made_files


def _assert_h264_aac_of_the_live_durations(rendered: dict, out, live_files: dict):
    for participant, path in files_by_participant(rendered, out).items():
        assert decode_errors(path) == "", participant
        assert {s["codec_type"]: s["codec_name"] for s in probe(path)["streams"]} == {"video": "h264", "audio": "aac"}
        made, was = stream_durations(path), stream_durations(live_files[participant])
        for kind in ("video", "audio"):
            assert abs((made[kind]["end"] - made[kind]["start"]) - (was[kind]["end"] - was[kind]["start"])) < 0.3, \
                (participant, kind, made, was)


def test_a_capture_renders_to_webm_and_mp4_as_it_was_recorded_and_so_do_its_files(signal_server, web_origin, chromium, tmp_path):
    live = tmp_path / "live"
    recorded = record_chromium_and_a_publisher(signal_server, web_origin, chromium, tmp_path, "rendered", live)
    live_files = files_by_participant(recorded, live)
    assert len(live_files) == 2, recorded["participants"]

    webm, progress = render(live, tmp_path / "webm")
    assert webm["state"] == "finished" and webm["errors"] == [], webm["errors"]
    # Each capture's end, e.g. "…pcapng: 1234 packets, 11.9 s of the call, done after 0.05 s -> …webm".
    assert len(re.findall(r"pcapng: \d+ packets, [\d.]+ s of the call, done after", progress)) == 2, progress
    rendered = _assert_the_same_frames_on_the_same_timeline(webm, tmp_path / "webm", recorded, live_files)

    mp4, _ = render(live, tmp_path / "mp4", "--recipe", "mp4")
    assert mp4["state"] == "finished", mp4["errors"]
    _assert_h264_aac_of_the_live_durations(mp4, tmp_path / "mp4", live_files)

    again, _ = render(live, tmp_path / "webm-again")
    for participant, path in files_by_participant(again, tmp_path / "webm-again").items():
        assert frame_hashes(path) == frame_hashes(rendered[participant]), participant

    # The room as one file: the captures render to the composite, everyone on one canvas beside
    # the mix, as long as the call.
    composite, _ = render(live, tmp_path / "composite", "--recipe", "composite")
    assert composite["state"] == "finished" and composite["errors"] == [], composite["errors"]
    made = composite["composite"]
    assert made["participantVideoTracks"] == 2 and made["framesUndecodable"] == 0 and made["framesWritten"] > 200, made
    path = tmp_path / "composite" / made["file"]["path"]
    assert decode_errors(path) == ""
    streams = {s["codec_type"]: s for s in probe(path)["streams"]}
    assert (streams["video"]["codec_name"], streams["video"]["width"], streams["video"]["height"]) == ("h264", 1280, 720)
    assert streams["audio"]["codec_name"] == "aac"
    call = manifest_time(recorded["endedAt"]) - manifest_time(recorded["startedAt"])
    assert abs(stream_durations(path)["video"]["end"] - call) < 1.0, (stream_durations(path), call)
    # Both are on the canvas to the end of the call (side by side: a 128x72 frame's halves).
    last = _picture_at(path, stream_durations(path)["video"]["end"] - 1.0)
    assert [float(half.mean()) > 40 for half in (last[18:54, 8:56], last[18:54, 72:120])] == [True, True], \
        [float(half.mean()) for half in (last[18:54, 8:56], last[18:54, 72:120])]

    # Without its captures (a recipe with `capture: false`), the folder renders from its files:
    # the same frames, where they were on the recording's timeline, and to MP4 as well.
    files_only = tmp_path / "files-only"
    shutil.copytree(live, files_only, ignore=shutil.ignore_patterns("*.pcapng", "*.pcapng.partial"))
    from_files, progress = render(files_only, tmp_path / "from-files")
    assert from_files["state"] == "finished" and from_files["errors"] == [], from_files["errors"]
    assert len(re.findall(r"\.webm: \d+ frames, [\d.]+ s of the call, done after", progress)) == 2, progress
    _assert_the_same_frames_on_the_same_timeline(from_files, tmp_path / "from-files", recorded, live_files)
    mp4_from_files, _ = render(files_only, tmp_path / "mp4-from-files", "--recipe", "mp4")
    assert mp4_from_files["state"] == "finished" and mp4_from_files["errors"] == [], mp4_from_files["errors"]
    _assert_h264_aac_of_the_live_durations(mp4_from_files, tmp_path / "mp4-from-files", live_files)


def _covered_until(manifest: dict, root) -> float:
    [(_, segment, file)] = manifest_files(manifest)
    durations = stream_durations(root / file["path"])
    return manifest_time(segment["joinedAt"]) + min(durations[kind]["end"] for kind in ("video", "audio"))


def test_a_killed_recorders_capture_renders_to_within_a_second_of_the_kill_and_damage_renders_what_precedes_it(
        signal_server, tmp_path):
    live = tmp_path / "live"
    killed_at = killed_recording(signal_server, live)
    [partial] = list(live.glob(".*.pcapng.partial"))
    manifest, _ = render(live, tmp_path / "after-kill")
    assert manifest["state"] == "finished"
    [(_, _, file)] = manifest_files(manifest)
    assert decode_errors(tmp_path / "after-kill" / file["path"]) == ""
    covered = _covered_until(manifest, tmp_path / "after-kill")
    assert killed_at - 1.0 <= covered <= killed_at + 0.2, (killed_at, covered)

    # Random bytes spliced into the middle: what precedes them renders, and the offset is named.
    capture = partial.read_bytes()
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    middle = len(capture) // 2
    rng = random.Random(20261206)
    (damaged / "speaker.pcapng").write_bytes(capture[:middle] + bytes(rng.randrange(256) for _ in range(37)) + capture[middle:])
    manifest, _ = render(damaged, tmp_path / "damaged-out")
    assert manifest["state"] == "finished"
    [error] = manifest["errors"]
    assert error.startswith("speaker.pcapng: the capture is damaged at byte ") and "rendered what precedes it" in error, error
    offset = int(error.split("at byte ")[1].split(":")[0])
    assert middle - 2_000 < offset <= middle, (offset, middle)
    [(_, _, file)] = manifest_files(manifest)
    assert decode_errors(tmp_path / "damaged-out" / file["path"]) == ""
    whole = _covered_until(json.loads((tmp_path / "after-kill" / "manifest.json").read_text()), tmp_path / "after-kill")
    half = _covered_until(manifest, tmp_path / "damaged-out")
    assert half < whole - 2, (half, whole)  # it stopped at the damage, about half-way

    # Cut in the middle of a packet.
    cut = tmp_path / "cut"
    cut.mkdir()
    (cut / "speaker.pcapng").write_bytes(capture[:middle])
    manifest, _ = render(cut, tmp_path / "cut-out")
    [error] = manifest["errors"]
    assert error.startswith("speaker.pcapng: the capture ends inside a block at byte "), error
    assert abs(_covered_until(manifest, tmp_path / "cut-out") - half) < 0.1


def test_render_refuses_what_it_cannot_render(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run([str(tapedeck_binary()), "render", str(empty), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "no raw capture (*.pcapng)" in result.stderr, result.stderr
    (empty / "x.pcapng").write_bytes(b"\xd4\xc3\xb2\xa1" + bytes(20))
    result = subprocess.run([str(tapedeck_binary()), "render", str(empty), "--out", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "x.pcapng: not a pcapng capture: a classic pcap file" in result.stderr, result.stderr
    result = subprocess.run([str(tapedeck_binary()), "render", str(empty), "--out", str(empty)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "--out must not be SOURCE" in result.stderr, result.stderr


def test_a_recording_whose_writer_failed_is_made_again_from_its_capture(signal_server, tmp_path):
    # The recipe writes into a folder "files" that cannot be made (a file has that name): every
    # media file fails; the capture, beside them, does not.
    live = tmp_path / "live"
    live.mkdir()
    (live / "files").write_text("in the way")
    recipe = tmp_path / "into-files.yaml"
    recipe.write_text('description: "webm in a folder"\ncontainer: webm\nvideo: passthrough\naudio: passthrough\n'
                      'file_name: "files/{participant}"\ncpu_cost: 0.05\n')
    recorder = subprocess.Popen([str(tapedeck_binary()), "record", "--signaling", signal_server.url, "--room", "failing",
                                 "--out", str(live), "--recipe", str(recipe), "--duration", "8", "--json",
                                 "--log-level", "info", *own_media_port()], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_until_joined(recorder)
    speaker = publisher(signal_server.url, "failing", "speaker", 30)
    try:
        stdout, stderr = recorder.communicate(timeout=60)
    finally:
        terminate(speaker)
    assert recorder.returncode == 1, stderr[-2000:]
    manifest = json.loads((live / "manifest.json").read_text())
    assert manifest["state"] == "failed" and any("files/speaker" in error for error in manifest["errors"]), manifest["errors"]
    [connection] = manifest["participants"][0]["connections"]
    assert connection["capture"]["finished"] and connection["capture"]["packetsDropped"] == 0, connection["capture"]

    rendered, _ = render(live, tmp_path / "again")
    [(_, _, file)] = manifest_files(rendered)
    assert file["path"] == "speaker.webm"
    assert decode_errors(tmp_path / "again" / "speaker.webm") == ""
    assert frames(tmp_path / "again" / "speaker.webm")["video"] > 150
