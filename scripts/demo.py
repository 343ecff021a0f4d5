"""`make demo`: the main job end to end on this machine.

Starts `tapedeck signal`; two `tapedeck record` bots join room 'demo', one with the webm recipe and
one with mp4; a `tapedeck publish` participant joins and sends a moving test pattern (VP8) and a
tone (Opus); after about ten seconds the demo prints the WebM and the MP4 with their ffprobe
summary, and checks that they decode."""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
from peers import SignalServer  # noqa: E402


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


def record(tapedeck: Path, server: SignalServer, recipe: str, out: Path, seconds: float) -> subprocess.Popen:
    print(f"demo: tapedeck record --room demo --recipe {recipe} --duration {seconds:g} --out {out}")
    return subprocess.Popen([str(tapedeck), "record", "--signaling", server.url, "--room", "demo", "--out", str(out),
                             "--recipe", recipe, "--duration", str(seconds), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tapedeck", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--out", type=Path, default=None, help="where to keep the recordings (default: a new temporary directory)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="tapedeck-demo-"))

    server = SignalServer(binary=args.tapedeck)
    print(f"demo: tapedeck signal is listening on {server.url}")
    publisher = None
    try:
        # Two recorders in the room first (the WebM and the MP4 recipe); the participant offers to
        # both when it joins.
        recorders = {recipe: record(args.tapedeck, server, recipe, out / recipe, args.seconds) for recipe in ("webm", "mp4")}
        time.sleep(1)
        print("demo: tapedeck publish --room demo --name demo-speaker (a moving test pattern in VP8 and a 440 Hz tone in Opus)")
        publisher = subprocess.Popen([str(args.tapedeck), "publish", "--signaling", server.url, "--room", "demo",
                                      "--name", "demo-speaker", "--duration", str(args.seconds + 30), "--bitrate", "1000"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        results = {recipe: recorder.communicate(timeout=args.seconds + 60) + (recorder.returncode,)
                   for recipe, recorder in recorders.items()}
    finally:
        if publisher:
            publisher.terminate()
            publisher.wait(timeout=10)
        server.stop()
    healthy = True
    for recipe, (stdout, stderr, status) in results.items():
        if status != 0:
            print(f"demo: the {recipe} recording failed: {stderr.strip()}", file=sys.stderr)
            healthy = False
            continue
        manifest = json.loads(stdout)
        files = [out / recipe / file["path"] for participant in manifest["participants"]
                 for segment in participant["segments"] for file in segment["files"]]
        print(f"demo: {recipe}: {len(files)} file(s); manifest: {out / recipe / 'manifest.json'}")
        healthy = healthy and bool(files)
        for path in files:
            print(summary(path))
            if not decodes(path):
                print(f"demo: {path} does not decode cleanly", file=sys.stderr)
                healthy = False
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
