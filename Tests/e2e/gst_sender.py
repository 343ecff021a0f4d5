"""A GStreamer webrtcbin participant speaking the plain relay protocol. Run it with Debian's
/usr/bin/python3 (python3-gi, gir1.2-gst-plugins-bad-1.0 and python3-websockets come from apt):

    /usr/bin/python3 gst_sender.py --signaling ws://… --room R --seconds 30

It joins the room, offers a solid blue VP8 picture (videotestsrc pattern=blue) and a 440 Hz Opus
sine on on-negotiation-needed as {type:'offer', sdp:{type:'offer', sdp}}, trickles its candidates
as {type:'ice-candidate', candidate:{candidate, sdpMLineIndex}}, applies the first answer and the
remote's trickled candidates, sends for --seconds, then prints one line of JSON (connection and
ICE states, whether an answer came, candidate counts, and with --log-sr the (NTP, RTP) pair of
every RTCP sender report it sent) and exits 0. It ignores everything else (joined, from, peers,
peer-joined, offers): it works on `tapedeck signal` and on a plain room server alike.

webrtcbin's RTCP sender reports move their NTP/RTP mapping from report to report, which makes
it a useful sender to record."""
import argparse
import asyncio
import json
import struct
import sys
import threading
import time

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("GstSdp", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

import websockets  # noqa: E402

PIPELINE = """
webrtcbin name=sendrecv bundle-policy=max-bundle
videotestsrc is-live=true pattern={pattern} ! video/x-raw,width=320,height=240,framerate=30/1 ! videoconvert
  ! queue ! vp8enc deadline=1 keyframe-max-dist=60 ! rtpvp8pay ! queue
  ! application/x-rtp,media=video,encoding-name=VP8,payload=96 ! sendrecv.
audiotestsrc is-live=true wave=sine freq=440 ! audioconvert ! audioresample ! queue ! opusenc ! rtpopuspay ! queue
  ! application/x-rtp,media=audio,encoding-name=OPUS,payload=111 ! sendrecv.
"""

NTP_UNIX_OFFSET = 2208988800


def sender_reports(data: bytes) -> list:
    """(ssrc, NTP seconds as a Unix time, RTP timestamp) of each SR in a compound RTCP packet."""
    reports, offset = [], 0
    while offset + 4 <= len(data):
        first, packet_type, length = struct.unpack_from("!BBH", data, offset)
        size = (length + 1) * 4
        if first >> 6 != 2 or offset + size > len(data):
            break
        if packet_type == 200 and size >= 28:
            ssrc, ntp_high, ntp_low, rtp = struct.unpack_from("!IIII", data, offset + 4)
            reports.append((ssrc, ntp_high - NTP_UNIX_OFFSET + ntp_low / 2 ** 32, rtp))
        offset += size
    return reports


class Sender:
    def __init__(self, loop: asyncio.AbstractEventLoop, pattern: str, log_sr: bool):
        self.loop = loop
        self.outgoing: asyncio.Queue = asyncio.Queue()
        self.answered = False
        self.pending_candidates = []
        self.local_candidates = []
        self.remote_candidates = 0
        self.sender_reports = []
        self.errors = []
        self.pipeline = Gst.parse_launch(PIPELINE.format(pattern=pattern))
        self.webrtc = self.pipeline.get_by_name("sendrecv")
        self.webrtc.connect("on-negotiation-needed", self.on_negotiation_needed)
        self.webrtc.connect("on-ice-candidate", self.on_ice_candidate)
        self.webrtc.connect("pad-added", self.on_incoming_stream)
        # A sender: offer sendonly, so the answerer sends nothing back.
        index = 0
        while (transceiver := self.webrtc.emit("get-transceiver", index)) is not None:
            transceiver.set_property("direction", GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
            index += 1
        self.transceivers = index
        self.watched_sessions = set()
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message::error", lambda _, message: self.errors.append(" ".join(map(str, message.parse_error()))))

    def send(self, message: dict):
        """Thread-safe: webrtcbin emits its signals on its own threads."""
        self.loop.call_soon_threadsafe(self.outgoing.put_nowait, json.dumps(message))

    def on_incoming_stream(self, _, pad):
        """Whatever the other side sends all the same goes to a fakesink: an unlinked pad would
        stop webrtcbin's receiving (and its RTCP) with not-linked."""
        if pad.get_direction() != Gst.PadDirection.SRC:
            return
        sink = Gst.ElementFactory.make("fakesink")
        sink.set_property("async", False)
        self.pipeline.add(sink)
        sink.sync_state_with_parent()
        pad.link(sink.get_static_pad("sink"))

    def on_negotiation_needed(self, element):
        promise = Gst.Promise.new_with_change_func(self.on_offer_created, element, None)
        element.emit("create-offer", None, promise)

    def on_offer_created(self, promise, element, _):
        promise.wait()
        reply = promise.get_reply()
        offer = reply.get_value("offer") if reply is not None and reply.has_field("offer") else None
        if offer is None:
            # Seen once, on a first run (GStreamer building its plugin registry): no offer and no
            # error. Try again a little later, a few times, and say so in the summary.
            self.errors.append(f"create-offer: {reply.to_string() if reply is not None else 'no reply'}")
            if len(self.errors) < 3:
                threading.Timer(0.5, self.on_negotiation_needed, args=(element,)).start()
            return
        element.emit("set-local-description", offer, Gst.Promise.new())
        self.send({"type": "offer", "sdp": {"type": "offer", "sdp": offer.sdp.as_text()}})

    def on_ice_candidate(self, _, mline_index, candidate):
        self.local_candidates.append(candidate)
        self.send({"type": "ice-candidate", "candidate": {"candidate": candidate, "sdpMLineIndex": mline_index}})

    def watch_sender_reports(self):
        """Hooks the RTCP of webrtcbin's rtpbin sessions (made during negotiation): each compound
        packet is seen, unencrypted, just before it is sent."""
        rtpbin = self.webrtc.get_by_name("rtpbin")
        for session_id in range(2):
            session = rtpbin.emit("get-internal-session", session_id) if rtpbin else None
            if session is not None and session_id not in self.watched_sessions:
                self.watched_sessions.add(session_id)
                session.connect("on-sending-rtcp", self.on_sending_rtcp)

    def on_sending_rtcp(self, _session, buffer, _early):
        ok, info = buffer.map(Gst.MapFlags.READ)
        if ok:
            try:
                for ssrc, ntp, rtp in sender_reports(bytes(info.data)):
                    self.sender_reports.append({"at": round(time.time(), 3), "ssrc": ssrc, "ntp": round(ntp, 6), "rtp": rtp})
            finally:
                buffer.unmap(info)
        return False

    def apply_answer(self, sdp_text: str):
        _, message = GstSdp.SDPMessage.new_from_text(sdp_text)
        answer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, message)
        self.webrtc.emit("set-remote-description", answer, Gst.Promise.new())
        self.answered = True
        for index, candidate in self.pending_candidates:
            self.webrtc.emit("add-ice-candidate", index, candidate)
        self.pending_candidates.clear()

    def add_candidate(self, data: dict):
        candidate = data.get("candidate") or ""
        if not candidate:
            return  # end of candidates
        self.remote_candidates += 1
        index = data.get("sdpMLineIndex") or 0
        if self.answered:
            self.webrtc.emit("add-ice-candidate", index, candidate)
        else:
            self.pending_candidates.append((index, candidate))

    def summary(self) -> dict:
        return {
            "connectionState": self.webrtc.get_property("connection-state").value_nick,
            "iceConnectionState": self.webrtc.get_property("ice-connection-state").value_nick,
            "iceGatheringState": self.webrtc.get_property("ice-gathering-state").value_nick,
            "answered": self.answered,
            "transceivers": self.transceivers,
            "localCandidates": len(self.local_candidates),
            "remoteCandidates": self.remote_candidates,
            "errors": self.errors,
            "senderReports": self.sender_reports,
        }


async def run(options) -> dict:
    sender = Sender(asyncio.get_running_loop(), options.pattern, options.log_sr)
    # GLib main loop on a thread of its own: the bus watch above needs one.
    glib_loop = GLib.MainLoop()
    threading.Thread(target=glib_loop.run, daemon=True).start()
    async with websockets.connect(options.signaling) as ws:
        await ws.send(json.dumps({"type": "join", "room": options.room}))
        sender.pipeline.set_state(Gst.State.PLAYING)  # negotiation is needed once it plays

        async def transmit():
            while True:
                await ws.send(await sender.outgoing.get())

        async def receive():
            async for raw in ws:
                message = json.loads(raw)
                if message.get("type") == "answer" and not sender.answered:
                    sdp = message.get("sdp")
                    sender.apply_answer(sdp["sdp"] if isinstance(sdp, dict) else sdp)
                elif message.get("type") == "ice-candidate" and isinstance(message.get("candidate"), dict):
                    sender.add_candidate(message["candidate"])
                # anything else (joined, peer-joined, offers, …) is not for a plain sender

        tasks = [asyncio.create_task(transmit()), asyncio.create_task(receive())]
        deadline = time.monotonic() + options.seconds
        while time.monotonic() < deadline:
            if options.log_sr:
                sender.watch_sender_reports()
            await asyncio.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
        summary = sender.summary()
        for task in tasks:
            task.cancel()
    sender.pipeline.set_state(Gst.State.NULL)
    glib_loop.quit()
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signaling", required=True)
    parser.add_argument("--room", required=True)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--pattern", default="blue", help="videotestsrc pattern (blue: a solid blue picture)")
    parser.add_argument("--log-sr", action="store_true", help="list the RTCP sender reports it sent")
    options = parser.parse_args()
    Gst.init(None)
    print(json.dumps(asyncio.run(run(options))), flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
