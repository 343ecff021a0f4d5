"""TURN over TCP and over TLS (`turn:…?transport=tcp`, `turns:`), where no UDP passes between the
bot and anyone (netns_rigs.UdpBlockedRig): the bot allocates its relay on a real coturn over a
stream, Chromium reaches the relay over UDP as usual, and the recording decodes. A `turns:`
server whose certificate is not trusted fails with the reason named."""
import json
import time

import pytest

from jobs_service import Serve
from media_checks import decode_errors, manifest_files, probe
from peers import wait_for, wait_until_joined


def turn_arguments(rig, transport: str) -> list[str]:
    url = rig.turn.tcp_url if transport == "tcp" else rig.turn.tls_url
    return ["--turn", url, "--turn-user", "test", "--turn-pass", "test"]


@pytest.mark.parametrize("transport", ["tcp", "tls"])
def test_records_chromium_through_a_relay_allocated_over_a_stream_when_no_udp_passes(udp_blocked_rig, tmp_path, transport):
    rig = udp_blocked_rig()
    out = tmp_path / "recording"
    recorder = rig.start_recorder(f"stream-{transport}", out, "--duration", "12", *turn_arguments(rig, transport),
                                  "--turn-tls-ca-file", rig.certificate_file)
    wait_until_joined(recorder)
    page = rig.participant()
    page.get(rig.page_url(f"stream-{transport}"))
    assert wait_for(lambda: page.execute_script("return window.relay.connectionState") == "connected", 30), \
        page.execute_script("return window.relay.log")
    stdout, stderr = recorder.communicate(timeout=90)
    assert recorder.returncode == 0, f"exit {recorder.returncode}: {stderr[-3000:]}"
    manifest = json.loads(stdout)
    dropped = rig.netns.counters()["dropped"], rig.udp_dropped_inside()
    pairs = [c["selectedPair"] for p in manifest["participants"] for c in p["connections"]]
    print(f"{transport}: UDP dropped from the bot {dropped[0]}, towards it {dropped[1]}; selected {pairs}")

    assert manifest["state"] == "finished", manifest
    [connection] = [c for p in manifest["participants"] for c in p["connections"]]
    # The host pair was tried and blocked; what connected is the relay.
    assert connection["connected"] and connection["selectedPair"].startswith(f"relay {rig.netns.outer}:"), connection
    assert dropped[0] > 0 and dropped[1] > 0, "the firewall dropped nothing: was UDP ever tried?"
    assert "no TURN relay" not in stderr, stderr[-3000:]
    [(_, _, file)] = manifest_files(manifest)
    path = out / file["path"]
    assert decode_errors(path) == ""
    streams = probe(path)["streams"]
    assert {s["codec_type"]: s["codec_name"] for s in streams} == {"video": "vp8", "audio": "opus"}
    assert float(probe(path)["format"]["duration"]) > 5


def test_a_job_whose_ice_servers_name_a_turns_server_records_chromium_when_no_udp_passes(udp_blocked_rig, tmp_path):
    rig = udp_blocked_rig()
    serve = Serve(tmp_path / "data", "--turn-tls-ca-file", rig.certificate_file, netns=rig.netns)
    try:
        job = serve.create(room="job-tls", signaling_url=rig.signal.url, recipe="webm", max_duration_s=12,
                           ice_servers=[{"urls": [rig.turn.tls_url], "username": "test", "credential": "test"}])
        assert wait_for(lambda: "joined the room" in serve.logs(), 30), serve.logs()[-3000:]
        page = rig.participant()
        page.get(rig.page_url("job-tls"))
        assert wait_for(lambda: page.execute_script("return window.relay.connectionState") == "connected", 30), \
            page.execute_script("return window.relay.log")
        done = serve.wait_for_state(job["id"], {"completed", "failed"}, timeout=60)
        assert done["state"] == "completed", (done, serve.logs()[-3000:])
        manifest = json.loads((tmp_path / "data" / done["output_directory"] / "manifest.json").read_text())
        pairs = [c["selectedPair"] for p in manifest["participants"] for c in p["connections"]]
        assert len(pairs) == 1 and pairs[0].startswith(f"relay {rig.netns.outer}:"), pairs
        [(_, _, file)] = manifest_files(manifest)
        path = tmp_path / "data" / done["output_directory"] / file["path"]
        assert decode_errors(path) == ""
        assert {s["codec_type"] for s in probe(path)["streams"]} == {"video", "audio"}
    finally:
        serve.terminate()


def test_an_untrusted_turns_certificate_fails_naming_certificate_verification(udp_blocked_rig, tmp_path):
    rig = udp_blocked_rig()
    recorder = rig.start_recorder("untrusted", tmp_path / "recording", "--duration", "15", "--relay-only",
                                  *turn_arguments(rig, "tls"))  # no --turn-tls-ca-file: coturn's certificate is self-signed
    wait_until_joined(recorder)
    page = rig.participant()
    page.get(rig.page_url("untrusted"))
    seen, deadline = [], time.monotonic() + 30
    while time.monotonic() < deadline:
        line = recorder.stderr.readline()
        seen.append(line)
        if "connection failed" in line or (not line and recorder.poll() is not None):
            break
    recorder.kill()
    recorder.wait()
    log = "".join(seen)
    warning = next((line for line in seen if "no TURN relay" in line), "")
    failure = next((line for line in seen if "connection failed" in line), "")
    # Both name the server and what TLS said.
    for line in (warning, failure):
        assert "certificate verification failed" in line and f"{rig.netns.outer}:{rig.turn.tls_port}" in line, log[-3000:]
    assert page.execute_script("return window.relay.connectionState") != "connected"
