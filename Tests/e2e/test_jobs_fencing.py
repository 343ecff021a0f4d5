"""A worker cut off from PostgreSQL for longer than its lease (issue 15, fencing).

The first worker runs in a network namespace (netns.LinkedNamespace) and reaches the real
PostgreSQL through a TCP relay on the namespace link (tcp_relay.py); nftables then drops that
traffic both ways (tcp_cut.py) for three leases. The worker must stop writing the job's folder
before its lease runs out, a second worker in the root namespace takes the job over, and no file
of the folder is ever written by both: every file is watched (inode, size, mtime) throughout, the
files the first worker made never change after it stopped, and the second worker's files appear
only after that. Every output decodes."""
import json
import os
import time
from urllib.parse import urlsplit, urlunsplit

import pytest

from jobs_service import Serve, media_outputs, parse_time, publisher
from media_checks import decode_errors
from netns import LinkedNamespace
from peers import SignalServer
from tcp_cut import TcpCut
from tcp_relay import TcpRelay

# A namespace's link comes and goes in the root namespace: not beside another test's call (conftest.py).
pytestmark = pytest.mark.alone

LEASE = 4  # seconds: renewed every 0.8 s; without a renewal, writing stops 3.2 s after the last one
STOPPED = "stopped writing: the lease could not be renewed"
RUN_GAVE_UP = ("another worker took the job over; leaving it to them", "the job was claimed again since this run's claim",
               "the run ended without writing its outcome")


@pytest.fixture
def cut_off_rig():
    """make() -> (namespace, relay, cut): a namespace, a relay to (host, port) on its `outer`
    address, and a cut of the relay's port; all closed here, newest first."""
    made = []

    def make(target: tuple[str, int]):
        namespace = LinkedNamespace()
        made.append(namespace)
        relay = TcpRelay(namespace.outer, target)
        made.append(relay)
        cut = TcpCut(namespace, relay.port)
        made.append(cut)
        return namespace, relay, cut
    yield make
    for thing in reversed(made):
        thing.close()


def json_lines(text: str) -> list:
    lines = []
    for line in text.splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            pass  # a library's own stderr line
    return lines


def folder_files(folder) -> dict:
    """inode -> (name, size, mtime) of every file in the folder now."""
    files = {}
    for entry in os.scandir(folder):
        try:
            status = entry.stat(follow_symlinks=False)
        except FileNotFoundError:
            continue  # renamed while we looked
        files[status.st_ino] = (entry.name, status.st_size, status.st_mtime)
    return files


class FolderFiles:
    """Tells files apart across scans of a folder. An inode is not a file's identity: the
    manifest and speakers.vtt are replaced by rename with every write, and the file system hands
    a freed inode straight to the next new file (the second worker's manifest once took the
    number of the first worker's old speakers.vtt between two scans). A file is (inode,
    incarnation). Every file is written as `.NAME.partial` and renamed to NAME when whole, never
    to change again; so an inode seen under a final name and then any other way (another name,
    size or time), or missing from two scans in a row and seen again, is a new file."""

    def __init__(self):
        self.incarnation: dict[int, int] = {}
        self.last: dict[int, tuple] = {}
        self.missing: dict[int, int] = {}

    def scan(self, folder) -> dict:
        """(inode, incarnation) -> (name, size, mtime) of every file in the folder now."""
        now = folder_files(folder)
        for inode in self.last:
            if inode not in now:
                self.missing[inode] = self.missing.get(inode, 0) + 1
        files = {}
        for inode, file in now.items():
            last = self.last.get(inode)
            if last is None:
                self.incarnation[inode] = 0
            elif self.missing.get(inode, 0) >= 2 or (not last[0].endswith(".partial") and last != file):
                self.incarnation[inode] += 1
            self.last[inode] = file
            self.missing[inode] = 0
            files[(inode, self.incarnation[inode])] = file
        return files


def test_a_worker_cut_off_from_postgres_stops_writing_and_another_takes_over(cut_off_rig, postgres_database, tmp_path):
    database = urlsplit(postgres_database)
    namespace, relay, cut = cut_off_rig((database.hostname, database.port))
    relayed = urlunsplit(database._replace(netloc=f"{database.username}:{database.password}@{namespace.outer}:{relay.port}"))
    signal = SignalServer("--allow-unauthenticated", host=namespace.outer)
    data = tmp_path / "data"
    worker_args = ("--lease-seconds", str(LEASE), "--log-format", "json")
    api = Serve(data, "--workers", "0", database=postgres_database)
    first = Serve(data, *worker_args, database=relayed, command="worker", netns=namespace)
    speaker = publisher(signal.url, "fenced", "speaker", 120)
    second = None
    try:
        job = api.create(room="fenced", signaling_url=signal.url, recipe="webm")
        api.wait_for_state(job["id"], "recording", timeout=30)
        folder = data / "recordings" / job["id"]
        time.sleep(4)
        second = Serve(data, *worker_args, database=postgres_database, command="worker")
        time.sleep(1)
        assert relay.connections > 0, "the first worker does not reach PostgreSQL through the relay"
        scanner = FolderFiles()
        before = scanner.scan(folder)
        cut.cut()
        cut_at = time.time()
        # Watch every file of the folder for three leases of the cut, and after it until the
        # second worker has recorded a while.
        history = {}  # (inode, incarnation) -> [(time seen, name, size, mtime)]
        taken = None
        restored = False
        end = cut_at + 3 * LEASE + 6
        while time.time() < end:
            now = time.time()
            for inode, (name, size, mtime) in scanner.scan(folder).items():
                seen = history.setdefault(inode, [])
                if not seen or seen[-1][1:] != (name, size, mtime):
                    seen.append((now, name, size, mtime))
            if not restored and now >= cut_at + 3 * LEASE:
                dropped = cut.counters()
                cut.restore()
                restored = True
            if taken is None:
                current = api.job(job["id"])
                if current["lease_generation"] == 2 and current["state"] == "recording":
                    taken = current
            time.sleep(0.1)
        assert taken, f"no other worker took the job over: {api.job(job['id'])}\n{second.logs()[-3000:]}"
        api.request("POST", f"/v1/recordings/{job['id']}/stop")
        done = api.wait_for_state(job["id"], ("completed", "failed"), timeout=30)
        # Once it can reach the store again, the first worker's run ends: its renewal of its
        # claim is refused (or fails, the run having given up the job already).
        deadline = time.monotonic() + 30
        while not any(message in first.logs() for message in RUN_GAVE_UP):
            assert time.monotonic() < deadline, f"the first worker's run never ended:\n{first.logs()[-4000:]}"
            time.sleep(0.5)
    finally:
        speaker.terminate()
        speaker.wait(timeout=10)
        if second:
            assert second.terminate() == 0, second.logs()[-3000:]
        assert first.terminate(timeout=30) == 0, first.logs()[-3000:]
        assert api.terminate() == 0
        signal.stop()
    first_lines, second_lines = json_lines(first.logs()), json_lines(second.logs())
    assert dropped["inbound_dropped"] > 0, dropped

    # The first worker stopped writing within its lease: its last renewal was before the cut.
    stops = [line for line in first_lines if line["message"] == STOPPED]
    assert len(stops) == 1, first.logs()[-4000:]
    stopped_at = parse_time(stops[0]["time"])
    print(f"the first worker stopped writing {stopped_at - cut_at:.2f} s after the cut (lease {LEASE} s); "
          f"the job was taken over {parse_time(taken['claimed_at']) - cut_at:.2f} s after it")
    assert stopped_at - cut_at < LEASE, (stopped_at - cut_at, stops)
    # It wrote nothing about the job after it lost it: no outcome, no release.
    assert not [line for line in first_lines
                if line["message"] in ("job ended", "job given back to the queue") and line.get("job") == job["id"]]
    # The second worker claimed the job as the next generation, after the first had stopped.
    claims = [line for line in second_lines if line["message"] == "claimed" and line.get("job") == job["id"]]
    assert [line["generation"] for line in claims] == ["2"], claims
    assert parse_time(claims[0]["time"]) > stopped_at and parse_time(taken["claimed_at"]) > stopped_at

    # No file had two writers. The first worker's files (seen before the takeover) never changed
    # after it stopped, the folder was still from then until the takeover, and the second
    # worker's files appeared only after it.
    claimed_at = parse_time(taken["claimed_at"])
    grace = 0.15  # file times and log times are rounded differently
    first_files = set(before) | {inode for inode, changes in history.items() if changes[0][0] < claimed_at}
    assert before, "the first worker wrote nothing before the cut"
    for inode in first_files:
        mtimes = [before[inode][2]] if inode in before else []
        mtimes += [mtime for _, _, _, mtime in history.get(inode, [])]
        assert max(mtimes) <= stopped_at + grace, (inode, before.get(inode), history.get(inode), stopped_at)
    for inode, changes in history.items():
        assert not [mtime for _, _, _, mtime in changes if stopped_at + grace < mtime < claimed_at], (changes, stopped_at)
    later_files = {inode for inode in history if inode not in first_files}
    assert later_files, "the second worker wrote nothing"

    assert done["state"] == "completed", done
    paths = [output["path"] for output in media_outputs(done)]
    assert paths == ["speaker.webm", "speaker-2.webm"], done["outputs"]
    by_name = {name: inode for inode, (name, _, _) in scanner.scan(folder).items()}
    assert by_name["speaker.webm"] in first_files and by_name["speaker-2.webm"] in later_files
    for output in media_outputs(done):
        assert output["finished"] and output["bytes"] > 0, output
        assert decode_errors(folder / output["path"]) == "", output
