"""`tapedeck publish` — synthetic participants sending a VP8 test pattern and an Opus tone — as
the real receivers see it: the bot (`tapedeck join`) in both join orders, and headless
Chromium, which must decode the pictures."""
import json
import select
import subprocess
import time

import pytest

from peers import tapedeck_binary, wait_for
from test_join_chromium import finish, start_join, wait_until_joined


def start_publish(signal_url: str, room: str, duration: float, count: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(tapedeck_binary()), "publish", "--signaling", signal_url, "--room", room, "--count", str(count),
         "--duration", str(duration), "--include-loopback", "--json", "--log-level", "info", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_until_published(process: subprocess.Popen, count: int, timeout: float = 20):
    """Reads the publisher's log until all `count` participants have joined the room."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 0.2)
        if ready:
            line = process.stderr.readline()
            if not line:
                break
            seen.append(line)
            if sum("joined the room" in l for l in seen) == count:
                return
    raise AssertionError(f"the publishers did not join within {timeout} s: {''.join(seen)[-2000:]}")


def finish_publish(process: subprocess.Popen, timeout: float = 60):
    stdout, stderr = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"publish exited {process.returncode}:\n{stderr[-3000:]}"
    return json.loads(stdout), stderr


def assert_bot_received_each_publisher(reports, summary, bot_stderr, publish_stderr, count):
    """Every synthetic participant reached the bot: connected, its VP8 and Opus decrypted (no
    authentication failure), keyframes among the frames, sender reports that set the sender's
    clock; and the publisher saw the same connections from its side."""
    context = f"\nbot: {bot_stderr[-2000:]}\npublish: {publish_stderr[-2000:]}"
    assert len(reports) == count, f"{reports}{context}"
    publishers = {participant["participant"]: participant for participant in summary["participants"]}
    assert len(publishers) == count, summary
    for report in reports:
        assert report["connected"], f"{report}{context}"
        assert report["authenticationFailures"] == 0, report
        by_codec = {stream["codec"].lower(): stream for stream in report["streams"]}
        video, audio = by_codec.get("vp8"), by_codec.get("opus")
        assert video and audio, report
        assert audio["packetsReceived"] > 150 and audio["frames"] > 150, audio
        assert video["packetsReceived"] > 150 and video["frames"] > 90, video
        assert video["keyframes"] >= 1, video
        assert video["width"] == 320 and video["height"] == 240, video
        assert video["incompleteFrames"] <= 1 and video["freezes"] == 0, video
        assert video["senderReports"] >= 2 and audio["senderReports"] >= 2, report
        # The publisher's side of the same connection.
        publisher = publishers.get(report["participant"])
        assert publisher, f"bot saw {report['participant']}, publisher was {list(publishers)}"
        assert [c["connected"] for c in publisher["connections"]] == [True], publisher
        streams = {s["kind"]: s for s in publisher["connections"][0]["streams"]}
        assert streams["video"]["ssrc"] == video["ssrc"] and streams["audio"]["ssrc"] == audio["ssrc"], publisher
        assert streams["video"]["rtxSSRC"] is not None, "RTX was negotiated"
        assert streams["video"]["senderReportsSent"] >= video["senderReports"], publisher
    assert summary["keyframesEncoded"] >= 1, summary


def test_bot_joins_after_the_publishers_and_offers(signal_server):
    publish = start_publish(signal_server.url, "publish-first", 12, 2, "--size", "320x240", "--bitrate", "300")
    wait_until_published(publish, 2)
    bot = start_join(signal_server.url, "publish-first", 8, "--include-loopback")
    returncode, reports, bot_stderr = finish(bot)
    summary, publish_stderr = finish_publish(publish)
    assert_bot_received_each_publisher(reports, summary, bot_stderr, publish_stderr, 2)
    assert returncode == 0, bot_stderr[-3000:]


def test_publishers_join_after_the_bot_and_offer(signal_server):
    bot = start_join(signal_server.url, "bot-first", 10, "--include-loopback")
    wait_until_joined(bot)
    publish = start_publish(signal_server.url, "bot-first", 9, 2, "--size", "320x240", "--bitrate", "300")
    returncode, reports, bot_stderr = finish(bot)
    summary, publish_stderr = finish_publish(publish)
    assert_bot_received_each_publisher(reports, summary, bot_stderr, publish_stderr, 2)
    assert returncode == 0, bot_stderr[-3000:]


@pytest.mark.parametrize("publisher_first", [True, False], ids=["chromium-offers", "publisher-offers"])
def test_chromium_decodes_the_test_pattern(signal_server, web_origin, chromium, publisher_first):
    page_url = f"{web_origin}/relay-client.html?room=chromium-watches&signaling={signal_server.url}&media=none"
    page = chromium()
    if publisher_first:
        publish = start_publish(signal_server.url, "chromium-watches", 12, 1, "--size", "320x240")
        wait_until_published(publish, 1)
        page.get(page_url)
    else:
        page.get(page_url)
        assert wait_for(lambda: "joined and offered" in " ".join(page.execute_script("return window.relay.log")), 15)
        publish = start_publish(signal_server.url, "chromium-watches", 12, 1, "--size", "320x240")

    def decoding():
        stats = page.execute_script("return window.relay.inboundStats()")
        video = stats.get("video", {})
        return stats if video.get("framesDecoded", 0) >= 150 and stats.get("audio", {}).get("totalSamplesReceived", 0) > 0 else None
    stats = wait_for(decoding, 11, interval=0.5)
    summary, publish_stderr = finish_publish(publish)
    log = page.execute_script("return window.relay.log")
    assert stats, f"{page.execute_script('return window.relay.inboundStats()')}\npage: {log}\npublish: {publish_stderr[-2000:]}"
    video, audio = stats["video"], stats["audio"]
    assert video["codec"] == "video/VP8" and audio["codec"] == "audio/opus", stats
    assert video["frameWidth"] == 320 and video["frameHeight"] == 240, video
    assert video["keyFramesDecoded"] >= 1, video
    [participant] = summary["participants"]
    assert [c["connected"] for c in participant["connections"]] == [True], participant


def test_publisher_repairs_real_loss_with_retransmissions(lossy_rig, tmp_path):
    """The publisher in a network namespace that loses 5% of the UDP it sends (kernel drops,
    netns.py), the bot outside: the bot's NACKs come back as RTX retransmissions, so hardly any
    video is lost for good (Opus takes no NACK: its losses stay gaps)."""
    rig = lossy_rig(5)
    log_path = tmp_path / "publish.log"
    with open(log_path, "w") as log:
        publish = rig.netns.popen([tapedeck_binary(), "publish", "--signaling", rig.signal.url, "--room", "lossy",
                                   "--duration", "16", "--size", "320x240", "--bitrate", "500", "--json",
                                   "--log-level", "info"], stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        assert wait_for(lambda: "joined the room" in log_path.read_text(), 20), log_path.read_text()[-2000:]
        bot = rig.start_bot("lossy", 12, tmp_path / "bot.log")
        bot_out, _ = bot.communicate(timeout=60)
        publish_out, _ = publish.communicate(timeout=60)
    finally:
        if publish.poll() is None:
            publish.kill()
            publish.wait()
    bot_log, publish_log = (tmp_path / "bot.log").read_text(), log_path.read_text()
    context = f"\nbot: {bot_log[-2000:]}\npublish: {publish_log[-2000:]}"
    assert bot.returncode == 0 and publish.returncode == 0, f"{bot_out}{publish_out}{context}"
    dropped = rig.netns.counters()
    assert 2.0 <= dropped["percent"] <= 9.0, dropped
    # Both sides' whole reports, for a failure below: what was sent against what arrived.
    context += f"\nbot report: {bot_out}\npublish report: {publish_out}"

    [report] = json.loads(bot_out)
    video = next(s for s in report["streams"] if s["codec"] == "VP8")
    assert video["nacksSent"] > 0 and video["packetsRecovered"] > 10, f"{video}{context}"
    assert video["packetsLost"] <= video["packetsReceived"] * 0.005, video
    assert video["rtxSSRC"] is not None, "retransmissions came on the negotiated RTX stream"
    [participant] = json.loads(publish_out)["participants"]
    [connection] = participant["connections"]
    sent = next(s for s in connection["streams"] if s["kind"] == "video")
    assert sent["nacksReceived"] > 0 and sent["retransmissionsSent"] >= video["packetsRecovered"], sent
    assert sent["retransmissionsMissed"] == 0, sent
    assert sent["fractionLost"] is not None, "the bot's receiver reports reached the publisher"
