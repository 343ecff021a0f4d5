"""`make demo`: the main job end to end on this machine, on the embedded default.

Starts `tapedeck signal` and `tapedeck serve` (the REST API with one embedded worker, jobs in
SQLite under the data directory); a `tapedeck publish` participant joins room 'demo' and sends a
moving test pattern (VP8) and a tone (Opus); two recording jobs are POSTed, one with the webm recipe
and one with mp4, each for about ten seconds. When both have completed the demo prints the WebM
and the MP4 with their ffprobe summary, and checks that they decode."""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
from peers import SignalServer  # noqa: E402

TOKEN = "demo-token"


def summary(path: Path) -> str:
    probe = json.loads(subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
                                       str(path)], capture_output=True, text=True, check=True).stdout)
    lines = [f"{path}  ({probe['format']['format_name']}, {float(probe['format'].get('duration', 0)):.1f} s, "
             f"{int(probe['format']['size']) // 1024} KiB)"]
    for stream in probe["streams"]:
        detail = (f"{stream['width']}x{stream['height']}" if stream["codec_type"] == "video"
                  else f"{stream.get('sample_rate')} Hz, {stream.get('channels')} ch")
        lines.append(f"    {stream['codec_type']}: {stream['codec_name']} {detail}")
    return "\n".join(lines)


def decodes(path: Path) -> bool:
    result = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-enc_time_base", "-1", "-f", "null", "-"],
                            capture_output=True, text=True)
    return result.returncode == 0 and not (result.stdout + result.stderr).strip()


class Service:
    """`tapedeck serve` on a free port, and a tiny client for its API."""

    def __init__(self, tapedeck: Path, data: Path):
        self.log = open(data / "serve.log", "w")
        self.process = subprocess.Popen([str(tapedeck), "serve", "--port", "0", "--data", str(data), "--include-loopback"],
                                        stdout=subprocess.PIPE, stderr=self.log, text=True,
                                        env={**os.environ, "TAPEDECK_API_TOKEN": TOKEN})
        line = self.process.stdout.readline().strip()
        if not line.startswith("tapedeck serve listening on "):
            raise RuntimeError(f"tapedeck serve did not start ({line!r}); see {self.log.name}")
        self.url = line.rsplit(" ", 1)[1]

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(self.url + path, method=method, data=json.dumps(body).encode() if body else None,
                                         headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def stop(self) -> int:
        self.process.terminate()
        return self.process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tapedeck", type=Path, required=True)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--out", type=Path, default=None, help="the data directory (default: a new temporary directory)")
    args = parser.parse_args()
    data = args.out or Path(tempfile.mkdtemp(prefix="tapedeck-demo-"))
    data.mkdir(parents=True, exist_ok=True)

    server = SignalServer(binary=args.tapedeck)
    print(f"demo: tapedeck signal is listening on {server.url}")
    service = Service(args.tapedeck, data)
    print(f"demo: tapedeck serve is listening on {service.url} (jobs in {data / 'tapedeck.sqlite'})")
    publisher = None
    try:
        print("demo: tapedeck publish --room demo --name demo-speaker (a moving test pattern in VP8 and a 440 Hz tone in Opus)")
        publisher = subprocess.Popen([str(args.tapedeck), "publish", "--signaling", server.url, "--room", "demo",
                                      "--name", "demo-speaker", "--duration", str(args.seconds + 60), "--bitrate", "1000"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        jobs = []
        for recipe in ("webm", "mp4"):
            body = {"room": "demo", "signaling_url": server.url, "recipe": recipe, "max_duration_s": args.seconds}
            print(f"demo: POST /v1/recordings {json.dumps(body)}")
            jobs.append(service.call("POST", "/v1/recordings", body))
        deadline = time.monotonic() + args.seconds + 60
        while time.monotonic() < deadline:
            jobs = [service.call("GET", f"/v1/recordings/{job['id']}") for job in jobs]
            if all(job["state"] in ("completed", "failed", "cancelled") for job in jobs):
                break
            time.sleep(0.5)
    finally:
        if publisher:
            publisher.terminate()
            publisher.wait(timeout=10)
        status = service.stop()
        server.stop()
    healthy = status == 0
    for job in jobs:
        print(f"demo: job {job['id']} ({job['recipe']}): {job['state']}" + (f": {job['error']}" if job.get("error") else ""))
        folder = data / job.get("output_directory", "")
        # The media files (speakers.vtt and the raw captures are outputs too, but not ones to decode).
        files = [folder / output["path"] for output in job.get("outputs", []) if output["kind"] == "media"]
        healthy = healthy and job["state"] == "completed" and bool(files)
        print(f"demo: manifest: {folder / 'manifest.json'}")
        for path in files:
            print(summary(path))
            if not decodes(path):
                print(f"demo: {path} does not decode cleanly", file=sys.stderr)
                healthy = False
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
