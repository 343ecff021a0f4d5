"""The raw capture (docs/capture.md): every connection's decrypted RTP, RTCP and session
descriptions kept as pcapng beside the recording's files. Read back by a strict reader of our
own (pcapng.py) and by tshark, Wireshark's: the packets are all there, dissected as RTP, RTCP and
SDP, stamped with their arrival; a recorder killed mid-call leaves a capture readable to within a
second of the kill."""
import json
import os
import signal
import subprocess
import time

from media_checks import manifest_time
from pcapng import read
from peers import tapedeck_binary, terminate
from test_record_chromium import finish, known_content, start_record, wait_until_joined


def tshark(path, *fields: str, display_filter: str) -> list[list[str]]:
    result = subprocess.run(["tshark", "-r", str(path), "-Y", display_filter, "-T", "fields", *(a for f in fields for a in ("-e", f))],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return [line.split("\t") for line in result.stdout.splitlines()]


def publisher(signal_url: str, room: str, name: str, seconds: int) -> subprocess.Popen:
    return subprocess.Popen([str(tapedeck_binary()), "publish", "--signaling", signal_url, "--room", room, "--name", name,
                             "--duration", str(seconds), "--size", "320x240", "--bitrate", "300"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def record_chromium_and_a_publisher(signal_server, web_origin, chromium, tmp_path, room: str, out) -> dict:
    """12 s of `tapedeck record` (webm, capture on) of a Chromium participant ("browser") sending
    the red camera and the tone, and of a `tapedeck publish` participant ("speaker"); the manifest."""
    recorder = start_record(signal_server.url, room, out, "--duration", "12")
    wait_until_joined(recorder)
    speaker = publisher(signal_server.url, room, "speaker", 30)
    try:
        page = chromium(*known_content(tmp_path))
        # The page has one peer connection and the publisher calls everyone: it talks to the bot only.
        page.get(f"{web_origin}/relay-client.html?room={room}&name=browser&peer=tapedeck-recorder&signaling={signal_server.url}")
        return finish(recorder)
    finally:
        terminate(speaker)


def test_every_packet_of_chromium_and_a_publisher_is_in_their_captures(signal_server, web_origin, chromium, tmp_path):
    out = tmp_path / "recording"
    manifest = record_chromium_and_a_publisher(signal_server, web_origin, chromium, tmp_path, "captured", out)
    started, ended = manifest_time(manifest["startedAt"]), manifest_time(manifest["endedAt"])
    connections = [(participant, connection) for participant in manifest["participants"]
                   for connection in participant["connections"]]
    assert len(connections) == 2, manifest["participants"]
    for participant, connection in connections:
        capture = connection["capture"]
        assert capture["finished"] and capture["packetsDropped"] == 0 and "error" not in capture, capture
        path = out / capture["path"]
        assert path.suffix == ".pcapng" and path.stat().st_size == capture["bytes"], capture
        interface, packets, cut = read(path.read_bytes())
        assert cut is None
        assert interface[2].decode() == connection["id"]
        assert len(packets) == capture["packets"]

        # The negotiation first (the peer's offer in, our answer out), then media.
        descriptions = [p for p in packets if p.dissector == "sdp"]
        assert [(p.comment, p.direction) for p in descriptions[:2]] == [("offer", 1), ("answer", 2)], descriptions[:2]
        assert packets[0].dissector == "sdp" and descriptions[0].data.startswith(b"v=0")
        rtp = [p for p in packets if p.dissector == "rtp"]
        rtcp = [p for p in packets if p.dissector == "rtcp"]
        assert len(rtp) + len(rtcp) + len(descriptions) == len(packets)
        # Every RTP packet the streams counted is in the capture, decrypted (version 2, an SSRC
        # the manifest knows).
        streams = [stream for segment in participant["segments"] for file in segment["files"]
                   for track in file["tracks"] for stream in track["streams"]]
        streams += participant["unrecordedStreams"]
        ssrcs = {stream["ssrc"] for stream in streams}
        assert all(p.data[0] >> 6 == 2 for p in rtp + rtcp)
        captured_ssrcs = {int.from_bytes(p.data[8:12], "big") for p in rtp}
        # Chromium's retransmission (RTX) stream carries its bandwidth probes: an SSRC its offer
        # names, not one of the media streams.
        offered = {int(line.split()[0].split(":")[1]) for line in descriptions[0].data.decode().splitlines()
                   if line.startswith("a=ssrc:")}
        assert ssrcs <= captured_ssrcs <= ssrcs | offered, (captured_ssrcs, ssrcs, offered)
        media = [p for p in rtp if int.from_bytes(p.data[8:12], "big") in ssrcs]
        received = sum(stream["packetsReceived"] for stream in streams)
        assert received > 300 and abs(len(media) - received) <= 0.01 * received, (len(media), received)
        # Stamped with their arrival: in order, inside the recording.
        times = [p.time for p in packets]
        assert times == sorted(times)
        assert started - 1 <= times[0] and times[-1] <= ended + 1, (started, times[0], times[-1], ended)

        # Wireshark reads the same file: RTP with its sequence numbers, RTCP, and the SDP.
        dissected = tshark(path, "rtp.ssrc", "rtp.seq", display_filter="rtp")
        assert len(dissected) == len(rtp)
        assert {int(ssrc, 16) for ssrc, _ in dissected} == captured_ssrcs
        assert len(tshark(path, "rtcp.pt", display_filter="rtcp")) == len(rtcp) > 0
        offers = tshark(path, "frame.comment", "sdp.owner", display_filter="sdp")
        assert [comment for comment, _ in offers[:2]] == ["offer", "answer"], offers


def killed_recording(signal_server, out) -> float:
    """A recorder of one `tapedeck publish` participant ("speaker") killed with SIGKILL after
    about 9 s, its folder `out`; when it was killed."""
    recorder = start_record(signal_server.url, "killed", out, "--duration", "60")
    wait_until_joined(recorder)
    speaker = publisher(signal_server.url, "killed", "speaker", 60)
    try:
        time.sleep(9)
        killed_at = time.time()
        os.kill(recorder.pid, signal.SIGKILL)
        recorder.wait(timeout=10)
    finally:
        terminate(speaker)
    return killed_at


def test_a_killed_recorder_leaves_a_capture_readable_to_within_a_second_of_the_kill(signal_server, tmp_path):
    out = tmp_path / "recording"
    killed_at = killed_recording(signal_server, out)
    [partial] = list(out.glob(".*.pcapng.partial"))
    assert partial.name == ".speaker.pcapng.partial"
    interface, packets, cut = read(partial.read_bytes())
    # What is there reads cleanly (at worst the last block is cut short) and reaches the kill.
    assert [p.dissector for p in packets[:2]] == ["sdp", "sdp"]
    assert sum(p.dissector == "rtp" for p in packets) > 200
    assert killed_at - 1.0 <= packets[-1].time <= killed_at, (killed_at, packets[-1].time, cut)
    # The manifest written while recording listed it under its temporary name.
    manifest = json.loads((out / "manifest.json").read_text())
    [capture] = [connection["capture"] for participant in manifest["participants"] for connection in participant["connections"]]
    assert capture["path"] == "speaker.pcapng" and capture["temporaryPath"] == ".speaker.pcapng.partial" and not capture["finished"]
