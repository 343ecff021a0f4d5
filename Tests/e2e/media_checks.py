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
    """Where each kind of stream starts and ends, in seconds, as the file states it (container
    durations can lie): from the first packet's time to where the last one ends. A fragmented
    MP4 states every sample's duration, and ffprobe's stream duration is the track's end (the
    first fragment's start time counts from 0); ffprobe's own packet durations there are not the
    file's. Elsewhere the last packet ends at its duration, or, when the file gives none (WebM
    video), after the interval before it: a frame is shown until the next would come."""
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
        if str(path).endswith(".mp4"):
            stream = subprocess.run(["ffprobe", "-v", "error", "-select_streams", selector, "-show_entries", "stream=duration",
                                     "-of", "csv=p=0", str(path)], capture_output=True, text=True, check=True)
            end = float(stream.stdout.strip())
        elif len(rows[last]) > 1 and rows[last][1] not in ("", "N/A"):
            end = starts[last] + float(rows[last][1])
        else:
            earlier = [start for start in starts if start < starts[last]]
            end = starts[last] + (starts[last] - max(earlier) if earlier else 0.0)
        durations[kind] = {"start": min(starts), "end": end}
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


def amplitude(samples: np.ndarray, frequency: float, rate: int = 48_000) -> float:
    """The amplitude of the component at `frequency` (±3 Hz), from a Hann-windowed FFT."""
    window = np.hanning(len(samples))
    spectrum = np.abs(np.fft.rfft(samples * window)) * 2 / window.sum()
    frequencies = np.fft.rfftfreq(len(samples), 1 / rate)
    return float(spectrum[(frequencies > frequency - 3) & (frequencies < frequency + 3)].max())


def peak_frequency(samples: np.ndarray, rate: int = 48_000) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def luma_per_frame(path) -> list[tuple[float, float]]:
    """(pts in seconds, mean luma 0-255) of every decoded video frame, at the file's own
    timestamps (signalstats sees the frames before any frame-rate conversion)."""
    result = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-an", "-vf",
                             "signalstats,metadata=mode=print:key=lavfi.signalstats.YAVG:file=/dev/stdout",
                             "-f", "null", "-"], capture_output=True, text=True, check=True)
    frames, pts = [], None
    for line in result.stdout.splitlines():
        if line.startswith("frame:"):
            pts = float(line.split("pts_time:")[1].split()[0])
        elif line.startswith("lavfi.signalstats.YAVG=") and pts is not None:
            frames.append((pts, float(line.split("=", 1)[1])))
            pts = None
    return frames


def flash_onsets(path, dark: float = 16, bright: float = 235) -> list[float]:
    """Seconds at which the picture turns from dark to bright: the first frame brighter than
    half-way after one that was not."""
    threshold, onsets, was_bright = (dark + bright) / 2, [], True  # a file starting mid-flash has no onset there
    for pts, luma in luma_per_frame(path):
        is_bright = luma > threshold
        if is_bright and not was_bright:
            onsets.append(pts)
        was_bright = is_bright
    return onsets


def timed_pcm(path, rate: int = 48_000) -> np.ndarray:
    """Mono float samples of the first audio stream with sample 0 at time 0 of the file and
    every sample at its timestamp: a stream that starts late is preceded by silence, and a gap
    between packets (DTX, loss) is filled with silence, not closed up as a plain decode does."""
    raw = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-vn", "-af",
                          "aresample=async=1:min_hard_comp=0.001:first_pts=0", "-ac", "1", "-ar", str(rate),
                          "-f", "s16le", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype=np.int16).astype(np.float64) / 32768


def beep_onsets(samples: np.ndarray, amplitude: float, rate: int = 48_000, quiet: float = 0.2) -> list[float]:
    """Seconds at which a tone of `amplitude` starts: where the envelope (the peak over each
    millisecond) first reaches half of it after at least `quiet` seconds below that."""
    window = rate // 1000
    envelope = np.abs(samples[: len(samples) // window * window]).reshape(-1, window).max(axis=1)
    loud = np.flatnonzero(envelope >= amplitude / 2)
    if loud.size == 0:
        return []
    starts = loud[np.insert(np.diff(loud) > quiet * 1000, 0, True)]
    onsets = []
    for block in starts:  # the first sample at half amplitude inside the first loud millisecond
        chunk = np.abs(samples[block * window:(block + 1) * window])
        onsets.append((block * window + int(np.argmax(chunk >= amplitude / 2))) / rate)
    return onsets


def pair_onsets(flashes: list[float], beeps: list[float], within: float = 0.5) -> list[tuple[float, float]]:
    """(flash time, beep − flash) for each flash with a beep no further than `within` seconds."""
    pairs = []
    for flash in flashes:
        if beeps:
            beep = min(beeps, key=lambda b: abs(b - flash))
            if abs(beep - flash) <= within:
                pairs.append((flash, beep - flash))
    return pairs
