"""The speaker timeline of a recording of `tapedeck publish` participants who send the RFC 6464
audio level: who sounds is found speaking, who is silent is not, and `speakers.vtt` parses and
says the same as the manifest."""
import json
import subprocess
import time

from media_checks import manifest_time
from peers import own_media_port, tapedeck_binary, terminate
from webvtt import parse


def _publish(signal_server, room, name, audio, seconds):
    return subprocess.Popen(
        [str(tapedeck_binary()), "publish", "--signaling", signal_server.url, "--room", room, "--name", name,
         "--audio", audio, "--duration", str(seconds), "--size", "160x120", "--bitrate", "150"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_who_sounds_is_speaking_who_is_silent_is_not(signal_server, tmp_path):
    out = tmp_path / "recording"
    recorder = subprocess.Popen([str(tapedeck_binary()), "record", "--signaling", signal_server.url, "--room", "speakers",
                                 "--out", str(out), "--duration", "16", "--json", *own_media_port()],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1)
    publishers = []
    try:
        # "talker" sounds (the 440 Hz tone, 15 -dBov) throughout; "quiet" sends silence (127)
        # throughout; "guest" sounds from about 6 s to 11 s and leaves.
        publishers.append(_publish(signal_server, "speakers", "talker", "tone", 30))
        publishers.append(_publish(signal_server, "speakers", "quiet", "silent", 30))
        time.sleep(5)
        guest_started = time.time()
        guest = _publish(signal_server, "speakers", "guest", "tone", 5)
        publishers.append(guest)
        assert guest.wait(timeout=30) == 0, guest.stderr.read()[-2000:]
        guest_ended = time.time()
        stdout, stderr = recorder.communicate(timeout=60)
    finally:
        for publisher in publishers:
            terminate(publisher)
    assert recorder.returncode == 0, stderr[-3000:]
    manifest = json.loads(stdout)
    started, ended = manifest_time(manifest["startedAt"]), manifest_time(manifest["endedAt"])
    participants = {participant["id"]: participant for participant in manifest["participants"]}
    assert set(participants) == {"talker", "quiet", "guest"}, participants.keys()

    def speech(name):
        return [(manifest_time(interval["startedAt"]), manifest_time(interval["endedAt"]))
                for interval in participants[name]["speaking"]]

    def audio_track(name):
        [segment] = participants[name]["segments"]
        [file] = segment["files"]
        return next(track for track in file["tracks"] if track["kind"] == "audio")

    # The silent participant sent levels (the key is there) and never spoke.
    assert speech("quiet") == [], participants["quiet"]["speaking"]

    # The talker speaks once, from their first audio to the end of the recording.
    [(start, end)] = speech("talker")
    talker_joined = manifest_time(participants["talker"]["segments"][0]["joinedAt"])
    assert abs(start - talker_joined) < 1.0, (start - talker_joined)
    assert abs(end - ended) < 1.0, (end, ended)

    # The guest speaks once, as long as their audio lasted, within the time they were there.
    [(guest_start, guest_end)] = speech("guest")
    assert guest_started - 0.2 < guest_start < guest_started + 2.5, (guest_start - guest_started)
    assert guest_end < guest_ended + 0.5, (guest_end - guest_ended)
    assert abs((guest_end - guest_start) - audio_track("guest")["durationSeconds"]) < 0.5, \
        (guest_end - guest_start, audio_track("guest")["durationSeconds"])

    # speakers.vtt: listed, finished, and a strict parse gives the same intervals (to the
    # millisecond) from the recording's start, in order of start.
    assert manifest["speakerTimeline"] == {"path": "speakers.vtt", "finished": True,
                                           "bytes": (out / "speakers.vtt").stat().st_size}, manifest["speakerTimeline"]
    cues = parse((out / "speakers.vtt").read_text(encoding="utf-8"))
    expected = sorted([(start, end, "talker"), (guest_start, guest_end, "guest")])
    assert [cue.text for cue in cues] == [name for _, _, name in expected], cues
    for cue, (cue_start, cue_end, _) in zip(cues, expected):
        assert abs(cue.start - (cue_start - started)) <= 0.002 and abs(cue.end - (cue_end - started)) <= 0.002, (cue, cue_start - started)
