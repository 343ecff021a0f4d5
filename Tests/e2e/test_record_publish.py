"""`tapedeck record` of `tapedeck publish` participants: one file each, placed on one timeline."""
import json
import subprocess
import time

from media_checks import decode_errors, manifest_files, manifest_time, probe, stream_durations
from peers import own_media_port, tapedeck_binary, terminate


def test_three_publishers_give_three_files_with_the_times_they_joined(signal_server, tmp_path):
    out = tmp_path / "recording"
    recorder = subprocess.Popen([str(tapedeck_binary()), "record", "--signaling", signal_server.url, "--room", "three",
                                 "--out", str(out), "--duration", "16", "--json", *own_media_port()],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1)
    publishers, started = [], {}
    try:
        for index in (1, 2, 3):
            name = f"speaker-{index}"
            started[name] = time.time()
            publishers.append(subprocess.Popen(
                [str(tapedeck_binary()), "publish", "--signaling", signal_server.url, "--room", "three", "--name", name,
                 "--duration", "30", "--size", "320x240", "--bitrate", "300"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            time.sleep(3)
        stdout, stderr = recorder.communicate(timeout=60)
    finally:
        for publisher in publishers:
            terminate(publisher)
    assert recorder.returncode == 0, stderr[-3000:]
    manifest = json.loads(stdout)

    files = manifest_files(manifest)
    assert [(participant, file["path"]) for participant, _, file in files] == [
        ("speaker-1", "speaker-1.webm"), ("speaker-2", "speaker-2.webm"), ("speaker-3", "speaker-3.webm")]
    ended = manifest_time(manifest["endedAt"])
    for participant, segment, file in files:
        joined = manifest_time(segment["joinedAt"])
        # Its file starts when it joined (connecting takes a moment), on the recorder's clock.
        assert 0 <= joined - started[participant] < 1.5, (participant, joined - started[participant])
        path = out / file["path"]
        assert decode_errors(path) == ""
        assert {s["codec_type"]: s["codec_name"] for s in probe(path)["streams"]} == {"video": "vp8", "audio": "opus"}
        durations = stream_durations(path)
        for kind in ("video", "audio"):
            assert abs(durations[kind]["end"] - (ended - joined)) < 0.3, (participant, kind, durations, ended - joined)


def test_two_recorders_of_one_room_record_the_speaker_and_not_each_other(signal_server, tmp_path):
    recorders = {recipe: subprocess.Popen([str(tapedeck_binary()), "record", "--signaling", signal_server.url, "--room", "twice",
                                           "--out", str(tmp_path / recipe), "--recipe", recipe, "--duration", "8", "--json",
                                           *own_media_port()],
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for recipe in ("webm", "mp4")}
    time.sleep(1)
    speaker = subprocess.Popen([str(tapedeck_binary()), "publish", "--signaling", signal_server.url, "--room", "twice",
                                "--name", "speaker", "--duration", "30", "--size", "320x240", "--bitrate", "300"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        results = {recipe: recorder.communicate(timeout=60) for recipe, recorder in recorders.items()}
    finally:
        speaker.terminate()
        speaker.wait(timeout=10)
    for recipe, (stdout, stderr) in results.items():
        assert recorders[recipe].returncode == 0, stderr[-3000:]
        manifest = json.loads(stdout)
        # Only the speaker: the other recorder (same bot name) was not negotiated with.
        assert [participant.get("name") for participant in manifest["participants"]] == ["speaker"], manifest["participants"]
        [(_, _, file)] = manifest_files(manifest)
        assert decode_errors(tmp_path / recipe / file["path"]) == ""
