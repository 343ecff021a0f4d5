"""The bot in a plain room: the seed tutorial's signaling server (seeds_signaling.py), which only
relays offer / answer / ice-candidate verbatim to the other members of a room, never answers
join and stamps nothing. There the bot answers every offer it gets (one connection per caller),
never offers, and numbers the callers itself. Callers: the tutorial's browser client
(web/seeds-client.html), aiortc, `tapedeck publish`, and a job of `tapedeck serve`. Also
GStreamer's webrtcbin (gst_sender.py), whose RTCP sender reports move their NTP/RTP mapping
from report to report, recorded whole on `tapedeck signal`.

The first tests check the harness itself (the server, the page and the GStreamer sender work
with each other, no bot involved)."""
import json
import subprocess
import sys
import time
from pathlib import Path

from jobs_service import Serve, media_outputs, parse_time, publisher
from media_checks import (decode_errors, manifest_files, manifest_time, mean_colour, pcm, peak_frequency, probe,
                          stream_durations)
from peers import seeds_call, tapedeck_binary, wait_for
from test_record_chromium import finish, known_content, start_record, wait_until_joined

HERE = Path(__file__).resolve().parent
AIORTC_SENDER = HERE / "aiortc_sender.py"
GST_SENDER = HERE / "gst_sender.py"
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's: gi and GStreamer come from apt


def seeds_page_url(origin: str, signaling: str, room: str, autocall: bool) -> str:
    return f"{origin}/seeds-client.html?room={room}&signaling={signaling}" + ("&autocall=1" if autocall else "")


def page_state(page, field: str):
    return page.execute_script(f"return window.seeds.{field}")


def is_red(colour) -> bool:
    red, green, blue = colour
    return red > 180 and green < 60 and blue < 60


def is_blue(colour) -> bool:
    red, green, blue = colour
    return blue > 180 and red < 60 and green < 60


def only_file(manifest: dict) -> tuple:
    """The one participant's one segment's one file, asserting there is exactly that."""
    assert manifest["state"] == "finished", manifest
    assert len(manifest["participants"]) == 1, manifest["participants"]
    [(_, segment, file)] = manifest_files(manifest)
    return segment, file


def assert_clean_webm(path, file: dict):
    """Finished, decodes without a single error, VP8 and Opus."""
    assert file["finished"] and file["path"].endswith(".webm") and "temporaryPath" not in file, file
    assert file["bytes"] == path.stat().st_size, file
    assert decode_errors(path) == ""
    assert {s["codec_type"]: s["codec_name"] for s in probe(path)["streams"]} == {"video": "vp8", "audio": "opus"}


def assert_known_content(path, file: dict, segment: dict, manifest: dict, colour_is=is_red):
    """A Chromium caller's file: clean, the colour, the tone, and from the caller's first offer to
    the end of the recording, audio and video alike."""
    assert_clean_webm(path, file)
    recorded = manifest_time(manifest["endedAt"]) - manifest_time(segment["joinedAt"])
    durations = stream_durations(path)
    for kind in ("video", "audio"):
        assert abs(durations[kind]["end"] - recorded) < 0.5, (kind, durations, recorded)
        assert durations[kind]["start"] < 0.5, (kind, durations)
    colour = mean_colour(path, at=recorded / 2)
    assert colour_is(colour), colour
    assert abs(peak_frequency(pcm(path, start=2, seconds=3)) - 440) < 5
    return recorded


# --- The harness on its own -------------------------------------------------------------------

def test_two_seeds_client_pages_connect_through_the_seeds_server(seeds_server, web_origin, chromium):
    connected, logs = seeds_call(chromium, web_origin, seeds_server.url, room="harness")
    assert connected, f"pages did not connect: {logs} server: {seeds_server.log}"


def test_the_gstreamer_sender_reaches_a_seeds_client_page(seeds_server, web_origin, chromium):
    page = chromium()
    page.get(seeds_page_url(web_origin, seeds_server.url, "gst-harness", autocall=False))
    assert wait_for(lambda: page_state(page, "joined"), 15)
    sender = subprocess.run([SYSTEM_PYTHON, str(GST_SENDER), "--signaling", seeds_server.url, "--room", "gst-harness",
                             "--seconds", "5"], capture_output=True, text=True, timeout=60)
    assert sender.returncode == 0, sender.stderr[-3000:]
    summary = json.loads(sender.stdout.strip().splitlines()[-1])
    assert summary["answered"] and summary["connectionState"] == "connected", summary
    assert page_state(page, "connectionState") == "connected" and page_state(page, "remoteTracks") == 2, \
        page_state(page, "log")


# --- The bot in a plain room --------------------------------------------------------------------

def test_a_page_that_calls_on_load_is_recorded(seeds_server, web_origin, chromium, tmp_path):
    out = tmp_path / "recording"
    recorder = start_record(seeds_server.url, "plain-autocall", out, "--duration", "12", "--recipe", "webm")
    wait_until_joined(recorder)  # the bot says so in a plain room too, though nobody answered its join
    page = chromium(*known_content(tmp_path))
    page.get(seeds_page_url(web_origin, seeds_server.url, "plain-autocall", autocall=True))
    assert wait_for(lambda: page_state(page, "connectionState") == "connected", 20), page_state(page, "log")
    manifest = finish(recorder)

    segment, file = only_file(manifest)
    [connection] = manifest["participants"][0]["connections"]
    assert connection["connected"] and connection["selectedPair"], connection
    recorded = assert_known_content(out / file["path"], file, segment, manifest)
    assert recorded > 12 - 5, (recorded, segment)  # the call was most of the recording


def test_a_page_in_the_room_before_the_bot_calls_after_it_joined(seeds_server, web_origin, chromium, tmp_path):
    page = chromium(*known_content(tmp_path))
    page.get(seeds_page_url(web_origin, seeds_server.url, "plain-call-later", autocall=False))
    assert wait_for(lambda: page_state(page, "joined"), 15)
    out = tmp_path / "recording"
    recorder = start_record(seeds_server.url, "plain-call-later", out, "--duration", "12", "--recipe", "webm")
    wait_until_joined(recorder)
    time.sleep(1)
    assert page_state(page, "connectionState") == "new", page_state(page, "log")  # the bot does not offer
    page.execute_script("window.seeds.call()")
    assert wait_for(lambda: page_state(page, "connectionState") == "connected", 20), page_state(page, "log")
    manifest = finish(recorder)

    segment, file = only_file(manifest)
    recorded = assert_known_content(out / file["path"], file, segment, manifest)
    assert recorded > 12 - 5, (recorded, segment)


def test_asked_to_the_bot_offers_into_a_plain_room_and_records_who_answers(seeds_server, web_origin, chromium, tmp_path):
    """`--offer-in-plain-room`: for clients that only answer, the bot places the call itself, once,
    and takes the first answer."""
    page = chromium(*known_content(tmp_path))
    page.get(seeds_page_url(web_origin, seeds_server.url, "plain-bot-offers", autocall=False))
    assert wait_for(lambda: page_state(page, "joined"), 15)
    out = tmp_path / "recording"
    recorder = start_record(seeds_server.url, "plain-bot-offers", out, "--duration", "10", "--recipe", "webm",
                            "--offer-in-plain-room")
    wait_until_joined(recorder)
    assert wait_for(lambda: page_state(page, "connectionState") == "connected", 20), page_state(page, "log")
    manifest = finish(recorder)

    segment, file = only_file(manifest)
    recorded = assert_known_content(out / file["path"], file, segment, manifest)
    assert recorded > 10 - 4, (recorded, segment)


def test_two_callers_one_after_the_other_get_a_file_each(seeds_server, web_origin, chromium, tmp_path):
    out = tmp_path / "recording"
    room = "plain-two-callers"
    recorder = start_record(seeds_server.url, room, out, "--duration", "20", "--recipe", "webm")
    wait_until_joined(recorder)
    first = chromium(*known_content(tmp_path))
    first.get(seeds_page_url(web_origin, seeds_server.url, room, autocall=True))
    assert wait_for(lambda: page_state(first, "connectionState") == "connected", 20), page_state(first, "log")
    connected = time.monotonic()
    time.sleep(6)
    first.execute_script("window.seeds.hangUp()")
    first_call = time.monotonic() - connected
    time.sleep(1)
    second = chromium(*known_content(tmp_path, "blue"))
    second.get(seeds_page_url(web_origin, seeds_server.url, room, autocall=True))
    assert wait_for(lambda: page_state(second, "connectionState") == "connected", 20), page_state(second, "log")
    manifest = finish(recorder)

    assert manifest["state"] == "finished", manifest
    participants = sorted(manifest["participants"], key=lambda p: manifest_time(p["segments"][0]["joinedAt"]))
    assert len(participants) == 2 and participants[0]["id"] != participants[1]["id"], manifest["participants"]
    for participant in participants:
        assert len(participant["segments"]) == 1 and len(participant["segments"][0]["files"]) == 1, participant
    [red_segment, blue_segment] = [p["segments"][0] for p in participants]
    [red_file, blue_file] = [segment["files"][0] for segment in (red_segment, blue_segment)]
    assert red_file["path"] != blue_file["path"]
    assert manifest_time(blue_segment["joinedAt"]) - manifest_time(red_segment["joinedAt"]) > first_call, \
        (red_segment, blue_segment)

    # The first caller's file: its own call, red, ending when it hung up.
    red_path = out / red_file["path"]
    assert_clean_webm(red_path, red_file)
    red_durations = stream_durations(red_path)
    for kind in ("video", "audio"):
        assert abs(red_durations[kind]["end"] - first_call) < 1.5, (kind, red_durations, first_call)
    assert is_red(mean_colour(red_path, at=first_call / 2))
    assert abs(peak_frequency(pcm(red_path, start=1, seconds=3)) - 440) < 5

    # The second caller's: blue, from its offer to the end of the recording.
    recorded = assert_known_content(out / blue_file["path"], blue_file, blue_segment, manifest, colour_is=is_blue)
    assert recorded > 6, recorded


def test_an_aiortc_caller_is_recorded(seeds_server, tmp_path):
    out = tmp_path / "recording"
    recorder = start_record(seeds_server.url, "plain-aiortc", out, "--duration", "12", "--include-loopback")
    wait_until_joined(recorder)
    sender = subprocess.Popen([sys.executable, str(AIORTC_SENDER), "--signaling", seeds_server.url, "--room", "plain-aiortc",
                               "--seconds", "11"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    manifest = finish(recorder)
    sender.communicate(timeout=30)  # what it says at its end depends on whether the bot left first

    segment, file = only_file(manifest)
    path = out / file["path"]
    assert_clean_webm(path, file)
    durations = stream_durations(path)
    assert durations["video"]["end"] > 7 and abs(durations["video"]["end"] - durations["audio"]["end"]) < 0.3, durations


def test_tapedeck_publish_as_the_caller_is_recorded(seeds_server, tmp_path):
    out = tmp_path / "recording"
    recorder = start_record(seeds_server.url, "plain-publish", out, "--duration", "12")
    wait_until_joined(recorder)
    speaker = subprocess.Popen([str(tapedeck_binary()), "publish", "--signaling", seeds_server.url, "--room", "plain-publish",
                                "--duration", "11", "--size", "320x240", "--bitrate", "300"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        manifest = finish(recorder)
    finally:
        _, speaker_said = speaker.communicate(timeout=30)
    assert speaker.returncode == 0, speaker_said[-3000:]

    segment, file = only_file(manifest)
    path = out / file["path"]
    assert_clean_webm(path, file)
    durations = stream_durations(path)
    for kind in ("video", "audio"):
        assert durations[kind]["end"] > 7, (kind, durations)


def test_a_job_of_tapedeck_serve_records_a_plain_room(seeds_server, tmp_path):
    serve = Serve(tmp_path / "data")
    speaker = None
    try:
        job = serve.create(room="plain-job", signaling_url=seeds_server.url, recipe="webm", max_duration_s=15)
        # In the room first (the job says `recording` at its next heartbeat after joining): in a
        # plain room only a caller's offer starts a call, and the server keeps nothing for
        # members who join later.
        serve.wait_for_state(job["id"], "recording", timeout=20)
        speaker = publisher(seeds_server.url, "plain-job", "speaker", 30)
        called = time.time()
        done = serve.wait_for_state(job["id"], ("completed", "failed"), timeout=40)
        assert done["state"] == "completed", (done, serve.logs()[-3000:])
        [output] = media_outputs(done)
        assert output["finished"] and output["bytes"] > 0, output
        path = serve.data / done["output_directory"] / output["path"]
        assert path.stat().st_size == output["bytes"]
        assert decode_errors(path) == ""
        assert {s["codec_type"]: s["codec_name"] for s in probe(path)["streams"]} == {"video": "vp8", "audio": "opus"}
        # From soon after the call started to the end of the job.
        assert output["duration_s"] > max(4.0, parse_time(done["ended_at"]) - called - 4), (output, done["ended_at"], called)
    finally:
        if speaker is not None:
            speaker.terminate()
            speaker.wait(timeout=10)
        code = serve.terminate()
    assert code == 0, serve.logs()[-3000:]


# --- GStreamer's sender reports ---------------------------------------------------------------

def test_a_gstreamer_sender_is_recorded_for_the_whole_call(signal_server, tmp_path):
    """webrtcbin's sender reports do not keep one NTP/RTP mapping: the recording must still hold
    the whole call, not stop after the first few seconds."""
    out = tmp_path / "recording"
    recorder = start_record(signal_server.url, "gstreamer", out, "--duration", "32", "--include-loopback",
                            "--recipe", "webm")
    wait_until_joined(recorder)
    sender = subprocess.Popen([SYSTEM_PYTHON, str(GST_SENDER), "--signaling", signal_server.url, "--room", "gstreamer",
                               "--seconds", "31"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    manifest = finish(recorder)
    said, sender_log = sender.communicate(timeout=30)
    assert sender.returncode == 0, sender_log[-3000:]
    summary = json.loads(said.strip().splitlines()[-1])
    assert summary["answered"] and summary["connectionState"] == "connected", summary

    segment, file = only_file(manifest)
    path = out / file["path"]
    assert_clean_webm(path, file)
    for track in file["tracks"]:
        # The track lasts the call, not the first seconds.
        assert track["durationSeconds"] >= 27, track
        assert track["streams"] and track["streams"][0]["packetsReceived"] > 0, track
    # webrtcbin's reports run their RTP time at twice the media's rate, but it reports the audio
    # and the video at the same moment, so their offset holds: the video is placed next to the
    # audio where the packets' arrivals put it too. On a busy machine its reports can go out apart
    # (each then off by the time between them): those the recorder distrusts, and it places the
    # video by arrival, as documented — never by reports that disagree with the arrivals.
    [video] = [track for track in file["tracks"] if track["kind"] == "video"]
    reports = video["senderReports"]
    assert reports["reports"] > 0, reports
    if reports["placedBy"] == "reports":
        assert reports["arrivalDisagreementMs"] < 100, reports
    else:
        assert reports["placedBy"] == "arrival" and reports["distrusted"] > 0, reports
    durations = stream_durations(path)
    for kind in ("video", "audio"):
        assert durations[kind]["end"] >= 27, (kind, durations)
    assert is_blue(mean_colour(path, at=25)), mean_colour(path, at=25)  # videotestsrc pattern=blue, late in the call
    assert abs(peak_frequency(pcm(path, start=24, seconds=3)) - 440) < 5
