"""`tapedeck join --video-codec`: headless Chromium sends the codec the bot asks for, and the
receive pipeline depacketizes it into complete frames with keyframes of the camera's size —
H.264 (RFC 6184) and VP9 (RFC 9628) from a real encoder, whichever side offers."""
import pytest

from peers import wait_for
from test_join_chromium import finish, start_join, wait_until_joined


def assert_video(reports, stderr, codec: str):
    assert len(reports) == 1, reports
    report = reports[0]
    assert report["connected"], f"{report}\n{stderr[-3000:]}"
    video = [stream for stream in report["streams"] if stream["kind"] == "video"]
    assert len(video) == 1, report
    stream = video[0]
    assert stream["codec"].lower() == codec, stream
    assert stream["frames"] > 60, stream
    assert stream["keyframes"] >= 1, stream
    assert (stream["width"], stream["height"]) == (640, 480), stream
    assert stream["incompleteFrames"] == 0, stream
    assert stream["malformedPackets"] == 0, stream


@pytest.mark.parametrize("codec", ["h264", "vp9"])
def test_bot_answers_asking_for_codec(signal_server, web_origin, chromium, codec):
    bot = start_join(signal_server.url, f"codec-answer-{codec}", 8, "--video-codec", codec)
    seen = wait_until_joined(bot)
    page = chromium()
    page.get(f"{web_origin}/relay-client.html?room=codec-answer-{codec}&signaling={signal_server.url}")
    returncode, reports, stderr = finish(bot)
    assert_video(reports, seen + stderr, codec)
    assert returncode == 0


@pytest.mark.parametrize("codec", ["h264", "vp9"])
def test_bot_offers_asking_for_codec(signal_server, web_origin, chromium, codec):
    page = chromium()
    page.get(f"{web_origin}/relay-client.html?room=codec-offer-{codec}&signaling={signal_server.url}")
    assert wait_for(lambda: "joined and offered" in " ".join(page.execute_script("return window.relay.log")), 15)
    returncode, reports, stderr = finish(start_join(signal_server.url, f"codec-offer-{codec}", 8, "--video-codec", codec))
    assert_video(reports, stderr, codec)
    assert returncode == 0
