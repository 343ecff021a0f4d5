"""Room credentials end to end: `tapedeck signal` with signed room tokens (refusals, one identity
per connection), a recording job that carries its room's token and TURN credentials, and the
service's refusals of unsafe configurations and URLs."""
import asyncio
import base64
import hashlib
import hmac
import json
import subprocess
import time
import urllib.error
import urllib.request

import pytest
import websockets

from jobs_service import TOKEN, Serve
from peers import Coturn, SignalServer, own_media_port, tapedeck_binary, terminate

SECRET = "an-e2e-signal-secret-of-32-bytes-or-more"
ENV = {"TAPEDECK_SIGNAL_TOKEN_SECRET": SECRET}


def mint(room: str, identity: str, recorder: bool = False, ttl: int = 600) -> str:
    """A token from `tapedeck signal token`, the way an operator makes one."""
    argv = [str(tapedeck_binary()), "signal", "token", "--room", room, "--identity", identity, "--ttl", str(ttl)]
    result = subprocess.run(argv + (["--recorder"] if recorder else []), capture_output=True, text=True, timeout=30,
                            env={"PATH": "/usr/bin:/bin", **ENV})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def hand_made(claims: dict, secret: str = SECRET) -> str:
    """An HS256 JWT made without Tapedeck, as another application would mint one."""
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    signing_input = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + part(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + part(signature)


async def join(url: str, room: str, token: str | None):
    """Connects and joins; returns the socket and the server's first answer."""
    socket = await websockets.connect(url)
    await socket.send(json.dumps({"type": "join", "room": room, **({"token": token} if token else {})}))
    return socket, json.loads(await asyncio.wait_for(socket.recv(), 5))


async def closed_with(socket) -> tuple:
    """Waits for the server to close the socket; its close code and reason."""
    try:
        while True:
            await asyncio.wait_for(socket.recv(), 5)
    except websockets.ConnectionClosed as closed:
        return closed.rcvd.code, closed.rcvd.reason


def test_signal_refuses_expired_other_room_and_badly_signed_tokens_with_a_close_reason():
    signal = SignalServer(env=ENV)
    try:
        now = int(time.time())
        cases = {
            "expired": (hand_made({"room": "standup", "sub": "alice", "exp": now - 60}), "the room token expired at"),
            "other room": (mint("board", "alice"), "the room token is for room 'board', not 'standup'"),
            "badly signed": (hand_made({"room": "standup", "sub": "alice", "exp": now + 600}, secret="x" * 40),
                             "signature does not verify"),
            "none": (None, "requires a signed room token"),
        }

        async def check():
            for name, (token, reason) in cases.items():
                socket, answer = await join(signal.url, "standup", token)
                assert answer["type"] == "error" and reason in answer["reason"], (name, answer)
                code, close_reason = await closed_with(socket)
                assert code == 4401 and reason in close_reason, (name, code, close_reason)
            # A token made by another application with the same secret is as good as ours.
            socket, answer = await join(signal.url, "standup", hand_made({"room": "standup", "sub": "zoe", "exp": now + 600}))
            assert answer["type"] == "joined", answer
            await socket.close()
        asyncio.run(check())
    finally:
        assert signal.stop() == 0


def test_two_clients_cannot_hold_one_identity_and_the_recorder_is_known_by_its_grant():
    signal = SignalServer(env=ENV)
    try:
        async def check():
            first, answer = await join(signal.url, "standup", mint("standup", "alice"))
            assert answer["type"] == "joined" and answer["recorders"] == []
            bot, bot_answer = await join(signal.url, "standup", mint("standup", "tapedeck-recorder"))
            assert bot_answer["recorders"] == [], "a name is no grant"
            granted, granted_answer = await join(signal.url, "standup", mint("standup", "scribe", recorder=True))
            second, second_answer = await join(signal.url, "standup", mint("standup", "alice"))
            assert second_answer["type"] == "joined"
            assert second_answer["recorders"] == [granted_answer["id"]]
            assert second_answer["names"] == {bot_answer["id"]: "tapedeck-recorder", granted_answer["id"]: "scribe"}
            code, reason = await closed_with(first)
            assert code == 4409 and reason == "identity 'alice' joined room 'standup' from another connection", (code, reason)
            for socket in (bot, granted, second):
                await socket.close()
        asyncio.run(check())
    finally:
        assert signal.stop() == 0


def publish(signal_url: str, room: str, token: str, seconds: float) -> subprocess.Popen:
    return subprocess.Popen([str(tapedeck_binary()), "publish", "--signaling", signal_url, "--room", room, "--token", token,
                             "--duration", str(seconds), "--size", "320x240", "--bitrate", "300", "--include-loopback"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_job_with_the_rooms_token_and_turn_credentials_records_a_protected_room(tmp_path):
    signal = SignalServer(env=ENV)
    turn = Coturn()
    # Relay only: the bot reaches the participants through the job's TURN server or not at all.
    serve = Serve(tmp_path / "data", "--relay-only")
    # The third calls itself what the bot calls itself, without the grant: it is recorded, since on
    # a server that checks grants the bot knows other recorders by their grant, not their name.
    speakers = [publish(signal.url, "board", mint("board", name), 30) for name in ("alice", "bob", "Board minutes")]
    try:
        recorder_token = mint("board", "recorder-1", recorder=True)
        job = serve.create(room="board", signaling_url=signal.url, recipe="webm", max_duration_s=6,
                           signaling_token=recorder_token, bot_name="Board minutes",
                           ice_servers=[{"urls": [turn.url], "username": "test", "credential": "test"}])
        assert job["signaling_token_set"] is True
        assert job["ice_servers"] == [{"urls": [turn.url], "credential_set": True}]
        done = serve.wait_for_state(job["id"], {"completed", "failed"}, timeout=60)
        assert done["state"] == "completed", done
        # The participants are named by their tokens, and the recorder recorded all three.
        assert sorted(output["participant"] for output in done["outputs"] if output["kind"] == "media") == ["Board minutes", "alice", "bob"], \
            done["outputs"]
        manifest = json.loads((tmp_path / "data" / done["output_directory"] / "manifest.json").read_text())
        pairs = [connection["selectedPair"] for participant in manifest["participants"]
                 for connection in participant["connections"]]
        assert len(pairs) == 3 and all(pair.startswith("relay ") for pair in pairs), pairs

        # Without the token, the same job fails at once, with the server's reason, and is not retried.
        refused = serve.create(room="board", signaling_url=signal.url, recipe="webm", max_duration_s=6,
                               ice_servers=[{"urls": [turn.url], "username": "test", "credential": "test"}])
        assert refused["signaling_token_set"] is False
        failed = serve.wait_for_state(refused["id"], {"completed", "failed"}, timeout=30)
        assert failed["state"] == "failed" and "requires a signed room token" in failed["error"], failed
        assert failed["attempts"] == 1, failed

        # Nothing the API returns, nor the log, shows a secret.
        listed = serve.request("GET", "/v1/recordings")[2]
        assert {item["id"] for item in listed["recordings"]} == {job["id"], refused["id"]}
        manifest = (tmp_path / "data" / done["output_directory"] / "manifest.json").read_text()
        for text in (json.dumps(serve.job(job["id"])), json.dumps(listed), serve.logs(), manifest):
            assert recorder_token not in text and recorder_token.split(".")[2] not in text
            assert '"credential": "test"' not in text and '"username"' not in text
    finally:
        for speaker in speakers:
            terminate(speaker)
        assert serve.terminate() == 0
        turn.stop()
        assert signal.stop() == 0


def refused_start(argv: list, env: dict) -> str:
    result = subprocess.run([str(tapedeck_binary()), *argv], capture_output=True, text=True, timeout=30,
                            env={"PATH": "/usr/bin:/bin", **env})
    assert result.returncode != 0, result
    return result.stderr


def test_unsafe_starts_are_refused_naming_the_fix(tmp_path):
    data = ["--data", str(tmp_path / "data"), "--port", "0"]
    message = refused_start(["serve", "--host", "0.0.0.0", *data], {})
    assert "TAPEDECK_API_TOKEN" in message and "--allow-unauthenticated" in message, message
    message = refused_start(["serve", *data], {"TAPEDECK_WEBHOOK_SECRET": ""})
    assert "TAPEDECK_WEBHOOK_SECRET is set but empty" in message, message
    message = refused_start(["worker", "--data", str(tmp_path / "data")], {"TAPEDECK_WEBHOOK_SECRET": ""})
    assert "TAPEDECK_WEBHOOK_SECRET is set but empty" in message, message
    message = refused_start(["worker", "--data", str(tmp_path / "data"), "--metrics-port", "0", "--metrics-host", "0.0.0.0"], {})
    assert "worker's metrics on 0.0.0.0" in message and "TAPEDECK_API_TOKEN" in message and "--allow-unauthenticated" in message
    message = refused_start(["signal", "--host", "0.0.0.0", "--port", "0"], {})
    assert "TAPEDECK_SIGNAL_TOKEN_SECRET" in message and "--allow-unauthenticated" in message, message
    message = refused_start(["signal", "--port", "0"], {"TAPEDECK_SIGNAL_TOKEN_SECRET": "short"})
    assert "at least 32 bytes" in message, message

    # Told by name, they start.
    allowed = SignalServer("--allow-unauthenticated", host="0.0.0.0")
    assert allowed.stop() == 0
    serve = subprocess.Popen([str(tapedeck_binary()), "serve", "--host", "0.0.0.0", "--allow-unauthenticated", *data, *own_media_port()],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={"PATH": "/usr/bin:/bin"})
    assert serve.stdout.readline().startswith("tapedeck serve listening on ")
    assert terminate(serve) == 0


def test_a_webhook_url_on_a_link_local_address_is_refused_unless_allowed(tmp_path):
    body = {"room": "r", "signaling_url": "ws://127.0.0.1:9/ws", "recipe": "webm", "start_at": "2099-01-01T00:00:00Z",
            "webhook_url": "http://169.254.169.254/latest/meta-data/"}
    serve = Serve(tmp_path / "data", "--workers", "0")
    try:
        status, _, problem = serve.request("POST", "/v1/recordings", body)
        assert status == 422 and problem["field"] == "webhook_url", problem
        assert "169.254.0.0/16" in problem["detail"], problem
    finally:
        assert serve.terminate() == 0
    allowing = Serve(tmp_path / "data2", "--workers", "0", env={"TAPEDECK_ALLOW_URL_HOSTS": "169.254.169.254"})
    try:
        status, _, job = allowing.request("POST", "/v1/recordings", body)
        assert status == 201, job
    finally:
        assert allowing.terminate() == 0


def test_a_workers_metrics_want_the_api_token_and_its_health_check_does_not(tmp_path):
    worker = Serve(tmp_path / "data", "--metrics-port", "0", "--metrics-host", "0.0.0.0", command="worker")
    try:
        metrics_url = worker.metrics_url.replace("0.0.0.0", "127.0.0.1")
        for token, expected in ((None, 401), ("not-the-token", 401), (TOKEN, 200)):
            request = urllib.request.Request(metrics_url, headers={"Authorization": f"Bearer {token}"} if token else {})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    status, body = response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read().decode()
            assert status == expected, (token, status, body)
        assert "tapedeck_" in body, body
        with urllib.request.urlopen(metrics_url.replace("/metrics", "/healthz"), timeout=10) as response:
            assert response.status == 200 and response.read() == b"ok\n"
    finally:
        assert worker.terminate() == 0
