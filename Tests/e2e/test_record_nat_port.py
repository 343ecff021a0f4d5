"""One UDP port for every peer (`--rtc-udp-port`, default 7882) and an announced public address
(`--public-ip`), on a real NAT (netns_rigs.ForwardedPortRig): the recorder sits behind a NAT that
forwards only that one port to it, with no STUN server, so the address it announces is the only
way in, and the recorder may not open UDP flows outwards. Chromium outside is recorded; then
three `tapedeck publish` participants at once, all through that one port, while the recorder holds
one media socket (`ss -uanp`)."""
import json
import time

from media_checks import decode_errors, manifest_files, probe
from peers import wait_for, wait_until_joined

PORT = 7882  # the default: the recorder is not told


def finish(recorder, timeout: float = 90) -> dict:
    stdout, stderr = recorder.communicate(timeout=timeout)
    assert recorder.returncode == 0, f"exit {recorder.returncode}: {stderr[-3000:]}"
    return json.loads(stdout)


def media_sockets(rig, pid: int) -> tuple[list[str], list[str]]:
    """The recorder's UDP sockets: those for media, and its multicast DNS listener (port 5353,
    which only hears answers about peers' `.local` names)."""
    sockets = rig.udp_sockets(pid)
    return [s for s in sockets if not s.endswith(":5353")], [s for s in sockets if s.endswith(":5353")]


def assert_through_the_forwarded_port(rig, manifest: dict, participants: int):
    outside = f"{rig.nat.outside}:{PORT}"
    connections = [c for p in manifest["participants"] for c in p["connections"]]
    assert len(connections) == participants, manifest["participants"]
    for connection in connections:
        # Our side of every pair, as the participant saw it, is the announced host candidate.
        assert connection["connected"] and connection["selectedPair"].startswith(f"host {outside} <-> "), connection
    files = manifest_files(manifest)
    assert len(files) == participants, files
    return files


def test_chromium_outside_records_through_the_one_forwarded_port(forwarded_port_rig, tmp_path):
    rig = forwarded_port_rig(PORT)
    unreachable = rig.public.exec("ip", "route", "get", rig.private.inner, check=False)
    assert unreachable.returncode != 0, f"Chromium's namespace can reach the recorder's address: {unreachable.stdout}"
    out = tmp_path / "recording"
    recorder = rig.start_recorder("forwarded", out, "--duration", "12")
    wait_until_joined(recorder)
    page = rig.participant()
    page.get(rig.page_url("forwarded"))
    assert wait_for(lambda: page.execute_script("return window.relay.connectionState") == "connected", 20), \
        page.execute_script("return window.relay.log")
    media, multicast_dns = media_sockets(rig, recorder.pid)
    chromium_pair = page.execute_script("return await window.relay.outboundVideoStats()")["pair"] or {}
    manifest = finish(recorder)
    print(f"recorder sockets {media} + {multicast_dns}; Chromium pair {chromium_pair}; NAT {rig.nat.counters()}")

    assert media == [f"{rig.private.inner}:{PORT}"], media
    assert len(multicast_dns) <= 1, multicast_dns
    # Chromium paired the address the recorder announced (or learned it from the checks
    # before the trickled candidate came; getStats then shows the port only).
    assert chromium_pair.get("remote") in (f"host udp {rig.nat.outside}:{PORT}", f"prflx udp {rig.nat.outside}:{PORT}",
                                           f"prflx udp :{PORT}"), chromium_pair
    assert manifest["state"] == "finished", manifest
    [(_, _, file)] = assert_through_the_forwarded_port(rig, manifest, 1)
    path = out / file["path"]
    assert decode_errors(path) == ""
    assert {s["codec_type"]: s["codec_name"] for s in probe(path)["streams"]} == {"video": "vp8", "audio": "opus"}
    assert rig.nat.counters()["forwarded"] > 0, "nothing came in through the port forward"


def test_three_participants_at_once_share_the_one_port(forwarded_port_rig, tmp_path):
    """Three `tapedeck publish` participants (Chromium's test page would take any participant's
    answer to its offer, not necessarily the recorder's, in a room of four)."""
    rig = forwarded_port_rig(PORT)
    out = tmp_path / "recording"
    recorder = rig.start_recorder("three", out, "--duration", "14")
    wait_until_joined(recorder)
    rig.start_publisher("three", "--count", "3", "--name", "speaker", "--duration", "40", "--size", "320x240",
                        "--bitrate", "300")
    # The socket table while all three are connected (they joined within a few seconds).
    time.sleep(8)
    media, multicast_dns = media_sockets(rig, recorder.pid)
    manifest = finish(recorder)
    print(f"recorder sockets {media} + {multicast_dns}; NAT {rig.nat.counters()}")

    assert media == [f"{rig.private.inner}:{PORT}"], media
    assert len(multicast_dns) <= 1, multicast_dns
    assert manifest["state"] == "finished", manifest
    files = assert_through_the_forwarded_port(rig, manifest, 3)
    assert sorted(participant for participant, _, _ in files) == ["speaker-1", "speaker-2", "speaker-3"], files
    for _, _, file in files:
        path = out / file["path"]
        assert decode_errors(path) == "", file["path"]
        assert {s["codec_type"]: s["codec_name"] for s in probe(path)["streams"]} == {"video": "vp8", "audio": "opus"}
    # Each participant came in through the forward: three flows, one port.
    assert rig.nat.counters()["forwarded"] >= 3, rig.nat.counters()
