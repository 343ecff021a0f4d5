"""Real parts for the jobs tests: `tapedeck serve` / `tapedeck worker` processes, a JSON client
for the REST API, a webhook receiver that checks signatures, and `tapedeck publish` speakers."""
import hashlib
import hmac
import http.server
import json
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

from peers import own_media_port, tapedeck_binary, wait_for

TOKEN = "test-api-token"
WEBHOOK_SECRET = "test-webhook-secret"


class Serve:
    """`tapedeck serve` on a free loopback port, with `data` as its data directory; or, with
    `netns` (a netns.LinkedNamespace), inside that namespace on its `inner` address."""

    def __init__(self, data, *args: str, database: str | None = None, command: str = "serve", env: dict | None = None,
                 netns=None, log_dir=None):
        self.data = data
        argv = [str(tapedeck_binary()), command, "--data", str(data), "--include-loopback", "--log-level", "info", *args]
        if "--rtc-udp-port" not in args:
            argv += own_media_port()
        if database:
            argv += ["--database", database]
        if command == "serve":
            argv += ["--host", "127.0.0.1" if netns is None else netns.inner, "--port", "0"]
        env = {"TAPEDECK_API_TOKEN": TOKEN, "TAPEDECK_WEBHOOK_SECRET": WEBHOOK_SECRET, "PATH": "/usr/bin:/bin", **(env or {})}
        self.log = open((log_dir or data.parent) / f"{command}-{time.monotonic_ns()}.log", "w+")
        start = subprocess.Popen if netns is None else netns.popen
        self.process = start(argv, stdout=subprocess.PIPE, stderr=self.log, text=True, env=env)
        self.url = None
        if command == "serve":
            line = self.process.stdout.readline().strip()
            if not line.startswith("tapedeck serve listening on "):
                self.process.kill()
                raise RuntimeError(f"tapedeck serve did not start: {line!r}\n{self.logs()}")
            self.url = line.rsplit(" ", 1)[1]
        elif "--metrics-port" in args:
            line = self.process.stdout.readline().strip()
            if not line.startswith("tapedeck worker metrics on "):
                self.process.kill()
                raise RuntimeError(f"tapedeck worker did not serve its metrics: {line!r}\n{self.logs()}")
            self.metrics_url = line.rsplit(" ", 1)[1]

    def metrics(self) -> dict:
        """This worker's Prometheus figures, by series."""
        request = urllib.request.Request(self.metrics_url, headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
        return {line.split(" ")[0]: float(line.split(" ")[1]) for line in text.splitlines() if line and not line.startswith("#")}

    def logs(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def terminate(self, timeout: float = 15) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"{self.process.args[1]} did not exit within {timeout} s of SIGTERM\n{self.logs()[-4000:]}")

    def kill(self):
        self.process.kill()
        self.process.wait()

    def request(self, method: str, path: str, body=None, headers=None, token: str | None = TOKEN):
        """(status, headers, parsed JSON or text)."""
        data = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, raw, response_headers = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, response_headers = error.code, error.read(), error.headers
        kind = response_headers.get("Content-Type", "")
        return status, response_headers, json.loads(raw) if "json" in kind and raw else raw.decode()

    def create(self, **fields) -> dict:
        status, _, job = self.request("POST", "/v1/recordings", fields)
        assert status == 201, (status, job)
        return job

    def job(self, job_id: str) -> dict:
        status, _, job = self.request("GET", f"/v1/recordings/{job_id}")
        assert status == 200, (status, job)
        return job

    def wait_for_state(self, job_id: str, states, timeout: float) -> dict:
        states = {states} if isinstance(states, str) else set(states)
        deadline = time.monotonic() + timeout
        job = None
        while time.monotonic() < deadline:
            job = self.job(job_id)
            if job["state"] in states:
                return job
            time.sleep(0.1)
        raise AssertionError(f"job {job_id} did not reach {states} within {timeout} s: {job}\n{self.logs()[-4000:]}")


class WebhookReceiver:
    """An HTTP server on loopback that keeps every POST it gets (body, signature header), and
    answers the first `fail_first` of them 503. `port` 0 is any free port; another receiver's
    port after it stopped brings "the same receiver" back up."""

    def __init__(self, fail_first: int = 0, port: int = 0):
        received = self.received = []
        self.refused = []
        refused = self.refused
        self.arrivals = []
        arrivals = self.arrivals

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                arrivals.append(time.monotonic())
                if len(refused) < fail_first:
                    refused.append(body)
                    self.send_response(503)
                else:
                    received.append((body, self.headers.get("Tapedeck-Signature")))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self) -> list:
        return [json.loads(body) for body, _ in self.received]

    def stop(self):
        """Stops serving and closes the port: a POST to it is refused."""
        self.server.shutdown()
        self.server.server_close()


def signature_is_valid(body: bytes, header: str | None, secret: str = WEBHOOK_SECRET) -> bool:
    if not header:
        return False
    fields = dict(part.split("=", 1) for part in header.split(","))
    expected = hmac.new(secret.encode(), f"{fields['t']}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields.get("v1", "")) and abs(time.time() - int(fields["t"])) < 300


def publisher(signal_url: str, room: str, name: str, seconds: float, size: str = "320x240", bitrate: int = 300,
              keyframe_interval: int = 3) -> subprocess.Popen:
    return subprocess.Popen([str(tapedeck_binary()), "publish", "--signaling", signal_url, "--room", room, "--name", name,
                             "--duration", str(seconds), "--size", size, "--bitrate", str(bitrate),
                             "--keyframe-interval", str(keyframe_interval)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def media_outputs(job: dict) -> list:
    """A job's participants' files: its outputs less the room's (`speakers.vtt`, a mix), which
    name no participant, and the raw captures."""
    return [output for output in job["outputs"] if "participant" in output and output["kind"] == "media"]


def room_outputs(job: dict) -> list:
    """The room's outputs: `speakers.vtt` (every recording), the mix (a room recipe)."""
    return [output for output in job["outputs"] if "participant" not in output]


def capture_outputs(job: dict) -> list:
    """The participants' connections' raw captures (`.pcapng`)."""
    return [output for output in job["outputs"] if output["kind"] == "capture"]


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def in_seconds(seconds: float) -> str:
    return rfc3339(datetime.now(timezone.utc) + timedelta(seconds=seconds))


__all__ = ["Serve", "WebhookReceiver", "signature_is_valid", "publisher", "in_seconds", "parse_time", "wait_for", "TOKEN"]
