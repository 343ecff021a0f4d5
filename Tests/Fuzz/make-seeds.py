#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (Tests/Fuzz/Corpus/<target>/) from the repository's own
fixtures and test vectors, so the seeds can be rebuilt and reviewed rather than taken on trust.

Run from the repository root: python3 Tests/Fuzz/make-seeds.py. Needs only the standard library
and, for the DTLS seeds, the openssl command. Deterministic apart from the DTLS handshake bytes.
"""
import hashlib
import re
import shutil
import socket
import struct
import subprocess
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "Tests/Fuzz/Corpus"
RTC_TESTS = ROOT / "Tests/RTCTests"


def write(target, data, name=None):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    name = name or hashlib.sha1(data).hexdigest()[:16]
    (folder / name).write_bytes(data)


def message(flags, data):
    """One message of the harness's multi-message format (Tests/Fuzz/tapedeck-fuzz/FuzzInput.swift)."""
    return struct.pack(">HB", len(data), flags) + data


def hex_literals(path):
    """Byte strings written as hex in a Swift test: one string literal, several joined with `+`,
    or a multi-line literal; only literals made of hex digits and spaces count."""
    text = path.read_text()
    found = []
    for block in re.findall(r'"""(.*?)"""', text, re.S):
        digits = re.sub(r"\s", "", block)
        if digits and re.fullmatch(r"(?:[0-9a-fA-F]{2})+", digits):
            found.append(bytes.fromhex(digits))
    for run in re.findall(r'(?:"[0-9a-fA-F ]+"\s*(?:\+\s*)?)+', text):
        digits = "".join(re.findall(r'"([0-9a-fA-F ]+)"', run)).replace(" ", "")
        if len(digits) >= 16 and len(digits) % 2 == 0:
            found.append(bytes.fromhex(digits))
    return found


def rtpdump(path):
    data = path.read_bytes()
    offset = data.index(b"\n") + 1 + 16
    packets = []
    while offset + 8 <= len(data):
        length, packet_length, _ = struct.unpack(">HHI", data[offset:offset + 8])
        if packet_length:
            packets.append(data[offset + 8:offset + 8 + packet_length])
        offset += length
    return packets


def rtp_payload(packet):
    csrcs = packet[0] & 0x0F
    offset = 12 + 4 * csrcs
    if packet[0] & 0x10:
        words = struct.unpack(">H", packet[offset + 2:offset + 4])[0]
        offset += 4 + 4 * words
    end = len(packet) - (packet[-1] if packet[0] & 0x20 else 0)
    return packet[offset:end], bool(packet[1] & 0x80), struct.unpack(">I", packet[4:8])[0]


def stream(packets, start, count):
    """Consecutive packets as the depacketizer harness's messages: marker and new-timestamp flags."""
    out = b""
    previous = None
    for packet in packets[start:start + count]:
        payload, marker, timestamp = rtp_payload(packet)
        flags = (1 if marker else 0) | (2 if previous is not None and timestamp != previous else 0)
        previous = timestamp
        out += message(flags, payload)
    return out


def ivf_frames(path):
    data = path.read_bytes()
    offset = struct.unpack("<H", data[6:8])[0]
    frames = []
    while offset + 12 <= len(data):
        size = struct.unpack("<I", data[offset:offset + 4])[0]
        frames.append(data[offset + 12:offset + 12 + size])
        offset += 12 + size
    return frames


def vp9_stream(frames):
    """VP9 payloads with the descriptor Chromium sends: 7-bit PictureID, B/E bits, and the
    scalability structure (640x480) on a keyframe's first packet."""
    out = b""
    for index, frame in enumerate(frames):
        keyframe = index == 0
        chunks = [frame[i:i + 900] for i in range(0, len(frame), 900)] or [b""]
        for number, chunk in enumerate(chunks):
            first, last = number == 0, number == len(chunks) - 1
            bits = 0x80 | (0 if keyframe else 0x40) | (0x08 if first else 0) | (0x04 if last else 0)
            descriptor = bytes([bits | (0x02 if keyframe and first else 0), index & 0x7F])
            if keyframe and first:
                descriptor += bytes([0x10]) + struct.pack(">HH", 640, 480)
            out += message((1 if last else 0) | (2 if first and index else 0), descriptor + chunk)
    return out


def stun(msg_type, transaction, attributes, fingerprint=True):
    body = b""
    for attr_type, value in attributes:
        body += struct.pack(">HH", attr_type, len(value)) + value + b"\0" * (-len(value) % 4)
    header = struct.pack(">HHI", msg_type, len(body) + (8 if fingerprint else 0), 0x2112A442) + transaction
    data = header + body
    if fingerprint:
        crc = zlib.crc32(data) ^ 0x5354554E
        data += struct.pack(">HHI", 0x8028, 4, crc)
    return data


def xor_address(ip, port, transaction):
    cookie = struct.pack(">I", 0x2112A442)
    raw = socket.inet_aton(ip)
    return struct.pack(">BBH", 0, 1, port ^ 0x2112) + bytes(a ^ b for a, b in zip(raw, cookie))


def stun_and_turn():
    for vector in hex_literals(RTC_TESTS / "StunMessageTests.swift"):
        write("stun", vector)
    tid = bytes(range(1, 13))
    unauthorized = stun(0x0113, tid, [(0x0009, b"\0\0\x04\x01Unauthorized"), (0x0014, b"tapedeck.test"),
                                      (0x0015, b"nonce-1234567890")])
    allocated = stun(0x0103, tid, [(0x0016, xor_address("198.51.100.3", 49152, tid)),
                                   (0x0020, xor_address("10.0.0.2", 50000, tid)),
                                   (0x000D, struct.pack(">I", 600)), (0x8022, b"coturn")])
    permitted = stun(0x0108, tid, [])
    refreshed = stun(0x0104, tid, [(0x000D, struct.pack(">I", 600))])
    stale = stun(0x0114, tid, [(0x0009, b"\0\0\x04\x26Stale Nonce"), (0x0015, b"nonce-2")])
    check = stun(0x0001, tid, [(0x0006, b"rec1:peer"), (0x0024, struct.pack(">I", 0x6E0001FF)),
                               (0x802A, bytes(8)), (0x0025, b"")], fingerprint=False)
    data_indication = stun(0x0017, tid, [(0x0012, xor_address("203.0.113.7", 40000, tid)),
                                         (0x0013, check)])
    success = stun(0x0101, tid, [(0x0020, xor_address("203.0.113.7", 40000, tid))], fingerprint=False)
    for seed in (unauthorized, allocated, permitted, refreshed, stale, data_indication, check):
        write("stun", seed)
    # The conversation an ICE agent with a TURN server has: flags 2 copy the agent's transaction
    # id, 4 re-sign, 1 sends from the peer (see TURNFuzz.swift).
    write("turn", message(2, unauthorized) + message(2 | 4, allocated) + message(2, permitted)
          + message(0, data_indication) + message(1 | 4, check) + message(1 | 2 | 4, success))
    write("turn", message(2, unauthorized) + message(2 | 4, allocated) + message(0x50 | 2, refreshed)
          + message(2, stale) + message(0xF0, b""))
    write("turn", message(1 | 4, check) + message(1 | 2 | 4, success) + message(0x30, b"\x40\x00\x00\x04abcd"))


def rtp_and_depacketizers():
    fixtures = RTC_TESTS / "Fixtures/rtp"
    captures = {codec: rtpdump(fixtures / f"chromium-{codec}.rtpdump") for codec in ("vp8", "opus", "h264")}
    for codec, packets in captures.items():
        for index in (0, 1, 2, len(packets) // 2, len(packets) - 1):
            write("rtp", packets[index][:400])
        for start in (0, len(packets) // 3, 2 * len(packets) // 3):
            write(codec, stream(packets, start, 10 if codec != "opus" else 4))
    write("vp9", vp9_stream(ivf_frames(fixtures / "ffmpeg-testsrc-640x480.vp9.ivf")[:3]))
    write("vp9", vp9_stream(ivf_frames(fixtures / "ffmpeg-testsrc-640x480.vp9.ivf")[:1]))
    keyframe = bytes.fromhex("82 49 83 42 00 27 f0 1d f6 10 38 24".replace(" ", ""))
    write("vp9", message(1, bytes.fromhex("8e0310050002d0") + keyframe))


def rtcp():
    seen = set()
    for path in sorted((RTC_TESTS / "RTCP").glob("*.swift")):
        for vector in hex_literals(path):
            if vector[:1] and vector[0] >> 6 == 2 and vector not in seen:
                seen.add(vector)
                write("rtcp", vector)
    vectors = sorted(seen)
    write("rtcp", b"".join(vectors[:4]))


def sdp_and_candidates():
    lines = set()
    for path in sorted((RTC_TESTS / "Fixtures/sdp").glob("*.sdp")):
        text = path.read_text()
        write("sdp", text, path.stem)
        lines.update(line.strip() for line in text.splitlines() if line.startswith("a=candidate:"))
    for line in sorted(lines)[:12]:
        write("candidate", line)
    write("candidate", "candidate:1 1 udp 2122260223 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.local 50000 typ host generation 0 ufrag peer")
    write("candidate", "candidate:3 1 udp 1686052607 203.0.113.1 40000 typ srflx raddr 10.0.0.2 rport 40000")
    write("candidate", "candidate:4 1 tcp 1518280447 10.0.0.2 9 typ host tcptype active")
    write("candidate", "candidate:5 1 udp 16777215 2001:db8::1 3478 typ relay raddr 0.0.0.0 rport 0")


def mdns():
    for vector in hex_literals(RTC_TESTS / "MulticastDNSMessageTests.swift"):
        write("mdns", vector)
    name = b"".join(bytes([len(label)]) + label for label in
                    [b"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", b"local"]) + b"\0"
    answer = struct.pack(">HHHHHH", 0, 0x8400, 0, 1, 0, 0) + name + struct.pack(">HHIH", 1, 0x8001, 120, 4) + bytes([10, 0, 0, 9])
    write("mdns", answer)
    write("mdns", struct.pack(">HHHHHH", 0, 0x8400, 0, 1, 0, 0) + name + struct.pack(">HHIH", 28, 1, 120, 16) + bytes(15) + b"\1")


def signaling():
    offer_sdp = (RTC_TESTS / "Fixtures/sdp/chromium-offer-av.sdp").read_text()
    import json
    sdp = {"type": "offer", "sdp": offer_sdp[:600]}
    client = [
        {"type": "joined", "id": "a1", "peers": ["b2", "c3"], "names": {"b2": "alice"}},
        {"type": "peer-joined", "id": "b2", "name": "alice"},
        {"type": "peer-left", "id": "b2"},
        {"type": "error", "reason": "room is full"},
        {"type": "offer", "sdp": sdp, "from": "b2", "to": "a1"},
        {"type": "answer", "sdp": {"type": "answer", "sdp": "v=0\r\n"}, "from": "b2"},
        {"type": "ice-candidate", "candidate": {"candidate": "candidate:1 1 udp 2122260223 10.0.0.2 50000 typ host",
                                                "sdpMid": "0", "sdpMLineIndex": 0, "usernameFragment": "peer"}, "from": "b2"},
        {"type": "ice-candidate", "candidate": None},
    ]
    for value in client:
        write("signaling-client", json.dumps(value))
    server = [
        {"type": "join", "room": "standup"},
        {"type": "join", "room": "standup", "token": "secret", "name": "recorder"},
        {"type": "offer", "sdp": sdp, "to": "b2", "extra": [1, 2.5, True, None, {"k": "v"}]},
        {"type": "answer", "sdp": {"type": "answer", "sdp": "v=0\r\n"}},
        {"type": "ice-candidate", "candidate": {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}},
        {"type": "joined", "id": "x", "peers": []},
    ]
    for value in server:
        write("signaling-server", json.dumps(value))
    write("signaling-server", "not json")


def api():
    import json
    bodies = [
        {"room": "standup", "signaling_url": "ws://127.0.0.1:8765", "recipe": "webm"},
        {"room": "standup", "signaling_url": "wss://signal.example.com/rooms?x=1", "recipe": "mp4",
         "start_at": "2026-01-01T00:05:00Z", "stop_at": "2026-01-01T01:00:00.250+01:00", "max_duration_s": 3600,
         "stop_when_empty_s": 30, "webhook_url": "https://hooks.example.com/tapedeck",
         "metadata": {"team": "core", "ticket": "42"}, "keep_local": True,
         "storage": "s3://bucket/prefix/{room}"},
        {"room": "", "signaling_url": "http://x", "recipe": "nope", "stop_when_empy_s": 1},
        {"room": "r", "signaling_url": "ws://h", "recipe": "ogg", "max_duration_s": 1e308, "metadata": []},
    ]
    for body in bodies:
        write("api-create", json.dumps(body))
    write("api-create", "[1,2]")
    for query in ("state=running&limit=10", "order=asc&created_after=2026-01-01T00:00:00Z&created_before=2026-02-01T00:00:00.5%2B01:00",
                  "room=stand%20up&cursor=eyJ0IjoxfQ&limit=100", "limit=0&limit=1", "bogus=1", "state=&order=desc&limit=-5"):
        write("api-list-query", query)


def recipes():
    for path in sorted((ROOT / "Recipes").glob("*.yaml")):
        write("recipe", path.read_text(), path.stem)


def dtls():
    """A ClientHello from `openssl s_client -dtls1_2`, and the first flight `openssl s_server`
    answers to it: seeds for the server and the client side of the harness."""
    if shutil.which("openssl") is None:
        print("no openssl: DTLS seeds skipped")
        return
    work = Path("/tmp/tapedeck-dtls-seeds")
    work.mkdir(exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", work / "key.pem", "-out", work / "cert.pem", "-subj", "/CN=seed", "-days", "1"],
                   check=True, capture_output=True)
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(5)
    port = listener.getsockname()[1]
    client = subprocess.Popen(["openssl", "s_client", "-dtls1_2", "-connect", f"127.0.0.1:{port}",
                               "-use_srtp", "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80"],
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hello, _ = listener.recvfrom(2048)
    client.kill()
    listener.close()
    write("dtls", message(0, hello))
    server_port = 0
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("127.0.0.1", 0))
    server_port = probe.getsockname()[1]
    probe.close()
    server = subprocess.Popen(["openssl", "s_server", "-dtls1_2", "-accept", str(server_port), "-cert", work / "cert.pem",
                               "-key", work / "key.pem", "-use_srtp", "SRTP_AEAD_AES_128_GCM", "-quiet"],
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sender.settimeout(3)
    sender.sendto(hello, ("127.0.0.1", server_port))
    flight = b""
    try:
        while True:
            datagram, _ = sender.recvfrom(4096)
            flight += message(1, datagram)
    except socket.timeout:
        pass
    server.kill()
    if flight:
        write("dtls", flight)


def capture():
    """Raw captures as Tapedeck writes them (docs/capture.md): a session's offer and answer, RTP
    and RTCP from the RTP/RTCP seeds; the same cut short; and another tool's big-endian section
    of microsecond timestamps and a link type the renderer skips."""
    def block(kind, body, order="<"):
        return struct.pack(order + "II", kind, len(body) + 12) + body + struct.pack(order + "I", len(body) + 12)

    def option(code, value, order="<"):
        return struct.pack(order + "HH", code, len(value)) + value + b"\0" * (-len(value) % 4)

    def packet(dissector, data, time_ns, direction=1, comment=None):
        name = dissector.encode().ljust(4, b"\0")
        pdu = struct.pack(">HH", 12, 4) + name + b"\0\0\0\0" + data
        options = option(2, struct.pack("<I", direction)) + (option(1, comment.encode()) if comment else b"") + b"\0\0\0\0"
        body = struct.pack("<IIIII", 0, time_ns >> 32, time_ns & 0xFFFFFFFF, len(pdu), len(pdu))
        return block(6, body + pdu + b"\0" * (-len(pdu) % 4) + options)

    header = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + option(4, b"tapedeck") + b"\0\0\0\0")
    header += block(1, struct.pack("<HHI", 252, 0, 0) + option(2, b"peer-1") + option(3, b"alice") + option(9, b"\x09") + b"\0\0\0\0")
    sdp = (ROOT / "Tests/Fuzz/Corpus/sdp").iterdir() if (ROOT / "Tests/Fuzz/Corpus/sdp").exists() else []
    offer = next((path.read_bytes() for path in sorted(sdp)), b"v=0\r\n")
    rtps = [path.read_bytes() for path in sorted((CORPUS / "rtp").iterdir())[:6]] if (CORPUS / "rtp").exists() else []
    rtcps = [path.read_bytes() for path in sorted((CORPUS / "rtcp").iterdir())[:2]] if (CORPUS / "rtcp").exists() else []
    time_ns = 1_796_550_000_000_000_000
    body = packet("sdp", offer, time_ns, 1, "offer") + packet("sdp", offer, time_ns + 1_000, 2, "answer")
    for index, data in enumerate(rtps + rtcps):
        body += packet("rtcp" if data in rtcps else "rtp", data, time_ns + 20_000_000 * (index + 1))
    write("capture", header + body)
    write("capture", (header + body)[: len(header) + len(body) // 2])
    big = block(0x0A0D0D0A, struct.pack(">IHHq", 0x1A2B3C4D, 1, 0, -1), ">")
    big += block(1, struct.pack(">HHI", 101, 0, 0), ">")
    big += block(6, struct.pack(">IIIII", 0, 0, 1_500_000, 8, 8) + bytes([0x45, 0, 0, 20, 1, 2, 3, 4]), ">")
    write("capture", big)


if __name__ == "__main__":
    shutil.rmtree(CORPUS, ignore_errors=True)
    stun_and_turn()
    rtp_and_depacketizers()
    rtcp()
    sdp_and_candidates()
    mdns()
    signaling()
    api()
    recipes()
    dtls()
    capture()  # after rtp and rtcp: it reuses their seeds
    for folder in sorted(CORPUS.iterdir()):
        files = list(folder.iterdir())
        print(f"{folder.name}: {len(files)} seeds, {sum(f.stat().st_size for f in files)} bytes")
