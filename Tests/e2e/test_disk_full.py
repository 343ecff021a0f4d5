"""A full disk: the data directory on a small tmpfs that fills mid-recording. The job fails with
the reason (on the job and in its webhook), the bytes written before stay and decode; and a
worker short of free space claims nothing until space comes back."""
import subprocess
import time

import pytest

from jobs_service import Serve, WebhookReceiver, media_outputs, publisher
from media_checks import decode_errors, probe


@pytest.fixture
def small_disk(tmp_path):
    """small_disk(MiB): a tmpfs of that size, unmounted after the test."""
    mounts = []

    def mount(mib: int):
        path = tmp_path / f"small-{len(mounts)}"
        path.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={mib}m", "tmpfs", str(path)], check=True)
        mounts.append(path)
        return path
    yield mount
    for path in mounts:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_disk_that_fills_mid_recording_fails_the_job_with_the_reason_and_keeps_what_was_written(
        signal_server, small_disk, tmp_path):
    # 1 MiB: room for a few seconds of the publisher's video, not for 20.
    disk = small_disk(1)
    receiver = WebhookReceiver()
    # The jobs database and the log elsewhere: the job must be able to say what happened.
    serve = Serve(disk / "data", "--min-free-disk-mib", "0", database=f"sqlite:{tmp_path / 'jobs.sqlite'}",
                  log_dir=tmp_path)
    speaker = publisher(signal_server.url, "full", "alice", 40, size="640x480", bitrate=1500)
    try:
        time.sleep(1)
        job = serve.create(room="full", signaling_url=signal_server.url, recipe="webm", max_duration_s=20,
                           webhook_url=receiver.url)
        done = serve.wait_for_state(job["id"], {"completed", "failed"}, timeout=60)
        assert done["state"] == "failed", done
        assert "No space left on device" in done["error"], done
        assert done["attempts"] == 1, done

        deadline = time.monotonic() + 15
        while not any(event["type"] == "recording.failed" for event in receiver.events()):
            assert time.monotonic() < deadline, receiver.events()
            time.sleep(0.1)
        failed = next(event for event in receiver.events() if event["type"] == "recording.failed")
        assert "No space left on device" in failed["data"]["error"], failed

        # What was written before the disk filled is there, unfinished, and decodes.
        [output] = media_outputs(done)
        assert output["bytes"] > 300_000 and not output["finished"], output
        folder = disk / "data" / done["output_directory"]
        partial = folder / f".{output['path']}.partial"
        assert partial.stat().st_size >= output["bytes"] * 0.9, (partial.stat().st_size, output)
        assert decode_errors(partial) == ""
        assert {stream["codec_type"] for stream in probe(partial)["streams"]} == {"video", "audio"}
    finally:
        speaker.terminate()
        assert serve.terminate() == 0
        receiver.stop()


def test_a_worker_short_of_disk_space_claims_nothing_until_space_comes_back(signal_server, small_disk, tmp_path):
    disk = small_disk(4)
    ballast = disk / "ballast"
    ballast.write_bytes(b"\0" * 3_600_000)
    serve = Serve(disk / "data", "--min-free-disk-mib", "1", database=f"sqlite:{tmp_path / 'jobs.sqlite'}",
                  log_dir=tmp_path)
    try:
        job = serve.create(room="later", signaling_url=signal_server.url, recipe="webm", max_duration_s=2)
        time.sleep(3)
        assert serve.job(job["id"])["state"] == "queued"
        assert "claiming no jobs: the data directory is short of free space" in serve.logs()
        ballast.unlink()
        done = serve.wait_for_state(job["id"], {"completed", "failed"}, timeout=30)
        assert done["attempts"] == 1 and "free disk space is back" in serve.logs(), done
    finally:
        assert serve.terminate() == 0
