#!/usr/bin/env python3
"""Capture decrypted RTP packets that headless Chromium sends from its fake camera and microphone.

Chromium (driven by selenium) offers send-only audio and video; an aiortc 1.16 receiver in this
same process answers. The SDP travels through selenium (`execute_async_script`), so no signaling
server is needed; a small HTTP server on 127.0.0.1 only gives the page a secure origin, which
getUserMedia requires. aiortc parses every decrypted RTP packet with `RtpPacket.parse` and hands
it to `RTCRtpReceiver._handle_rtp_packet`; both are wrapped so that the raw bytes of each packet
are kept and written out in rtpdump format (rtptools' `#!rtpdump1.0`).

Usage (from the repository, with the project's virtualenv):
    .venv/bin/python capture_chromium_rtp.py OUTPUT_DIR

Writes chromium-vp8.rtpdump and chromium-opus.rtpdump (one call, VP8 + Opus), then
chromium-h264.rtpdump (a second call with H.264 forced by setCodecPreferences), each trimmed to
start at the first keyframe and last about 2 s, and chromium-rtp.json describing them.
"""

import asyncio
import http.server
import json
import os
import struct
import sys
import tempfile
import threading
import time

import aiortc
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.rtcrtpreceiver import RTCRtpReceiver
from aiortc.rtp import RtpPacket
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CAPTURE_SECONDS = 3.0
KEEP_VIDEO_SECONDS = 2.0
KEEP_AUDIO_SECONDS = 2.0
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required",
]

# --- Keeping the raw bytes of every packet aiortc receives -------------------------------------

captured = []  # (arrival seconds, raw packet bytes, payload type, ssrc)
_original_parse = RtpPacket.parse.__func__
_original_handle = RTCRtpReceiver._handle_rtp_packet


def _parse_keeping_bytes(cls, data, *args, **kwargs):
    packet = _original_parse(cls, data, *args, **kwargs)
    packet._tapedeck_raw = bytes(data)
    return packet


async def _handle_and_record(self, packet, arrival_time_ms):
    raw = getattr(packet, "_tapedeck_raw", None)
    if raw is not None:
        captured.append((time.time(), raw, packet.payload_type, packet.ssrc))
    return await _original_handle(self, packet, arrival_time_ms)


RtpPacket.parse = classmethod(_parse_keeping_bytes)
RTCRtpReceiver._handle_rtp_packet = _handle_and_record

# --- The page ----------------------------------------------------------------------------------

PAGE = b"<!doctype html><title>capture</title><body></body>"

OFFER_SCRIPT = """
const done = arguments[arguments.length - 1];
const videoCodec = arguments[0];
(async () => {
  const stream = await navigator.mediaDevices.getUserMedia({audio: true, video: {width: 640, height: 480}});
  const pc = new RTCPeerConnection();
  window.pc = pc;
  for (const track of stream.getTracks()) {
    const transceiver = pc.addTransceiver(track, {direction: 'sendonly', streams: [stream]});
    if (track.kind === 'video') {
      const all = RTCRtpSender.getCapabilities('video').codecs;
      const wanted = all.filter(c => c.mimeType.toLowerCase() === 'video/' + videoCodec.toLowerCase() &&
        (videoCodec !== 'H264' || /packetization-mode=1/.test(c.sdpFmtpLine || '')));
      const rest = all.filter(c => !wanted.includes(c));
      transceiver.setCodecPreferences(wanted.concat(rest.filter(c => /rtx|red|ulpfec/i.test(c.mimeType))));
      // Keep 640x480 from the first frame: the recorder tests expect the camera's size.
      const parameters = transceiver.sender.getParameters();
      parameters.degradationPreference = 'maintain-resolution';
      await transceiver.sender.setParameters(parameters);
    }
  }
  await pc.setLocalDescription(await pc.createOffer());
  if (pc.iceGatheringState !== 'complete') {
    await new Promise(resolve => {
      pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
      setTimeout(resolve, 5000);
    });
  }
  done(pc.localDescription.sdp);
})().catch(e => done('ERROR ' + e));
"""

ANSWER_SCRIPT = """
const done = arguments[arguments.length - 1];
window.pc.setRemoteDescription({type: 'answer', sdp: arguments[0]})
  .then(() => done('ok'), e => done('ERROR ' + e));
"""


class _QuietHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args):
        pass


def start_page_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- One call ----------------------------------------------------------------------------------

async def capture_call(driver, url, video_codec):
    """Runs one Chromium → aiortc call; returns (answer SDP, packets captured during it)."""
    captured.clear()
    driver.get(url)
    offer = await asyncio.to_thread(driver.execute_async_script, OFFER_SCRIPT, video_codec)
    if offer.startswith("ERROR"):
        raise RuntimeError(offer)
    pc = RTCPeerConnection()
    await pc.setRemoteDescription(RTCSessionDescription(sdp=offer, type="offer"))
    await pc.setLocalDescription(await pc.createAnswer())
    answer = pc.localDescription.sdp
    result = await asyncio.to_thread(driver.execute_async_script, ANSWER_SCRIPT, answer)
    if result != "ok":
        raise RuntimeError(result)
    deadline = time.time() + 15
    while not captured and time.time() < deadline:
        await asyncio.sleep(0.05)
    if not captured:
        raise RuntimeError("no RTP arrived (connection state %s)" % pc.connectionState)
    await asyncio.sleep(CAPTURE_SECONDS)
    packets = list(captured)
    await pc.close()
    return answer, packets


def negotiated_payload_types(answer):
    """payload type -> 'name/clock[/channels]' and its fmtp, from the answer's first format of each m= line."""
    result = {}
    kind = None
    first = {}
    for line in answer.splitlines():
        if line.startswith("m="):
            fields = line.split()
            kind = fields[0][2:]
            first[kind] = int(fields[3])
        elif line.startswith("a=rtpmap:") and kind:
            pt, encoding = line[len("a=rtpmap:"):].split(" ", 1)
            if int(pt) == first[kind]:
                result[kind] = {"payloadType": int(pt), "encoding": encoding}
        elif line.startswith("a=fmtp:") and kind:
            pt, parameters = line[len("a=fmtp:"):].split(" ", 1)
            if int(pt) == first[kind]:
                result[kind]["fmtp"] = parameters
    return result


# --- Choosing and writing packets --------------------------------------------------------------

def is_video_keyframe_start(codec, payload):
    if codec == "VP8":
        if len(payload) < 1:
            return False
        offset = 1
        if payload[0] & 0x80:
            x = payload[1]
            offset = 2
            if x & 0x80:
                offset += 2 if payload[offset] & 0x80 else 1
            if x & 0x40:
                offset += 1
            if x & 0x30:
                offset += 1
        starts = payload[0] & 0x10 and payload[0] & 0x07 == 0
        return bool(starts) and len(payload) > offset and payload[offset] & 0x01 == 0
    if codec == "H264":
        nal = payload[0] & 0x1F
        if nal == 24:  # STAP-A: an access unit beginning with SPS is a keyframe's
            return len(payload) > 3 and payload[3] & 0x1F == 7
        return nal == 7
    raise ValueError(codec)


def rtp_payload(raw):
    count = raw[0] & 0x0F
    offset = 12 + 4 * count
    if raw[0] & 0x10:
        words = struct.unpack_from("!H", raw, offset + 2)[0]
        offset += 4 + 4 * words
    end = len(raw) - (raw[-1] if raw[0] & 0x20 else 0)
    return raw[offset:end]


def select(packets, payload_type, keep_seconds, keyframe_codec=None):
    """Packets of one payload type, from the first keyframe (video) for keep_seconds of RTP time."""
    chosen = [p for p in packets if p[2] == payload_type]
    if keyframe_codec:
        start = next(i for i, p in enumerate(chosen) if is_video_keyframe_start(keyframe_codec, rtp_payload(p[1])))
        chosen = chosen[start:]
    clock = 90000 if keyframe_codec else 48000
    first_ts = struct.unpack_from("!I", chosen[0][1], 4)[0]
    kept = []
    for packet in chosen:
        ts = struct.unpack_from("!I", packet[1], 4)[0]
        if ((ts - first_ts) & 0xFFFFFFFF) > keep_seconds * clock:
            # end on a frame boundary: the previous packet carried the marker (video)
            break
        kept.append(packet)
    while keyframe_codec and kept and not kept[-1][1][1] & 0x80:
        kept.pop()
    return kept


def write_rtpdump(path, packets):
    """rtptools' format: text line, RD_hdr_t, then RD_packet_t + RTP bytes per packet (big-endian)."""
    start = packets[0][0]
    with open(path, "wb") as out:
        out.write(b"#!rtpdump1.0 127.0.0.1/5000\n")
        out.write(struct.pack("!IIIHH", int(start), int((start % 1) * 1e6), 0x7F000001, 5000, 0))
        for arrival, raw, _, _ in packets:
            offset_ms = int(round((arrival - start) * 1000))
            out.write(struct.pack("!HHI", 8 + len(raw), len(raw), offset_ms))
            out.write(raw)
    return os.path.getsize(path)


def describe(name, packets, negotiated, kind):
    return {
        "file": name,
        "payloadType": negotiated[kind]["payloadType"],
        "encoding": negotiated[kind]["encoding"],
        "fmtp": negotiated[kind].get("fmtp"),
        "ssrc": packets[0][3],
        "packets": len(packets),
        "bytes": os.path.getsize(os.path.join(OUTPUT, name)),
    }


async def main():
    server = start_page_server()
    url = "http://127.0.0.1:%d/" % server.server_address[1]
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS + ["--user-data-dir=" + tempfile.mkdtemp(prefix="capture-chromium-")]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_script_timeout(30)
    files = []
    try:
        answer, packets = await capture_call(driver, url, "VP8")
        negotiated = negotiated_payload_types(answer)
        assert negotiated["video"]["encoding"].upper().startswith("VP8/"), negotiated
        video = select(packets, negotiated["video"]["payloadType"], KEEP_VIDEO_SECONDS, "VP8")
        audio = select(packets, negotiated["audio"]["payloadType"], KEEP_AUDIO_SECONDS)
        write_rtpdump(os.path.join(OUTPUT, "chromium-vp8.rtpdump"), video)
        write_rtpdump(os.path.join(OUTPUT, "chromium-opus.rtpdump"), audio)
        files.append(describe("chromium-vp8.rtpdump", video, negotiated, "video"))
        files.append(describe("chromium-opus.rtpdump", audio, negotiated, "audio"))

        answer, packets = await capture_call(driver, url, "H264")
        negotiated = negotiated_payload_types(answer)
        assert negotiated["video"]["encoding"].upper().startswith("H264/"), negotiated
        video = select(packets, negotiated["video"]["payloadType"], KEEP_VIDEO_SECONDS, "H264")
        write_rtpdump(os.path.join(OUTPUT, "chromium-h264.rtpdump"), video)
        files.append(describe("chromium-h264.rtpdump", video, negotiated, "video"))
        browser = driver.capabilities.get("browserVersion")
    finally:
        driver.quit()
        server.shutdown()
    sidecar = {
        "description": "Decrypted RTP from headless Chromium's fake camera (640x480) and microphone, "
                       "received by aiortc and written in rtpdump format by capture_chromium_rtp.py.",
        "chromium": browser,
        "aiortc": aiortc.__version__,
        "captured": time.strftime("%Y-%m-%d", time.gmtime()),
        "files": files,
    }
    with open(os.path.join(OUTPUT, "chromium-rtp.json"), "w") as out:
        json.dump(sidecar, out, indent=2)
        out.write("\n")
    print(json.dumps(sidecar, indent=2))


if __name__ == "__main__":
    OUTPUT = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(OUTPUT, exist_ok=True)
    asyncio.run(main())
