"""An aiortc 1.16 participant speaking the plain relay protocol: joins, offers audio and video
(aiortc's synthetic tracks), applies the answer and trickled candidates, sends for N seconds."""
import argparse
import asyncio
import json

import websockets
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, MediaStreamTrack, VideoStreamTrack
from aiortc.sdp import candidate_from_sdp


async def send(url: str, room: str, seconds: float, tracks: list[MediaStreamTrack]):
    """Joins `room` at `url`, offers `tracks`, and sends them for `seconds` once connected."""
    pc = RTCPeerConnection()
    for track in tracks:
        pc.addTrack(track)
    connected = asyncio.Event()

    @pc.on("connectionstatechange")
    def on_state():
        if pc.connectionState == "connected":
            connected.set()
    async with websockets.connect(url) as ws:
        await ws.send(json.dumps({"type": "join", "room": room}))
        await pc.setLocalDescription(await pc.createOffer())
        await ws.send(json.dumps({"type": "offer", "sdp": {"type": "offer", "sdp": pc.localDescription.sdp}}))

        async def receive():
            async for raw in ws:
                message = json.loads(raw)
                if message["type"] == "answer":
                    await pc.setRemoteDescription(RTCSessionDescription(**message["sdp"]))
                elif message["type"] == "ice-candidate" and (message.get("candidate") or {}).get("candidate"):
                    data = message["candidate"]
                    candidate = candidate_from_sdp(data["candidate"].split(":", 1)[1])
                    candidate.sdpMid = data.get("sdpMid")
                    candidate.sdpMLineIndex = data.get("sdpMLineIndex")
                    await pc.addIceCandidate(candidate)

        receiver = asyncio.create_task(receive())
        # The seconds count from the connection, not from the offer: on a busy machine aiortc
        # (Python, encoding VP8 itself) takes seconds to start, which would eat into the call.
        try:
            await asyncio.wait_for(connected.wait(), timeout=30)
        except asyncio.TimeoutError:
            pass  # the connection state printed below says so
        await asyncio.sleep(seconds)
        print(f"aiortc connection state: {pc.connectionState}", flush=True)
        receiver.cancel()
        await pc.close()


def arguments(description: str | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--signaling", required=True)
    parser.add_argument("--room", required=True)
    parser.add_argument("--seconds", type=float, default=8)
    return parser.parse_args()


if __name__ == "__main__":
    options = arguments()
    asyncio.run(send(options.signaling, options.room, options.seconds, [AudioStreamTrack(), VideoStreamTrack()]))
