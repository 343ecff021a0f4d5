"""The `composite` recipe: the whole room in one fragmented MP4 (H.264 + AAC), judged by what
ffmpeg decodes. Chromium (a red camera, a 440 Hz microphone) and two `tapedeck publish`
participants of other colours and tones are on the canvas in a grid; a fourth joins and leaves,
and the grid follows. The speaker layout's large tile follows who sounds, not a blip; an aiortc
sender's flashes and beeps stay in sync in the composite over a minute. A recorder killed with
SIGKILL leaves a composite that plays up to shortly before the kill."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from media_checks import (amplitude, beep_onsets, decode_errors, flash_onsets, manifest_time, pair_onsets, pcm, probe,
                          stream_durations, timed_pcm)
from peers import own_media_port, tapedeck_binary, terminate, wait_for, wait_until_joined
from test_record_chromium import known_content

# A live composite decodes, scales and encodes in real time: with another test taking a core it
# drops frames, so these tests run on their own (the `alone` marker, conftest.py).
pytestmark = pytest.mark.alone

# Each participant's picture colour (RGB) and tone.
COLOURS = {"red": (255, 0, 0), "green": (0, 255, 0), "blue": (0, 0, 255), "yellow": (255, 255, 0)}
TONES = {"red": 440, "green": 700, "blue": 1_200, "yellow": 2_000}
# What else a tile can show: black bars, and a participant's name tile before their first picture.
OTHER = {"black": (0, 0, 0), "name": (46, 51, 61)}
# The frames are judged scaled to 128x72 (a tenth of 1280x720), ten a second.
WIDTH, HEIGHT, RATE = 128, 72, 10
THREE = [(0, 0), (64, 0), (32, 36)]   # tiles' top left: two above, one centred below
FOUR = [(0, 0), (64, 0), (0, 36), (64, 36)]
TWO = [(0, 18), (64, 18)]  # side by side, the whole height
# test_record_lip_sync.py's sender: aiortc flashing white exactly when it beeps, once a second.
FLASH_BEEP_SENDER = Path(__file__).resolve().parent / "aiortc_flash_beep.py"
LIP_SYNC_SECONDS = 62


def _publish(signal_server, room, name, seconds, *extra, size="320x240"):
    return subprocess.Popen(
        [str(tapedeck_binary()), "publish", "--signaling", signal_server.url, "--room", room, "--name", name,
         "--colour", "%02x%02x%02x" % COLOURS[name], "--tone-hz", str(TONES[name]), "--duration", str(seconds),
         "--size", size, "--bitrate", "200", *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _record(signal_server, room, out, seconds, recipe="composite"):
    return subprocess.Popen([str(tapedeck_binary()), "record", "--signaling", signal_server.url, "--room", room,
                             "--out", str(out), "--recipe", str(recipe), "--duration", str(seconds), "--json",
                             "--log-level", "info", *own_media_port()],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _record_recipe_file(signal_server, room, out, seconds, recipe_yaml: str):
    """A recorder with a recipe file of `recipe_yaml` (beside `out`), once it has joined."""
    recipe = out.parent / f"{room}.yaml"
    recipe.write_text(recipe_yaml)
    recorder = _record(signal_server, room, out, seconds, recipe=recipe)
    wait_until_joined(recorder)
    return recorder


def _outcome(recorder, publishers) -> dict:
    """Waits for the recorder to end, stops the publishers, and returns the final manifest."""
    try:
        stdout, stderr = recorder.communicate(timeout=90)
    finally:
        for publisher in publishers:
            terminate(publisher)
    assert recorder.returncode == 0, stderr[-3000:]
    return json.loads(stdout)


def _frames(path) -> np.ndarray:
    """Every tenth of a second of the video from 0 on, as 128x72 RGB."""
    raw = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-an", "-vf",
                          f"fps={RATE}:start_time=0,scale={WIDTH}:{HEIGHT}", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, HEIGHT, WIDTH, 3).astype(np.float64)


def _named(region: np.ndarray) -> str:
    """The colour a region shows on average, by name, or "?" if none is near."""
    mean = region.reshape(-1, 3).mean(axis=0)
    name, distance = min(((name, float(np.linalg.norm(mean - colour))) for name, colour in {**COLOURS, **OTHER}.items()),
                         key=lambda pair: pair[1])
    return name if distance < 70 else "?"


def _tile(frame: np.ndarray, corner) -> str:
    """The colour a grid tile's middle shows (its inner half)."""
    x, y = corner
    return _named(frame[y + 9:y + 27, x + 16:x + 48])


def _layout(frame: np.ndarray) -> tuple:
    return tuple(_tile(frame, corner) for corner in THREE), tuple(_tile(frame, corner) for corner in FOUR)


def test_composite_shows_everyone_in_a_grid_that_follows_who_is_there(signal_server, web_origin, chromium, tmp_path):
    out, room = tmp_path / "recording", "composited"
    recorder = _record(signal_server, room, out, 26)
    wait_until_joined(recorder)
    publishers, times = [], {}
    try:
        # The page has one peer connection: it talks to the bot only.
        page = chromium(*known_content(tmp_path, "red"))
        page.get(f"{web_origin}/relay-client.html?room={room}&name=red&peer=tapedeck-recorder&signaling={signal_server.url}")
        assert wait_for(lambda: page.execute_script("return window.relay.connectionState") == "connected", 20), \
            page.execute_script("return window.relay.log")
        time.sleep(1)
        publishers.append(_publish(signal_server, room, "green", 60))
        time.sleep(1)
        publishers.append(_publish(signal_server, room, "blue", 60, size="640x360"))
        time.sleep(6)
        yellow = _publish(signal_server, room, "yellow", 6)
        publishers.append(yellow)
        assert yellow.wait(timeout=30) == 0, yellow.stderr.read()[-2000:]
        times["yellow left"] = time.time()
    except BaseException:
        for publisher in publishers:
            terminate(publisher)
        raise
    manifest = _outcome(recorder, publishers)
    started, ended = manifest_time(manifest["startedAt"]), manifest_time(manifest["endedAt"])
    joined = {participant["id"]: manifest_time(participant["segments"][0]["joinedAt"]) - started
              for participant in manifest["participants"]}
    assert set(joined) == set(COLOURS), joined
    left = times["yellow left"] - started

    # One file, the room's: listed in the manifest, finished, decoding cleanly, H.264 720p and AAC.
    composite = manifest["composite"]
    assert composite["file"]["finished"] and composite["file"]["path"] == "composite.mp4", composite
    assert composite["participantVideoTracks"] == 4 and composite["errors"] == [], composite
    assert all(not participant["unrecordedStreams"] for participant in manifest["participants"]), manifest["participants"]
    path = out / "composite.mp4"
    assert decode_errors(path) == ""
    streams = {s["codec_type"]: s for s in probe(path)["streams"]}
    assert (streams["video"]["codec_name"], streams["video"]["width"], streams["video"]["height"]) == ("h264", 1280, 720)
    assert streams["audio"]["codec_name"] == "aac"
    assert not list(out.glob(".*.partial")) + list(out.glob(".*.opening")), "a temporary file was left behind"
    # The composite lasts as long as the recording, and drops few frames (this machine also runs Chromium).
    # (The recording's end is stamped once its file is finished, and finishing encodes the last
    # 1.5 s of the composite, which were still to be made: up to a second on this busy machine.)
    recorded = ended - started
    durations = stream_durations(path)
    assert abs(durations["video"]["end"] - durations["audio"]["end"]) < 0.1, durations
    assert -0.1 < recorded - durations["video"]["end"] < 1.0, (durations, recorded)
    assert composite["framesWritten"] + composite["framesDropped"] >= int(recorded * 30) - 30, composite
    assert composite["framesDropped"] <= 0.05 * composite["framesWritten"], composite

    frames = _frames(path)
    layouts = [_layout(frame) for frame in frames]

    def at(seconds):
        return layouts[int(round(seconds * RATE))]

    # While all three are there: red, green and blue in the three-tile grid, in order of arrival.
    three = ("red", "green", "blue")
    everyone = max(joined["red"], joined["green"], joined["blue"]) + 1.5
    for moment in np.arange(everyone, joined["yellow"] - 0.3, 0.5):
        assert at(moment)[0] == three, (moment, at(moment))
    # The fourth's first frame re-lays the grid within a second: four tiles, theirs last.
    four_at = next(index / RATE for index in range(int((joined["yellow"] - 1) * RATE), len(layouts))
                   if layouts[index][1][:3] == three and layouts[index][1][3] in ("yellow", "name"))
    assert joined["yellow"] - 0.2 <= four_at <= joined["yellow"] + 1.0, (four_at, joined["yellow"])
    assert at(joined["yellow"] + 1.0)[1] == three + ("yellow",), at(joined["yellow"] + 1.0)
    assert at(left - 1.0)[1] == three + ("yellow",), at(left - 1.0)
    # Their leaving re-lays it back.
    for moment in np.arange(left + 1.0, recorded - 0.5, 0.5):
        assert at(moment)[0] == three, (moment, at(moment))

    # The mixed audio holds every tone while its participant was there.
    samples = pcm(path)
    both = samples[int((joined["yellow"] + 1) * 48_000):int((left - 0.5) * 48_000)]
    amplitudes = {name: amplitude(both, tone) for name, tone in TONES.items()}
    # The publishers' tones come at 0.25; Chromium's, which its noise suppression takes for noise, fades to about 0.01.
    assert all(amplitude > 0.005 for amplitude in amplitudes.values()), amplitudes
    after = samples[int((left + 1) * 48_000):int((recorded - 0.3) * 48_000)]
    assert amplitude(after, TONES["yellow"]) < 0.003 and amplitude(after, TONES["green"]) > 0.005


def test_a_killed_recorder_leaves_a_composite_that_plays_to_shortly_before_the_kill(signal_server, tmp_path):
    out, room = tmp_path / "recording", "killed-composite"
    recorder = _record(signal_server, room, out, 60)
    wait_until_joined(recorder)
    publishers = [_publish(signal_server, room, "green", 60), _publish(signal_server, room, "blue", 60)]
    try:
        time.sleep(12)
        os.kill(recorder.pid, signal.SIGKILL)
        killed = time.time()
        recorder.wait(timeout=10)
    finally:
        for publisher in publishers:
            terminate(publisher)
    manifest = json.loads((out / "manifest.json").read_text())
    started = manifest_time(manifest["startedAt"])
    [partial] = list(out.glob(".composite.mp4.partial"))
    assert decode_errors(partial) == ""
    durations = stream_durations(partial)
    # The composite is made 1.5 s behind real time (every participant's media for a moment has
    # arrived by then, as for the mix); of what was made, at most a fragment (a quarter second)
    # and the encoder's few frames in hand are lost: it plays to within 2 s of the kill.
    for kind in ("video", "audio"):
        assert durations[kind]["end"] >= killed - started - 2.0, (kind, durations, killed - started)
    # And it is the composite: both participants side by side up to its last frames.
    last = _frames(partial)[-5]
    assert sorted(_tile(last, corner) for corner in TWO) == ["blue", "green"], [_tile(last, corner) for corner in TWO]


def _large_tile(frame: np.ndarray) -> str:
    """The colour of the speaker layout's large tile (the top three quarters)."""
    return _named(frame[12:42, 32:96])


def _sounding(samples: np.ndarray, frequency: float) -> list[bool]:
    """Per tenth of a second of the mix, whether the tone at `frequency` sounds in it."""
    step = 4_800
    return [amplitude(samples[start:start + step], frequency) > 0.02 for start in range(0, len(samples) - step, step)]


def test_speaker_layout_follows_who_is_sounding_and_not_a_blip(signal_server, tmp_path):
    out, room = tmp_path / "recording", "speaker-composite"
    recorder = _record_recipe_file(signal_server, room, out, 22, 'description: "the room, its active speaker large"\n'
                                   'container: mp4\nlayout: room\nvideo: h264\naudio: aac\ncomposite: { layout: speaker }\ncpu_cost: 1\n')
    # Green arrives first (the large tile before anyone speaks); red sounds, then green; blue
    # sounds for 200 ms while green speaks. Seconds of each publisher's own stream.
    # They start half a second apart, so green's window begins after red's has ended.
    sounds = {"green": "10.5-17", "blue": "13.5-13.7", "red": "2-9"}
    publishers = []
    for name, window in sounds.items():
        publishers.append(_publish(signal_server, room, name, 60, "--tone-between", window))
        time.sleep(0.5)
    manifest = _outcome(recorder, publishers)
    started = manifest_time(manifest["startedAt"])
    joined = max(manifest_time(participant["segments"][0]["joinedAt"]) - started for participant in manifest["participants"])
    path = out / "composite.mp4"
    assert decode_errors(path) == ""
    assert manifest["composite"]["errors"] == [], manifest["composite"]

    # When each tone sounds, as the composite's own audio says (the same timeline as its video).
    samples = pcm(path)
    heard = {name: _sounding(samples, TONES[name]) for name in sounds}
    red_on = heard["red"].index(True) / RATE
    green_on = heard["green"].index(True) / RATE
    red_off = (len(heard["red"]) - heard["red"][::-1].index(True)) / RATE
    green_off = (len(heard["green"]) - heard["green"][::-1].index(True)) / RATE
    blip = [index / RATE for index, on in enumerate(heard["blue"]) if on]
    assert blip and blip[-1] - blip[0] < 0.5 and green_on < blip[0] < green_off, (blip, green_on, green_off)
    assert joined < red_on < green_on, (joined, red_on, green_on)

    large = [_large_tile(frame) for frame in _frames(path)]

    def during(start, end):
        return large[int(round(start * RATE)):int(round(end * RATE))]

    # Before anyone speaks, the first to arrive is large.
    assert set(during(joined + 0.5, red_on)) == {"green"}, during(joined + 0.5, red_on)
    # Red sounds: large within 2 s, and stays while red sounds alone.
    assert set(during(red_on + 2.0, red_off)) == {"red"}, during(red_on + 2.0, red_off)
    # The sound moves to green: the layout follows within 2 s, and blue's 200 ms blip does not take it.
    moved = max(green_on, red_off)
    assert moved - red_off < 1.0, (red_off, green_on)
    assert set(during(moved + 2.0, green_off)) == {"green"}, during(moved + 2.0, green_off)
    assert "blue" not in during(green_on, len(large) / RATE)


def test_lip_sync_inside_the_composite_at_the_start_and_the_end_of_60_s(signal_server, tmp_path):
    """A sender that is not ours (aiortc, test_record_lip_sync.py's) flashes white exactly when it
    beeps: in the composite its flashes (the canvas's mean luma, 30 frames a second) and the mix's
    beeps are within 60 ms of each other at the start and the end of a minute."""
    out, room = tmp_path / "recording", "lip-sync-composite"
    recorder = _record(signal_server, room, out, LIP_SYNC_SECONDS)
    wait_until_joined(recorder)
    sender = subprocess.Popen([sys.executable, str(FLASH_BEEP_SENDER), "--signaling", signal_server.url, "--room", room,
                               "--seconds", str(LIP_SYNC_SECONDS + 10)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    manifest = _outcome(recorder, [sender])
    path = out / "composite.mp4"
    assert manifest["composite"]["file"]["finished"] and decode_errors(path) == ""
    flashes, beeps = flash_onsets(path), beep_onsets(timed_pcm(path), 0.5)
    pairs = pair_onsets(flashes, beeps)
    summary = (f"{len(flashes)} flashes, {len(beeps)} beeps, {len(pairs)} pairs; beep - flash (ms): "
               + ", ".join(f"{flash:.2f}s:{offset * 1000:+.0f}" for flash, offset in pairs[:5] + pairs[-5:]))
    print(summary)
    # A minute of flashes (the sender connects a second or two in), every one heard.
    assert len(flashes) >= LIP_SYNC_SECONDS - 4 and len(pairs) == len(flashes), summary
    assert pairs[-1][0] - pairs[0][0] >= LIP_SYNC_SECONDS - 5, summary
    assert all(abs(offset) <= 0.060 for _, offset in pairs[:5] + pairs[-5:]), summary


def test_a_recipe_file_asks_for_a_vp8_and_opus_composite_in_webm(signal_server, tmp_path):
    out, room = tmp_path / "recording", "webm-composite"
    recorder = _record_recipe_file(signal_server, room, out, 10, 'description: "the room in WebM"\ncontainer: webm\nlayout: room\n'
                                   'video: vp8\naudio: opus\ncomposite: { width: 640, height: 360, fps: 15 }\ncpu_cost: 0.5\n')
    publishers = [_publish(signal_server, room, "green", 30)]
    time.sleep(0.5)
    publishers.append(_publish(signal_server, room, "blue", 30))
    manifest = _outcome(recorder, publishers)
    path = out / "composite.webm"
    assert manifest["composite"]["file"]["finished"] and manifest["composite"]["file"]["path"] == "composite.webm"
    assert decode_errors(path) == ""
    streams = {s["codec_type"]: s for s in probe(path)["streams"]}
    assert (streams["video"]["codec_name"], streams["video"]["width"], streams["video"]["height"]) == ("vp8", 640, 360)
    assert streams["audio"]["codec_name"] == "opus"
    # Both side by side, in order of arrival, a second before the end.
    last = _frames(path)[-10]
    assert [_tile(last, corner) for corner in TWO] == ["green", "blue"], [_tile(last, corner) for corner in TWO]


@pytest.mark.parametrize("codec", ["h264", "vp9"])
def test_chromium_sending_h264_or_vp9_is_composited(signal_server, web_origin, chromium, tmp_path, codec):
    out, room = tmp_path / "recording", f"composite-{codec}"
    recorder = subprocess.Popen([str(tapedeck_binary()), "record", "--signaling", signal_server.url, "--room", room,
                                 "--out", str(out), "--recipe", "composite", "--duration", "10", "--video-codec", codec,
                                 "--json", "--log-level", "info", *own_media_port()],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_until_joined(recorder)
    page = chromium(*known_content(tmp_path, "red"))
    page.get(f"{web_origin}/relay-client.html?room={room}&name=red&peer=tapedeck-recorder&signaling={signal_server.url}")
    manifest = _outcome(recorder, [])
    composite = manifest["composite"]
    # Chromium sent what the recorder asked for, and every frame of it decoded.
    assert composite["participantVideoCodecs"] == {codec: 1} and composite["framesUndecodable"] == 0, composite
    # Its streams are recorded: in the room's file.
    assert [participant["unrecordedStreams"] for participant in manifest["participants"]] == [[]], manifest["participants"]
    path = out / "composite.mp4"
    assert decode_errors(path) == ""
    # Alone, red has the whole canvas (its 4:3 picture between black bars) a second before the end.
    assert _named(_frames(path)[-10][18:54, 40:88]) == "red"
