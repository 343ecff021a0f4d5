"""`make bench` (scale part): how one recording process scales with the participants it records.

For each N, `tapedeck publish --count N` participants (640x480 30 fps VP8 at 1 Mbit/s + Opus, one
process, the test signal encoded once) join one room that `tapedeck record` records; then, as
ten rooms of ten, `tapedeck serve` records jobs made through its API. Once every participant is
connected and a warm-up has passed, the recorder's CPU time (utime + stime from /proc) is read
over a window, with its resident memory; at the end the frames in the files are counted against
the frames the publisher says it sent. Figures, never pass/fail; docs/benchmarks.md says how to
read them. The load generator shares the machine: its CPU is printed beside the recorder's, and a
saturated machine shows as frames missing rather than as a cheap recorder.

alloc/dgram is the heap allocations the recorder's RTC I/O threads (NIO-ELT-*) make per datagram
they read: glibc malloc calls counted with a perf uprobe over their datagrams read (recvmmsg,
recvmsg), in a separate window after the CPU window so that the probe's cost never shows in the
CPU figures. It needs perf and the right to add a uprobe (root); without them it shows n/a.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
TOKEN = "bench-token"


def stat_user_system_seconds(stat: Path) -> tuple[float, float]:
    """utime and stime from a /proc stat file (a process's or a thread's)."""
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / TICKS, int(fields[12]) / TICKS


def stat_cpu_seconds(stat: Path) -> float:
    return sum(stat_user_system_seconds(stat))


def cpu_seconds(pid: int) -> float:
    return stat_cpu_seconds(Path(f"/proc/{pid}/stat"))


def user_system_seconds(pid: int) -> tuple[float, float]:
    """A process's user and system CPU seconds, read at one instant. The system part is the
    kernel's: system calls (the sockets' reads and writes, the files' writes into the page cache),
    page faults, scheduling."""
    return stat_user_system_seconds(Path(f"/proc/{pid}/stat"))


def threads(pid: int) -> list[tuple[int, Path, str]]:
    """The process's live threads: id, /proc folder and name (a thread that ends meanwhile is left out)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found.append((int(task.name), task, (task / "comm").read_text().strip()))
        except OSError:
            continue
    return found


# Where the recorder's CPU goes, by what its threads are named: the RTC I/O loops, the recordings'
# media threads (muxing, transcoding, the files' writes), the raw capture's writers, and the rest
# (HTTP, signalling, the manifest, Swift's own pool).
THREAD_KINDS = (("io", "NIO-ELT-"), ("media", "tapedeck-media"), ("capture", "tapedeck-pcap"))


def thread_kind(name: str) -> str:
    return next((kind for kind, prefix in THREAD_KINDS if name.startswith(prefix)), "rest")


def cpu_seconds_by_thread(pid: int) -> dict[int, tuple[str, float]]:
    """Each live thread's name kind and CPU time. A thread that ended inside the window took its
    time with it; the process total (`cpu_seconds`) still counts it, under "rest" below."""
    times = {}
    for tid, task, name in threads(pid):
        try:
            times[tid] = (thread_kind(name), stat_cpu_seconds(task / "stat"))
        except OSError:  # the thread ended while we looked
            continue
    return times


def cpu_split(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]], total: float,
              seconds: float) -> dict[str, float]:
    """Cores per thread kind over the window; "rest" is whatever the named kinds leave of the total."""
    split = {kind: 0.0 for kind, _ in THREAD_KINDS}
    for tid, (kind, cpu) in after.items():
        if kind != "rest":
            split[kind] += (cpu - before.get(tid, (kind, 0.0))[1]) / seconds
    split["rest"] = max(total - sum(split.values()), 0.0)
    return split


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_signal(tapedeck: Path) -> tuple[subprocess.Popen, str]:
    # Rooms hold 32 peers by default (a limit against floods): room for the largest run here.
    process = subprocess.Popen([str(tapedeck), "signal", "--host", "127.0.0.1", "--port", "0", "--max-peers-per-room", "1000"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline().strip()
    if not line.startswith("tapedeck signal listening on "):
        raise RuntimeError(f"signal server did not start: {line!r}")
    return process, line.rsplit(" ", 1)[1]


def publish(tapedeck: Path, url: str, room: str, count: int, seconds: float) -> subprocess.Popen:
    return subprocess.Popen([str(tapedeck), "publish", "--signaling", url, "--room", room, "--count", str(count),
                             "--name", room, "--duration", str(seconds), "--size", "640x480", "--fps", "30",
                             "--bitrate", "1000", "--include-loopback", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def connected_participants(manifest_path: Path) -> int:
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        return 0
    return sum(1 for participant in manifest.get("participants", [])
               if any(connection.get("connected") for connection in participant.get("connections", [])))


def frames_in_files(manifest: dict) -> dict:
    frames = {"video": 0, "audio": 0}
    for participant in manifest.get("participants", []):
        for segment in participant.get("segments", []):
            for file in segment.get("files", []):
                for track in file.get("tracks", []):
                    frames[track["kind"]] = frames.get(track["kind"], 0) + track.get("frames", 0)
    return frames


def frames_sent(report: dict) -> dict:
    frames = {"video": 0, "audio": 0}
    for participant in report.get("participants", []):
        for connection in participant.get("connections", []):
            for stream in connection.get("streams", []):
                frames[stream["kind"]] = frames.get(stream["kind"], 0) + stream.get("framesSent", 0)
    return frames


PROFILE_DIR: Path | None = None  # --profile: where `perf record` writes each run's samples
PROFILE_CALL_GRAPH = "fp"  # --profile-call-graph


def profile(pid: int, name: str) -> subprocess.Popen | None:
    """Samples `pid` with perf (cpu-clock, call graphs by frame pointer) until stopped."""
    if PROFILE_DIR is None:
        return None
    PROFILE_DIR.mkdir(parents=True, exist_ok=True)
    # DWARF unwinding sees through libc and the other C libraries (no frame pointers there),
    # at the cost of far larger files: sample less often.
    rate = "999" if PROFILE_CALL_GRAPH == "fp" else "199"
    return subprocess.Popen(["perf", "record", "-q", "-e", "cpu-clock", "-F", rate, "--call-graph", PROFILE_CALL_GRAPH, "-p", str(pid),
                             "-o", str(PROFILE_DIR / f"{name}.perf.data")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# What a sampled function belongs to, by its file and name (first match wins). libsrtp is linked
# into our binary and NIO is compiled into it, partly inlined into our code: they are told apart by
# their functions' names, so what was inlined counts as ours.
SAMPLE_OWNERS = (
    ("kernel", lambda dso, symbol: "kernel" in dso),
    ("OpenSSL", lambda dso, symbol: "/libcrypto" in dso or "/libssl" in dso),
    ("libsrtp", lambda dso, symbol: symbol.startswith(("srtp_", "bitvector_"))),
    ("FFmpeg", lambda dso, symbol: any(f"/lib{name}" in dso for name in ("avformat", "avcodec", "avutil", "swscale", "swresample"))),
    ("libc", lambda dso, symbol: "/libc.so" in dso or "/libm.so" in dso),
    ("NIO", lambda dso, symbol: any(module in symbol for module in ("NIOPosix", "NIOCore", "_NIODataStructures", "NIOConcurrencyHelpers"))),
    ("Foundation", lambda dso, symbol: "/libFoundation" in dso),
    ("Swift runtime", lambda dso, symbol: "/libswift" in dso),
)


def samples_by_owner(data: Path, binary: str) -> dict[str, float] | None:
    """Shares of the recorder's samples by what the sampled function (each stack's innermost)
    belongs to: the kernel, a library, the Swift runtime, or our code (`binary`, the rest). None
    when perf cannot read the file."""
    try:
        script = perf("script", "-i", str(data), "--hide-call-graph", "-F", "ip,sym,dso", timeout=300)
    except (OSError, subprocess.SubprocessError):
        return None
    if script.returncode != 0:
        return None
    counts: dict[str, int] = {}
    for line in script.stdout.splitlines():
        # "    7f8f8e6709b3 swift_retain (/opt/swift/usr/lib/swift/linux/libswiftCore.so)"
        head, _, dso = line.strip().rpartition(" (")
        symbol = head.split(" ", 1)[1] if " " in head else ""
        dso = dso.rstrip(")")
        owner = next((name for name, test in SAMPLE_OWNERS if test(dso, symbol)), None)
        if owner is None:
            owner = "ours" if os.path.basename(dso) == os.path.basename(binary) else "other"
        counts[owner] = counts.get(owner, 0) + 1
    total = sum(counts.values())
    return {owner: count / total for owner, count in sorted(counts.items(), key=lambda item: -item[1])} if total else None


def measure_window(recorder_pid: int, publishers: list, warmup: float, window: float, name: str = "run") -> dict:
    time.sleep(warmup)
    samplers = [profile(recorder_pid, name)] + [profile(p.pid, f"{name}-publisher") for p in publishers[:1]]
    threads0 = cpu_seconds_by_thread(recorder_pid)
    (user0, sys0), pub0, t0 = user_system_seconds(recorder_pid), sum(cpu_seconds(p.pid) for p in publishers), time.monotonic()
    time.sleep(window)
    (user1, sys1), pub1, t1 = user_system_seconds(recorder_pid), sum(cpu_seconds(p.pid) for p in publishers), time.monotonic()
    threads1 = cpu_seconds_by_thread(recorder_pid)
    for sampler in filter(None, samplers):
        sampler.send_signal(signal.SIGINT)
        sampler.wait(timeout=60)
    recorder = (user1 + sys1 - user0 - sys0) / (t1 - t0)
    figures = {"recorder_cpu_per_second": recorder, "publisher_cpu_per_second": (pub1 - pub0) / (t1 - t0),
               "recorder_system_cpu_per_second": (sys1 - sys0) / (t1 - t0),
               "recorder_cpu_by_thread": cpu_split(threads0, threads1, recorder, t1 - t0),
               "recorder_rss_mib": rss_mib(recorder_pid)}
    if samplers[0] is not None:
        figures["recorder_samples_by_owner"] = samples_by_owner(PROFILE_DIR / f"{name}.perf.data",
                                                                os.readlink(f"/proc/{recorder_pid}/exe"))
    return figures


MALLOC_EVENT = "probe_libc:malloc"
# What the I/O threads read datagrams with: recvmmsg returns how many it read, recvmsg reads one.
DATAGRAM_EVENTS = ("syscalls:sys_exit_recvmmsg", "syscalls:sys_exit_recvmsg")
_alloc_reasons_told: set[str] = set()


def io_threads(pid: int) -> list[int]:
    """The recorder's RTC I/O threads: NIO's event loops. NIO-SGLTN-* (HTTP, signalling) is left out."""
    return sorted(tid for tid, _, name in threads(pid) if thread_kind(name) == "io")


def libc_of(pid: int) -> str | None:
    # The libc the process really mapped: its path differs between distributions (/lib vs /usr/lib, multiarch).
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and fields[5].endswith("/libc.so.6"):
            return fields[5]
    return None


def perf(*arguments: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(["perf", *arguments], capture_output=True, text=True, timeout=timeout)


def perf_failure(what: str, result: subprocess.CompletedProcess) -> str:
    lines = [line.strip() for line in (result.stderr + result.stdout).splitlines() if line.strip()]
    return f"{what} failed (exit {result.returncode}): {lines[0] if lines else 'no output'}"


class AllocationsUnavailable(Exception):
    pass


def count_allocations(recorder_pid: int, window: float) -> tuple[int, int]:
    """(mallocs, datagrams read) on the recorder's I/O threads over `window` seconds."""
    if shutil.which("perf") is None:
        raise AllocationsUnavailable("perf is not installed")
    tids = io_threads(recorder_pid)
    if not tids:
        raise AllocationsUnavailable(f"no NIO-ELT- threads in process {recorder_pid}")
    libc = libc_of(recorder_pid)
    if libc is None:
        raise AllocationsUnavailable(f"process {recorder_pid} has no libc.so.6 mapped")
    listed = [line for line in perf("probe", "-l").stdout.splitlines() if line.split()[:1] == [MALLOC_EVENT]]
    try:
        # A probe of that name is most likely one left by a run killed before it could clean up: use it,
        # unless it is on another libc than this process's, where it would count nothing.
        if listed and not any(libc in line or os.path.realpath(libc) in line for line in listed):
            perf("probe", "-q", "-d", MALLOC_EVENT)
            listed = []
        if not listed:
            added = perf("probe", "-q", "-x", libc, "-a", "malloc")
            if added.returncode != 0:
                raise AllocationsUnavailable(perf_failure(f"perf probe -x {libc} -a malloc", added))
        with tempfile.TemporaryDirectory(prefix="tapedeck-scale-alloc-") as folder:
            data = str(Path(folder) / "alloc.perf.data")
            events = [argument for event in (MALLOC_EVENT, *DATAGRAM_EVENTS) for argument in ("-e", event)]
            # No call graphs: only the counts are wanted, and each event costs the I/O thread less without.
            recorded = perf("record", "-q", "-o", data, *events, "-t", ",".join(map(str, tids)), "--", "sleep", f"{window:g}",
                            timeout=window + 60)
            if recorded.returncode != 0:
                raise AllocationsUnavailable(perf_failure("perf record", recorded))
            script = perf("script", "-i", data, "-F", "event,trace", timeout=300)
            if script.returncode != 0:
                # perf script fails on a file without a single event: nothing read, nothing allocated.
                if "no samples" in script.stderr:
                    return 0, 0
                raise AllocationsUnavailable(perf_failure("perf script", script))
    finally:
        perf("probe", "-q", "-d", MALLOC_EVENT)
    mallocs = datagrams = 0
    for line in script.stdout.splitlines():
        # "probe_libc:malloc: (7f8b0dca9930)" or "syscalls:sys_exit_recvmmsg: 0x2"; ret printed as unsigned hex.
        event, _, trace = line.strip().partition(": ")
        event = event.rstrip(":")
        if event == MALLOC_EVENT:
            mallocs += 1
        elif event in DATAGRAM_EVENTS:
            ret = int(trace.split()[0], 16)
            ret = ret - (1 << 64) if ret >= 1 << 63 else ret  # errors (-EAGAIN) are negative
            if ret > 0:
                datagrams += ret if event == "syscalls:sys_exit_recvmmsg" else 1
    return mallocs, datagrams


def measure_allocations(recorder_pid: int, window: float) -> dict:
    """Heap allocations per datagram on the recorder's I/O threads, in its own window after the CPU one:
    every malloc stops in the kernel for the uprobe, which would inflate the CPU figures.
    Never fails the bench: without perf (or the right to probe), the figures are None."""
    figures = {"recorder_io_allocations_per_datagram": None, "recorder_io_datagrams_per_second": None,
               "recorder_io_mallocs_per_second": None}
    if window <= 0:
        return figures
    try:
        mallocs, datagrams = count_allocations(recorder_pid, window)
    except (AllocationsUnavailable, OSError, subprocess.SubprocessError, ValueError, IndexError) as error:
        tell_no_allocations(str(error) or type(error).__name__)
        return figures
    figures["recorder_io_datagrams_per_second"] = datagrams / window
    figures["recorder_io_mallocs_per_second"] = mallocs / window
    if datagrams:
        figures["recorder_io_allocations_per_datagram"] = mallocs / datagrams
    else:
        tell_no_allocations("the I/O threads read no datagram in the window")
    return figures


def tell_no_allocations(reason: str) -> None:
    # Once per reason: the same missing perf would otherwise repeat under every row.
    if reason not in _alloc_reasons_told:
        _alloc_reasons_told.add(reason)
        print(f"bench-scale: no alloc/dgram figure: {reason}", file=sys.stderr, flush=True)


def wait_connected(count_connected, expected: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    seen = 0
    while time.monotonic() < deadline:
        seen = count_connected()
        if seen >= expected:
            return seen
        time.sleep(0.5)
    return seen


def one_room(tapedeck: Path, recipe: str, count: int, warmup: float, window: float, alloc_window: float) -> dict:
    signal_server, url = start_signal(tapedeck)
    # A hundred participants write about a gigabyte a minute: the folder goes when the run ends.
    folder = Path(tempfile.mkdtemp(prefix="tapedeck-scale-"))
    out = folder / "recording"
    room = f"scale-{recipe}-{count}"
    recorder = subprocess.Popen([str(tapedeck), "record", "--signaling", url, "--room", room, "--out", str(out),
                                 "--recipe", recipe, "--include-loopback", "--max-participants", str(max(count, 100)),
                                 "--json", "--log-level", "error"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        time.sleep(1)
        # Long enough for everyone to connect, the warm-up and the window; stopped by hand after.
        publisher = publish(tapedeck, url, room, count, 3600)
        connected = wait_connected(lambda: connected_participants(out / "manifest.json"), count, 30 + count * 0.5)
        figures = measure_window(recorder.pid, [publisher], warmup, window, name=f"{recipe}-{count}")
        figures |= measure_allocations(recorder.pid, alloc_window)
        publisher.send_signal(signal.SIGINT)
        report, _ = publisher.communicate(timeout=120)
        time.sleep(1)  # the last packets in flight reach the files
        recorder.send_signal(signal.SIGINT)
        manifest_text, _ = recorder.communicate(timeout=120)
        manifest = json.loads(manifest_text) if manifest_text.strip() else {}
        sent = frames_sent(json.loads(report) if report.strip() else {})
        present = frames_in_files(manifest)
        return {"recipe": recipe, "participants": count, "connected": connected, **figures,
                # Per participant recorded: a run where fewer connected than were asked is not cheaper.
                "cpu_per_participant_second": figures["recorder_cpu_per_second"] / max(connected, 1),
                "video_frames_present": present["video"] / sent["video"] if sent["video"] else float("nan"),
                "audio_frames_present": present["audio"] / sent["audio"] if sent["audio"] else float("nan")}
    finally:
        for process in (recorder, signal_server):
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def api(url: str, method: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(url + path, method=method, data=json.dumps(body).encode() if body else None,
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"{}")


def rooms_on_serve(tapedeck: Path, rooms: int, per_room: int, warmup: float, window: float, alloc_window: float) -> dict:
    signal_server, signal_url = start_signal(tapedeck)
    data = Path(tempfile.mkdtemp(prefix="tapedeck-scale-serve-"))
    serve = subprocess.Popen([str(tapedeck), "serve", "--data", str(data), "--host", "127.0.0.1", "--port", "0",
                              "--include-loopback", "--log-level", "error"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             env={**os.environ, "TAPEDECK_API_TOKEN": TOKEN})
    publishers = []
    try:
        line = serve.stdout.readline().strip()
        if not line.startswith("tapedeck serve listening on "):
            raise RuntimeError(f"tapedeck serve did not start: {line!r}")
        url = line.rsplit(" ", 1)[1]
        jobs = [api(url, "POST", "/v1/recordings", {"room": f"scale-room-{index}", "signaling_url": signal_url,
                                                     "recipe": "webm"})["id"] for index in range(rooms)]
        time.sleep(2)
        publishers = [publish(tapedeck, signal_url, f"scale-room-{index}", per_room, 3600) for index in range(rooms)]

        def connected() -> int:
            return sum(connected_participants(data / "recordings" / job / "manifest.json") for job in jobs)

        seen = wait_connected(connected, rooms * per_room, 60 + rooms * per_room * 0.5)
        figures = measure_window(serve.pid, publishers, warmup, window, name=f"serve-{rooms}x{per_room}")
        figures |= measure_allocations(serve.pid, alloc_window)
        reports = {"participants": []}
        for publisher in publishers:
            publisher.send_signal(signal.SIGINT)
        for publisher in publishers:
            report, _ = publisher.communicate(timeout=120)
            reports["participants"] += json.loads(report)["participants"] if report.strip() else []
        time.sleep(1)
        for job in jobs:
            api(url, "POST", f"/v1/recordings/{job}/stop")
        deadline = time.monotonic() + 120
        manifests = []
        for job in jobs:
            while time.monotonic() < deadline and api(url, "GET", f"/v1/recordings/{job}")["state"] not in ("completed", "failed"):
                time.sleep(0.5)
            manifests.append(json.loads((data / "recordings" / job / "manifest.json").read_text()))
        sent = frames_sent(reports)
        present = {"video": 0, "audio": 0}
        for manifest in manifests:
            for kind, frames in frames_in_files(manifest).items():
                present[kind] = present.get(kind, 0) + frames
        count = rooms * per_room
        return {"recipe": "webm", "participants": count, "rooms": rooms, "connected": seen, **figures,
                "cpu_per_participant_second": figures["recorder_cpu_per_second"] / max(seen, 1),
                "video_frames_present": present["video"] / sent["video"] if sent["video"] else float("nan"),
                "audio_frames_present": present["audio"] / sent["audio"] if sent["audio"] else float("nan")}
    finally:
        for process in [*publishers, serve, signal_server]:
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(data, ignore_errors=True)


def print_row(figures: dict, rss_base: float | None) -> None:
    added = ""
    if rss_base is not None and figures["connected"] > 1:
        added = f"{(figures['recorder_rss_mib'] - rss_base) / (figures['connected'] - 1):6.2f}"
    where = f"{figures['rooms']} rooms (serve)" if "rooms" in figures else "1 room (record)"
    per_datagram = figures.get("recorder_io_allocations_per_datagram")
    allocations = "n/a" if per_datagram is None else f"{per_datagram:11.3f}"
    print(f"  {figures['recipe']:4s} {figures['participants']:4d} {where:17s} {figures['connected']:4d} "
          f"{figures['cpu_per_participant_second']:10.5f} {figures['recorder_cpu_per_second']:8.3f} "
          f"{figures['recorder_system_cpu_per_second']:8.3f} "
          f"{figures['publisher_cpu_per_second']:8.3f} {figures['recorder_rss_mib']:8.0f} {added:>9s} "
          f"{figures['video_frames_present'] * 100:8.2f}% {figures['audio_frames_present'] * 100:8.2f}% "
          f"{allocations:>11s}  {split_text(figures)}", flush=True)
    owners = figures.get("recorder_samples_by_owner")
    if owners:
        print("         the recorder's samples by owner: " + ", ".join(f"{owner} {share * 100:.0f}%" for owner, share in owners.items()),
              flush=True)


def split_text(figures: dict) -> str:
    split = figures.get("recorder_cpu_by_thread") or {}
    return "/".join(f"{split.get(kind, 0.0):.3f}" for kind in ("io", "media", "capture", "rest"))


def run_repeatedly(run, times: int, as_json: bool, rss_base=lambda figures: None) -> None:
    """Runs one configuration `times` times, a row each, then the spread of its cost."""
    runs = []
    for _ in range(times):
        figures = run()
        print(json.dumps(figures)) if as_json else print_row(figures, rss_base(figures))
        runs.append(figures)
    if not as_json:
        print_spread(runs)


def print_spread(runs: list[dict]) -> None:
    """After a configuration run more than once: the median and the range of its cost."""
    if len(runs) < 2:
        return
    costs = sorted(run["cpu_per_participant_second"] for run in runs)
    middle = len(costs) // 2
    median = costs[middle] if len(costs) % 2 else (costs[middle - 1] + costs[middle]) / 2
    print(f"  {'':4s} {'':4s} median of {len(runs)} runs: {median:.5f} CPU-s/part-s "
          f"({costs[0]:.5f} to {costs[-1]:.5f})", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tapedeck", type=Path, required=True)
    parser.add_argument("--webm", default="1,10,50,100,200", help="participants per run, WebM passthrough")
    parser.add_argument("--mp4", default="1,4,8", help="participants per run, MP4 (VP8 transcoded to H.264)")
    parser.add_argument("--rooms", default="10x10", help="ROOMSxPARTICIPANTS recorded by one tapedeck serve ('' skips)")
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--window", type=float, default=20)
    parser.add_argument("--alloc-window", type=float, default=10,
                        help="seconds, after the CPU window, over which the I/O threads' mallocs per datagram read are "
                        "counted with a perf uprobe on malloc (alloc/dgram; needs perf and root; 0 skips)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each configuration this many times, then print the median and range of its cost "
                        "(a shared machine's CPU time varies by tens of per cent from run to run)")
    parser.add_argument("--json", action="store_true", help="one JSON object per run instead of the table")
    parser.add_argument("--profile", type=Path, help="also sample the recorder and the (first) publisher over each window "
                        "with perf, into this folder (sampling costs a little CPU: the figures are not the plain run's)")
    parser.add_argument("--profile-call-graph", default="fp", choices=["fp", "dwarf"],
                        help="how perf unwinds the stacks: frame pointers (Swift code) or DWARF (also C libraries)")
    args = parser.parse_args()
    global PROFILE_DIR, PROFILE_CALL_GRAPH
    PROFILE_DIR = args.profile
    PROFILE_CALL_GRAPH = args.profile_call_graph

    allocations = (f", then I/O-thread mallocs per datagram read over {args.alloc_window:g} s (perf uprobe)"
                   if args.alloc_window > 0 else "")
    print("scale of one recording process: 640x480 30 fps VP8 1 Mbit/s + Opus per participant "
          f"(tapedeck publish), {args.warmup:g} s warm-up, CPU over {args.window:g} s{allocations}:")
    print("  kind    N where             conn  CPU-s/part-s rec-CPU  rec-sys  pub-CPU  RSS MiB MiB/added   video    audio alloc/dgram  "
          "rec-CPU io/media/capture/rest")
    runs = [("webm", int(n)) for n in args.webm.split(",") if n] + [("mp4", int(n)) for n in args.mp4.split(",") if n]
    bases: dict[str, float] = {}
    for recipe, count in runs:
        def rss_base(figures: dict, recipe: str = recipe, count: int = count) -> float | None:
            # The first run with one participant is what each added participant is measured from.
            if count == 1:
                bases.setdefault(recipe, figures["recorder_rss_mib"])
            return bases.get(recipe)
        run_repeatedly(lambda: one_room(args.tapedeck, recipe, count, args.warmup, args.window, args.alloc_window),
                       args.repeat, args.json, rss_base)
    if args.rooms:
        rooms, per_room = (int(part) for part in args.rooms.split("x"))
        run_repeatedly(lambda: rooms_on_serve(args.tapedeck, rooms, per_room, args.warmup, args.window, args.alloc_window),
                       args.repeat, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
