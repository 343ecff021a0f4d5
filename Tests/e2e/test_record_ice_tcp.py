"""ICE-TCP (RFC 6544; `--rtc-tcp-port 7881`; off by default): the bot in a namespace where no UDP passes
either way and there is no TURN server (netns_rigs.UdpBlockedRig(turn=False)). Chromium outside
connects to the bot's passive TCP candidate with its active ones; the recording runs over that
connection (RFC 4571 frames), through the one listening TCP socket, and decodes."""
import json

from media_checks import decode_errors, manifest_files, probe
from peers import wait_for, wait_until_joined

TCP_PORT = 7881  # the port to publish; ICE-TCP is off unless asked for


def test_records_chromium_over_ice_tcp_when_no_udp_passes(udp_blocked_rig, tmp_path):
    rig = udp_blocked_rig(turn=False)
    out = tmp_path / "recording"
    recorder = rig.start_recorder("ice-tcp", out, "--duration", "12", "--rtc-tcp-port", str(TCP_PORT))
    wait_until_joined(recorder)
    page = rig.participant()
    page.get(rig.page_url("ice-tcp"))
    assert wait_for(lambda: page.execute_script("return window.relay.connectionState") == "connected", 30), \
        page.execute_script("return window.relay.log")
    sockets = rig.tcp_sockets(recorder.pid)
    chromium_pair = page.execute_script("return await window.relay.outboundVideoStats()")["pair"] or {}
    stdout, stderr = recorder.communicate(timeout=90)
    assert recorder.returncode == 0, f"exit {recorder.returncode}: {stderr[-3000:]}"
    manifest = json.loads(stdout)
    dropped = rig.netns.counters()["dropped"], rig.udp_dropped_inside()
    print(f"UDP dropped from the bot {dropped[0]}, towards it {dropped[1]}; bot TCP sockets {sockets}; "
          f"Chromium pair {chromium_pair}")

    # One listening socket, on the port; the media connection is an accepted one on it.
    listening = [local for state, local, _ in sockets if state == "LISTEN"]
    assert listening == [f"{rig.netns.inner}:{TCP_PORT}"], sockets
    assert any(state == "ESTAB" and local == f"{rig.netns.inner}:{TCP_PORT}" for state, local, _ in sockets), sockets
    assert chromium_pair.get("remote") in (f"host tcp {rig.netns.inner}:{TCP_PORT}",), chromium_pair

    assert manifest["state"] == "finished", manifest
    [connection] = [c for p in manifest["participants"] for c in p["connections"]]
    # UDP was tried both ways and blocked; what connected is the TCP pair.
    assert connection["connected"], connection
    assert connection["selectedPair"].startswith(f"host {rig.netns.inner}:{TCP_PORT} tcp passive <-> "), connection
    assert connection["selectedPair"].endswith(" tcp active"), connection
    assert dropped[0] > 0 and dropped[1] > 0, "the firewall dropped nothing: was UDP ever tried?"
    [(_, _, file)] = manifest_files(manifest)
    path = out / file["path"]
    assert decode_errors(path) == ""
    assert {s["codec_type"]: s["codec_name"] for s in probe(path)["streams"]} == {"video": "vp8", "audio": "opus"}
    assert float(probe(path)["format"]["duration"]) > 5


def test_rtc_tcp_port_0_offers_no_tcp_candidate(udp_blocked_rig, tmp_path):
    """Without the TCP port the bot has no way in here: Chromium never connects."""
    rig = udp_blocked_rig(turn=False)
    recorder = rig.start_recorder("no-tcp", tmp_path / "recording", "--duration", "10", "--rtc-tcp-port", "0")
    wait_until_joined(recorder)
    page = rig.participant()
    page.get(rig.page_url("no-tcp"))
    assert not wait_for(lambda: page.execute_script("return window.relay.connectionState") == "connected", 8)
    assert [s for s in rig.tcp_sockets(recorder.pid) if s[0] == "LISTEN"] == []
    recorder.kill()
    recorder.wait()
