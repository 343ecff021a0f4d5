# The signaling server of the WebRTC tutorial in /work/shared/seeds/000_5a6673f014859be2.txt
# ("Python 시그널링 서버 예시"), reproduced as exactly as possible: the same `rooms` dict, the same
# join / relay / finally logic, relays with `json.dumps(data)` to every other member of the
# sender's room, never answers `join`, stamps nothing, knows nothing of peer-joined / peer-left.
# A "plain room" server: Tapedeck's bot must work with it as it is.
#
# Changed, and only where needed:
# - The handler takes only `(websocket)`: websockets >= 10.1 passes no `path` (13+ refuses a
#   two-argument handler; the venv has 17.x).
# - `asyncio.run(websockets.serve(...))` does not run in current websockets (serve() is not a
#   coroutine), and even where it did it would return at once and close the server; so `main()`
#   awaits serve() and then waits forever.
# - It listens on 127.0.0.1, port 0 (a free port), not localhost:8765, and prints one line
#   "seeds signaling listening on ws://127.0.0.1:PORT" (flushed) for the test fixture to read.
# - The join print is flushed, so a test can read the log while the server runs.
# The tutorial's Korean log line is kept ("방 입장": "entered the room").
import asyncio
import websockets
import json

rooms = {}  # {room_id: [client1, client2]}

async def signaling(websocket):
    room_id = None
    try:
        async for message in websocket:
            data = json.loads(message)
            msg_type = data["type"]

            if msg_type == "join":
                room_id = data["room"]
                rooms.setdefault(room_id, []).append(websocket)
                print(f"{room_id} 방 입장", flush=True)

            elif msg_type in ("offer", "answer", "ice-candidate"):
                # 같은 방의 상대방에게 시그널링 메시지 전달
                peers = [p for p in rooms.get(room_id, []) if p != websocket]
                for peer in peers:
                    await peer.send(json.dumps(data))

    finally:
        if room_id and websocket in rooms.get(room_id, []):
            rooms[room_id].remove(websocket)

async def main():
    server = await websockets.serve(signaling, "127.0.0.1", 0)
    port = next(iter(server.sockets)).getsockname()[1]
    print(f"seeds signaling listening on ws://127.0.0.1:{port}", flush=True)
    await asyncio.Future()  # run forever (until SIGTERM)

asyncio.run(main())
