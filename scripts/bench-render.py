"""`make bench` (capture and render part, issue 17): what the raw capture costs a recording, and
how fast `tapedeck render` makes a recording again, measured on real processes.

1. `tapedeck publish` participants (640x480 30 fps VP8 at 1 Mbit/s plus Opus) are recorded with
   `webm` twice, with the raw capture and without (a recipe file identical but `capture: false`):
   the recorder's CPU time per stream-minute either way, and the capture's bytes beside the
   files'.
2. The captured recording is rendered to `webm`, to `mp4` and to `audio-mix`: wall-clock speed
   as a multiple of the call's real time, CPU time, and the render's peak RSS (captures are read
   mapped, a few MiB at a time, so it does not grow with the call's length).
3. The ffmpeg CLI transcodes the rendered WebM files to H.264 + AAC with the `mp4` recipe's
   settings (libx264 veryfast CRF 23, no B-frames, a keyframe every 2 s, one thread; AAC 64
   kbit/s per channel), one process per file after another, as the renderer does all captures on
   one thread: the `mp4` render's speed against it.

Figures, not pass/fail."""
import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
from peers import SignalServer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# The recording half is bench-record.py's (its file name is not a module name).
_spec = importlib.util.spec_from_file_location("bench_record", Path(__file__).with_name("bench-record.py"))
bench_record = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_record)


def timed(command: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MiB) of the child running `command`."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        if process.returncode != 0:
            stderr.seek(0)
            raise SystemExit(f"{' '.join(command[:3])}… failed: {stderr.read().decode()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tapedeck", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--participants", type=int, default=4)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tapedeck-bench-render-"))
    server = SignalServer(binary=args.tapedeck)
    try:
        no_capture = work / "webm-no-capture.yaml"
        no_capture.write_text((ROOT / "Recipes" / "webm.yaml").read_text().replace("capture: true", "capture: false"))
        print(f"capture: {args.participants} participants (640x480 30 fps VP8 1 Mbit/s + Opus) recorded with webm for "
              f"{args.seconds:g} s, with the raw capture and without; recorder process only:")
        runs = {}
        for label, recipe in (("without", str(no_capture)), ("with", "webm")):
            runs[label] = bench_record.measure(args.tapedeck, server, recipe, args.participants, args.seconds,
                                               out=work / label, room=f"bench-capture-{label}")
            figures = runs[label]
            print(f"  {label:7s} capture: {figures['cpu_seconds']:.2f} CPU-s for {figures['recorded_video_seconds']:.0f} s of "
                  f"streams = {figures['cpu_seconds_per_stream_minute']:.3f} CPU-s per stream-minute; "
                  f"files {figures['media_bytes'] / 2**20:.1f} MiB"
                  + (f", captures {figures['capture_bytes'] / 2**20:.1f} MiB" if figures["capture_bytes"] else ""))
        extra = runs["with"]["cpu_seconds_per_stream_minute"] - runs["without"]["cpu_seconds_per_stream_minute"]
        print(f"  the capture costs {extra:+.4f} CPU-s per stream-minute "
              f"({100 * extra / runs['without']['cpu_seconds_per_stream_minute']:+.0f}% of passthrough recording; "
              f"runs vary by a few %)")

        call = runs["with"]["recorded_video_seconds"] / args.participants
        print(f"render of that recording ({args.participants} captures, {call:.0f} s of call each):")
        renders, render_cpu = {}, {}
        for recipe in ("webm", "mp4", "audio-mix"):
            out = work / f"render-{recipe}"
            wall, cpu, rss = timed([str(args.tapedeck), "render", str(work / "with"), "--out", str(out), "--recipe", recipe])
            renders[recipe], render_cpu[recipe] = wall, cpu
            print(f"  {recipe:9s}: {wall:.2f} s wall, {cpu:.2f} CPU-s = {args.participants * call / wall:.0f}x real time "
                  f"per stream ({call / wall:.1f}x for the whole call); peak RSS {rss:.0f} MiB")

        ffmpeg_wall = ffmpeg_cpu = 0.0
        for source in sorted((work / "render-webm").glob("*.webm")):
            wall, cpu, _ = timed(["ffmpeg", "-nostdin", "-v", "error", "-threads", "1", "-i", str(source),
                                  "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-bf", "0", "-g", "120",
                                  "-force_key_frames", "expr:gte(t,n_forced*2)", "-threads", "1",
                                  "-c:a", "aac", "-b:a", "64k",
                                  "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-y", str(work / (source.stem + ".mp4"))])
            ffmpeg_wall += wall
            ffmpeg_cpu += cpu
        print(f"  ffmpeg CLI, the same H.264/AAC settings from the rendered WebM files: {ffmpeg_wall:.2f} s wall, "
              f"{ffmpeg_cpu:.2f} CPU-s; the mp4 render runs at {ffmpeg_wall / renders['mp4']:.2f}x its speed "
              f"({ffmpeg_cpu / render_cpu['mp4']:.2f}x by CPU time, the figure to read on a busy machine)")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
