"""`make bench` (recording part): what recording costs, measured on real processes.

Starts `tapedeck signal`, `tapedeck publish` participants sending 640x480 30 fps VP8 at 1 Mbit/s
plus Opus, and `tapedeck record` with each recipe in turn; reads the recorder's CPU time and
peak memory from the kernel (getrusage of the child) and prints CPU-seconds per recorded
stream-minute (for the audio recipes, per participant-minute of the recording); then the
`composite` recipe (every camera decoded and drawn on a 1280x720 30 fps canvas, encoded as H.264)
for rooms of 4 and 9: the cores it keeps busy and the output frames it dropped. Figures, not
pass/fail."""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
from peers import SignalServer  # noqa: E402


def measure(tapedeck: Path, server: SignalServer, recipe: str, participants: int, seconds: float,
            out: Path | None = None, room: str | None = None) -> dict:
    """Records `participants` publishers with `recipe` into `out` (a temporary folder unless
    given); the recorder's CPU time and peak memory, and what it wrote."""
    room = room or f"bench-{recipe}"
    # A folder of its own is removed once its figures are read; a caller's folder is left to the caller.
    folder = None if out else Path(tempfile.mkdtemp(prefix="tapedeck-bench-"))
    out = out or folder / recipe
    try:
        return measure_into(tapedeck, server, recipe, participants, seconds, out, room)
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def measure_into(tapedeck: Path, server: SignalServer, recipe: str, participants: int, seconds: float,
                 out: Path, room: str) -> dict:
    recorder = subprocess.Popen([str(tapedeck), "record", "--signaling", server.url, "--room", room, "--out", str(out),
                                 "--recipe", recipe, "--duration", str(seconds), "--json"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1)
    publisher = subprocess.Popen([str(tapedeck), "publish", "--signaling", server.url, "--room", room,
                                  "--count", str(participants), "--duration", str(seconds + 5), "--size", "640x480",
                                  "--fps", "30", "--bitrate", "1000"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    _, _, usage = os.wait4(recorder.pid, 0)
    stdout = recorder.stdout.read()
    publisher.wait(timeout=60)
    manifest = json.loads(stdout) if stdout.strip() else {}
    # What the recipe records: video streams, or audio ones (the room's mix stands for everyone heard in it).
    kind = "video" if recipe in ("webm", "mp4", "per-track-webm") else "audio"
    recorded = sum(track["durationSeconds"] for participant in manifest.get("participants", [])
                   for segment in participant["segments"] for file in segment["files"] for track in file["tracks"]
                   if track["kind"] == kind)
    if "mix" in manifest:
        recorded = manifest["mix"]["file"]["tracks"][0]["durationSeconds"] * len(manifest["participants"])
    composite = manifest.get("composite") or {}
    cpu = usage.ru_utime + usage.ru_stime
    del before
    participants_written = manifest.get("participants", [])
    # (The key says video for the recipes it was first written for; for the audio ones it is their audio.)
    return {"recipe": recipe, "participants": participants, "recorded_video_seconds": recorded, "cpu_seconds": cpu,
            "cpu_seconds_per_stream_minute": cpu / (recorded / 60) if recorded else float("nan"),
            "peak_rss_mib": usage.ru_maxrss / 1024,
            "cores": cpu / seconds,
            "composite_frames_written": composite.get("framesWritten", 0),
            "composite_frames_dropped": composite.get("framesDropped", 0),
            "composite_video_tracks": composite.get("participantVideoTracks", 0),
            "media_bytes": sum(file["bytes"] for participant in participants_written for segment in participant["segments"]
                               for file in segment["files"]),
            "capture_bytes": sum((connection.get("capture") or {}).get("bytes", 0) for participant in participants_written
                                 for connection in participant["connections"])}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tapedeck", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--participants", type=int, default=4)
    parser.add_argument("--recipes", nargs="*", default=["webm", "mp4", "audio-ogg", "audio-mix"])
    parser.add_argument("--composite-rooms", type=int, nargs="*", default=[4, 9],
                        help="room sizes to record with the composite recipe (none: skip it)")
    args = parser.parse_args()
    server = SignalServer(binary=args.tapedeck)
    try:
        print(f"recording {args.participants} participants (640x480 30 fps VP8 1 Mbit/s + Opus, from tapedeck publish) "
              f"for {args.seconds:g} s per recipe; recorder process only:")
        for recipe in args.recipes:
            figures = measure(args.tapedeck, server, recipe, args.participants, args.seconds)
            print(f"  {recipe:9s}: {figures['cpu_seconds']:.2f} CPU-s for {figures['recorded_video_seconds']:.0f} s of "
                  f"recorded streams = {figures['cpu_seconds_per_stream_minute']:.3f} CPU-s per stream-minute; "
                  f"peak RSS {figures['peak_rss_mib']:.0f} MiB")
        for participants in args.composite_rooms:
            figures = measure(args.tapedeck, server, "composite", participants, args.seconds, room=f"bench-composite-{participants}")
            print(f"  composite of {participants} ({figures['composite_video_tracks']} cameras): {figures['cores']:.2f} cores "
                  f"over {args.seconds:g} s; "
                  f"{figures['composite_frames_written']} frames written, {figures['composite_frames_dropped']} dropped; "
                  f"peak RSS {figures['peak_rss_mib']:.0f} MiB")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
