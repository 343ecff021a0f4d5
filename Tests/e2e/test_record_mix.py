"""The `audio-mix` recipe: the room's audio mixed into one Ogg Opus file, judged by what ffmpeg
decodes. Three `tapedeck publish` participants sound tones of their own (one joins late and
leaves early, one stalls for a few seconds) and a Chromium page sounds another: every tone is in
the mix where its participant was, nobody's stall stalls the others, and the mix lasts as long
as the recording. The recording's raw captures then render (`tapedeck render --recipe audio-mix`)
to a mix that passes the same checks on the recording's timeline."""
import json
import os
import signal
import subprocess
import time


from media_checks import amplitude as _amplitude, decode_errors, manifest_time, pcm, probe
from peers import own_media_port, tapedeck_binary, terminate, wait_for, wait_until_joined

TONES = {"low": 300, "mid": 700, "guest": 1_200, "browser": 2_600}


def _publish(signal_server, room, name, seconds):
    return subprocess.Popen(
        [str(tapedeck_binary()), "publish", "--signaling", signal_server.url, "--room", room, "--name", name,
         "--tone-hz", str(TONES[name]), "--duration", str(seconds), "--size", "160x120", "--bitrate", "150"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _microphone(directory, frequency):
    """A fake microphone sounding `frequency` for Chromium (its own fake audio is a beep)."""
    path = directory / f"tone-{frequency}.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i", f"sine=frequency={frequency}:sample_rate=48000",
                    "-t", "30", str(path)], check=True)
    return f"--use-file-for-fake-audio-capture={path}"


def test_audio_mix_holds_every_tone_where_its_participant_was(signal_server, web_origin, chromium, tmp_path):
    out, room = tmp_path / "recording", "mixed"
    recorder = subprocess.Popen([str(tapedeck_binary()), "record", "--signaling", signal_server.url, "--room", room,
                                 "--out", str(out), "--recipe", "audio-mix", "--duration", "18", "--json", "--log-level", "info",
                                 *own_media_port()],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_until_joined(recorder)
    publishers, times = [], {}
    try:
        # The page has one peer connection: it talks to the bot only, and the publishers' calls to it go unanswered.
        page = chromium(_microphone(tmp_path, TONES["browser"]))
        page.get(f"{web_origin}/relay-client.html?room={room}&name=browser&peer=tapedeck-recorder&signaling={signal_server.url}")
        if not wait_for(lambda: page.execute_script("return window.relay.connectionState") == "connected", 20):
            recorder.kill()
            raise AssertionError(f"the page did not connect: {page.execute_script('return window.relay.log')}\n"
                                 f"recorder: {recorder.stderr.read()[-3000:]}")
        publishers.append(_publish(signal_server, room, "low", 40))
        mid = _publish(signal_server, room, "mid", 40)
        publishers.append(mid)
        time.sleep(3)
        # The guest joins late and leaves early.
        times["guest joined"] = time.time()
        guest = _publish(signal_server, room, "guest", 4)
        publishers.append(guest)
        assert guest.wait(timeout=30) == 0, guest.stderr.read()[-2000:]
        times["guest left"] = time.time()
        # "mid" stalls: stopped for 3 s, it sends nothing, then catches up.
        time.sleep(1)
        times["mid stopped"] = time.time()
        os.kill(mid.pid, signal.SIGSTOP)
        time.sleep(3)
        os.kill(mid.pid, signal.SIGCONT)
        times["mid resumed"] = time.time()
        stdout, stderr = recorder.communicate(timeout=60)
        # Drain the other processes' pipes only after: nothing reads them meanwhile.
    finally:
        for publisher in publishers:
            if publisher.poll() is None:
                os.kill(publisher.pid, signal.SIGCONT)
            terminate(publisher)
    assert recorder.returncode == 0, stderr[-3000:]
    manifest = json.loads(stdout)
    started, ended = manifest_time(manifest["startedAt"]), manifest_time(manifest["endedAt"])
    at = {event: moment - started for event, moment in times.items()}

    # One file, the room's: listed in the manifest, finished, decoding cleanly, Opus in Ogg.
    mix = manifest["mix"]
    assert mix["file"]["finished"] and mix["file"]["path"] == "mix.ogg" and "temporaryPath" not in mix["file"], mix
    assert mix["participantTracks"] >= 4 and mix["framesDroppedWriterBehind"] == 0, mix
    path = out / "mix.ogg"
    assert mix["file"]["bytes"] == path.stat().st_size
    assert decode_errors(path) == ""
    assert [(s["codec_type"], s["codec_name"]) for s in probe(path)["streams"]] == [("audio", "opus")]
    assert not list(out.glob(".*.partial")) + list(out.glob(".*.opening")), "a temporary file was left behind"
    # Nobody has a file of their own: their audio is in the mix, so no stream is unrecorded audio.
    participants = {participant["id"]: participant for participant in manifest["participants"]}
    assert set(participants) == set(TONES), participants.keys()
    for participant in participants.values():
        assert all(not segment["files"] for segment in participant["segments"]), participant
        assert all(stream["kind"] != "audio" for stream in participant["unrecordedStreams"]), participant
    # Their segments say when they left, as a participant's files would: the guest when it did.
    [guest] = participants["guest"]["segments"]
    assert abs(manifest_time(guest["leftAt"]) - times["guest left"]) < 1.5, (guest, times["guest left"])

    _assert_the_mix_heard_everyone_where_they_were(path, ended - started, at)

    # The captures render to the same mix: everyone replayed at once, on the recording's timeline.
    rendered = tmp_path / "rendered"
    result = subprocess.run([str(tapedeck_binary()), "render", str(out), "--recipe", "audio-mix", "--out", str(rendered), "--json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    render = json.loads(result.stdout)
    assert render["state"] == "finished" and render["errors"] == [], render["errors"]
    assert render["startedAt"] == manifest["startedAt"], (render["startedAt"], manifest["startedAt"])
    assert render["mix"]["file"]["finished"] and render["mix"]["participantTracks"] >= 4, render["mix"]
    assert decode_errors(rendered / "mix.ogg") == ""
    _assert_the_mix_heard_everyone_where_they_were(rendered / "mix.ogg", ended - started, at)


def _assert_the_mix_heard_everyone_where_they_were(path, recorded, at):
    # The mix lasts as long as the recording: as the file says, and as ffmpeg decodes it.
    samples = pcm(path)
    assert abs(float(probe(path)["format"]["duration"]) - recorded) < 0.3, (probe(path)["format"]["duration"], recorded)
    assert abs(len(samples) / 48_000 - recorded) < 0.3, (len(samples) / 48_000, recorded)

    def window(start, end):
        return samples[int(start * 48_000):int(end * 48_000)]

    def present(name, start, end):
        # The publishers' tones come at 0.25; Chromium's, which its noise suppression takes for
        # noise, fades from about 0.1 to 0.01 over a quarter of a minute.
        return _amplitude(window(start, end), TONES[name]) > 0.005

    def absent(name, start, end):
        return _amplitude(window(start, end), TONES[name]) < 0.003

    everyone_in = at["guest joined"] + 1.5
    # All four tones at once, while the guest was there.
    assert all(present(name, everyone_in, at["guest left"] - 0.5) for name in TONES), \
        {name: _amplitude(window(everyone_in, at["guest left"] - 0.5), tone) for name, tone in TONES.items()}
    # The guest is silence before they joined and after they left.
    assert absent("guest", 0.2, at["guest joined"] - 0.2) and absent("guest", at["guest left"] + 0.8, recorded - 0.2)
    # "mid" is silence while stalled, and the others go on meanwhile; then it is back.
    stall = (at["mid stopped"] + 0.8, at["mid resumed"] - 0.3)
    assert absent("mid", *stall), _amplitude(window(*stall), TONES["mid"])
    assert present("low", *stall) and present("browser", *stall)
    assert present("mid", at["mid resumed"] + 1.5, recorded - 0.3)
    assert present("low", at["mid resumed"] + 1.5, recorded - 0.3)
