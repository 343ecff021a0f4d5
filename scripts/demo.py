"""`make demo`: the main job end to end on this machine.

Starts `tapedeck signal`; a participant joins room 'demo' and sends audio and video; `tapedeck
record` records the room for about ten seconds; the demo prints the files it wrote with their
ffprobe summary, and checks that they decode."""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
from peers import ChromiumLauncher, SignalServer, WebOrigin, wait_for  # noqa: E402


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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tapedeck", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--out", type=Path, default=None, help="where to keep the recording (default: a new temporary directory)")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="tapedeck-demo-")) / "recording"

    server = SignalServer(binary=args.tapedeck)
    origin, launcher = WebOrigin(), ChromiumLauncher()
    print(f"demo: tapedeck signal is listening on {server.url}")
    try:
        recorder = subprocess.Popen([str(args.tapedeck), "record", "--signaling", server.url, "--room", "demo",
                                     "--out", str(out), "--recipe", "webm", "--duration", str(args.seconds), "--json"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        print(f"demo: tapedeck record --room demo --recipe webm --duration {args.seconds:g} --out {out}")
        time.sleep(1)  # the recorder is in the room first; the participant offers to it on joining
        page = launcher()
        page.get(f"{origin.url}/relay-client.html?room=demo&signaling={server.url}")
        if wait_for(lambda: "joined and offered" in " ".join(page.execute_script("return window.relay.log")), 15):
            print("demo: a Chromium participant (fake camera and microphone) joined room 'demo'")
        stdout, stderr = recorder.communicate(timeout=args.seconds + 60)
    finally:
        launcher.quit_all()
        origin.stop()
        server.stop()
    if recorder.returncode != 0:
        print(f"demo: the recording failed: {stderr.strip()}", file=sys.stderr)
        return 1
    manifest = json.loads(stdout)
    files = [out / file["path"] for participant in manifest["participants"] for segment in participant["segments"]
             for file in segment["files"]]
    print(f"demo: recorded {len(manifest['participants'])} participant(s); manifest: {out / 'manifest.json'}")
    healthy = bool(files)
    for path in files:
        print(summary(path))
        if not decodes(path):
            print(f"demo: {path} does not decode cleanly", file=sys.stderr)
            healthy = False
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
