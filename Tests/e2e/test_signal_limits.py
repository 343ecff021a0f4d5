"""`tapedeck signal` against clients that hold its resources: one that stops reading is
disconnected with 1008 instead of the server queueing for it without end (or silently dropping
what it missed); one that floods is throttled; the other clients of the room see every message,
in order, on time."""
import asyncio
import json
import time

import websockets

from peers import SignalServer

MESSAGES = 400
PAYLOAD = "x" * 30_000  # 400 × 30 kB: far more than a client that stops reading may leave waiting (4 MiB)
RATE = 50  # messages per second; the burst is 4 s worth


async def join(url: str, room: str):
    # max_queue: the client library itself stops reading its socket after a few unread messages,
    # so "not calling recv" really is "not reading".
    socket = await websockets.connect(url, max_queue=4, max_size=1 << 20)
    await socket.send(json.dumps({"type": "join", "room": room}))
    answer = json.loads(await asyncio.wait_for(socket.recv(), 5))
    assert answer["type"] == "joined", answer
    return socket, answer["id"]


def test_a_client_that_stops_reading_is_cut_off_with_1008_a_flooder_is_throttled_the_others_are_unaffected():
    signal = SignalServer("--messages-per-second", str(RATE))

    async def scenario():
        sleeper, _ = await join(signal.url, "busy")
        observer, _ = await join(signal.url, "busy")
        flooder, flooder_id = await join(signal.url, "busy")
        received = []

        async def observe():
            while len(received) < MESSAGES:
                message = json.loads(await asyncio.wait_for(observer.recv(), 30))
                if message.get("type") == "ice-candidate":
                    received.append((time.monotonic(), message["seq"], message["from"]))

        watching = asyncio.create_task(observe())
        started = time.monotonic()
        for seq in range(MESSAGES):
            await flooder.send(json.dumps({"type": "ice-candidate", "seq": seq, "candidate": {"candidate": PAYLOAD}}))
        await asyncio.wait_for(watching, 60)

        # The observer got everything, in order, from the flooder...
        assert [seq for _, seq, _ in received] == list(range(MESSAGES))
        assert {sender for _, _, sender in received} == {flooder_id}
        # ...at the flooder's allowed pace: the burst at once, the rest at RATE per second.
        spread = received[-1][0] - started
        allowed = (MESSAGES - 4 * RATE) / RATE
        assert spread >= allowed * 0.8, f"{MESSAGES} messages relayed in {spread:.1f} s, faster than {RATE}/s allows"

        # The sleeper never read while all that went by; reading now, it finds a part of it and
        # then the server's close: 1008, saying why.
        code, reason, seen = None, "", 0
        try:
            while True:
                await asyncio.wait_for(sleeper.recv(), 10)
                seen += 1
        except websockets.ConnectionClosed as closed:
            code, reason = closed.rcvd.code if closed.rcvd else None, closed.rcvd.reason if closed.rcvd else ""
        assert code == 1008 and reason.startswith("too slow"), (code, reason, seen)
        assert seen < MESSAGES

        # The room carries on without it.
        await flooder.send(json.dumps({"type": "ice-candidate", "seq": -1, "candidate": {"candidate": "after"}}))
        while True:
            message = json.loads(await asyncio.wait_for(observer.recv(), 5))
            if message.get("type") == "ice-candidate":
                assert message["seq"] == -1
                break
        for socket in (observer, flooder):
            await socket.close()

    try:
        asyncio.run(scenario())
    finally:
        assert signal.stop() == 0


def test_a_connection_that_never_joins_is_closed_with_1008():
    signal = SignalServer("--join-deadline-seconds", "1")

    async def scenario():
        idle = await websockets.connect(signal.url)
        started = time.monotonic()
        message = json.loads(await asyncio.wait_for(idle.recv(), 5))
        assert message["type"] == "error" and message["reason"].startswith("join a room within"), message
        try:
            await asyncio.wait_for(idle.recv(), 5)
            raise AssertionError("still open")
        except websockets.ConnectionClosed as closed:
            assert closed.rcvd.code == 1008, closed
        assert 0.8 < time.monotonic() - started < 4

    try:
        asyncio.run(scenario())
    finally:
        assert signal.stop() == 0
