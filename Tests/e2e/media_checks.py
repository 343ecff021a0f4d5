"""Judging recorded files with the real ffmpeg/ffprobe: decode errors, streams, durations,
colours and tones."""
import json
import subprocess
from datetime import datetime

import numpy as np


def manifest_time(text: str) -> float:
    """Unix seconds of a manifest timestamp (ISO 8601 UTC, milliseconds)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def manifest_files(manifest: dict) -> list:
    """(participant id, segment, file) for every file of a manifest, in order."""
    return [(participant["id"], segment, file) for participant in manifest["participants"]
            for segment in participant["segments"] for file in segment["files"]]


def probe(path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def decode_errors(path) -> str:
    """What `ffmpeg -v error -i F -enc_time_base -1 -f null -` prints: nothing for a file that
    decodes cleanly.

    `-enc_time_base -1` keeps each decoded frame at the file's own timestamp. Without it ffmpeg
    re-times video onto a grid of the frame rate it guessed (30 fps), and a camera's real jitter
    (frames 30 and 36 ms apart, exactly as Chromium stamped them) lands two frames in one slot:
    ffmpeg then complains about its own rounding ("non monotonically increasing dts"), not about
    the file."""
    result = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-enc_time_base", "-1",
                             "-f", "null", "-"], capture_output=True, text=True)
    return (result.stdout + result.stderr).strip()


def stream_durations(path) -> dict:
    """Seconds each kind of stream lasts, measured by decoding (container durations can lie)."""
    durations = {}
    for kind, selector in (("video", "v:0"), ("audio", "a:0")):
        result = subprocess.run(
            ["ffprobe", "-v", "error", "-select_streams", selector, "-show_entries", "packet=pts_time,duration_time",
             "-of", "csv=p=0", str(path)], capture_output=True, text=True)
        rows = [line.split(",") for line in result.stdout.split() if line and "N/A" not in line.split(",")[0]]
        if not rows:
            continue
        starts = [float(row[0]) for row in rows]
        last = max(range(len(rows)), key=lambda i: starts[i])
        tail = float(rows[last][1]) if len(rows[last]) > 1 and rows[last][1] not in ("", "N/A") else 0.0
        durations[kind] = {"start": min(starts), "end": starts[last] + tail}
    return durations


def mean_colour(path, at: float) -> tuple:
    """The average RGB of the video frame at `at` seconds."""
    raw = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-ss", str(at), "-i", str(path), "-frames:v", "1",
                          "-vf", "scale=32:24", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    pixels = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3)
    return tuple(float(v) for v in pixels.mean(axis=0))


def pcm(path, start: float = 0, seconds: float | None = None, rate: int = 48_000) -> np.ndarray:
    """Mono float samples of the first audio stream."""
    argv = ["ffmpeg", "-nostdin", "-v", "error", "-ss", str(start), "-i", str(path)]
    if seconds is not None:
        argv += ["-t", str(seconds)]
    argv += ["-vn", "-ac", "1", "-ar", str(rate), "-f", "s16le", "-"]
    raw = subprocess.run(argv, capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype=np.int16).astype(np.float64) / 32768


def peak_frequency(samples: np.ndarray, rate: int = 48_000) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])
