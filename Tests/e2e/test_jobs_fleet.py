"""A fleet: `tapedeck serve --workers 0` (the API) and two `tapedeck worker` processes sharing a
real PostgreSQL (started by scripts/test-postgres, the `postgres_database` fixture) and one data
directory."""
import re
import time
from collections import Counter

from jobs_service import Serve, media_outputs, parse_time, publisher, room_outputs
from media_checks import decode_errors


def test_two_workers_run_20_jobs_exactly_once(signal_server, postgres_database, tmp_path):
    data = tmp_path / "data"
    api = Serve(data, "--workers", "0", database=postgres_database)
    workers = [Serve(data, "--capacity", "0.1", "--lease-seconds", "4", database=postgres_database, command="worker")
               for _ in range(2)]
    try:
        # Short jobs in rooms nobody joins: each ends failed, "nobody was in room", after 1 s;
        # webm costs 0.02 cores, so each worker runs at most five at once.
        jobs = [api.create(room=f"fleet-{index}", signaling_url=signal_server.url, recipe="webm", max_duration_s=1)
                for index in range(20)]
        ended = [api.wait_for_state(job["id"], ("completed", "failed", "cancelled"), timeout=90) for job in jobs]
    finally:
        for worker in workers:
            assert worker.terminate() == 0, worker.logs()[-3000:]
        assert api.terminate() == 0
    assert all(job["state"] == "failed" and "nobody was in room" in job["error"] for job in ended), ended
    assert all(job["attempts"] == 1 for job in ended), [job["attempts"] for job in ended]
    # Each job was recorded by exactly one worker, and both workers took some.
    started = Counter()
    per_worker = []
    for worker in workers:
        ids = re.findall(r"attempt=1 .*job=([0-9a-f-]{36}) .* recording$", worker.logs(), re.MULTILINE)
        started.update(ids)
        per_worker.append(len(set(ids)))
    assert sorted(started) == sorted(job["id"] for job in jobs) and set(started.values()) == {1}, started
    assert all(count > 0 for count in per_worker), per_worker


def test_a_job_whose_worker_is_killed_continues_on_another_worker(signal_server, postgres_database, tmp_path):
    data = tmp_path / "data"
    api = Serve(data, "--workers", "0", database=postgres_database)
    first = Serve(data, "--lease-seconds", "4", database=postgres_database, command="worker")
    speaker = publisher(signal_server.url, "takeover", "speaker", 90)
    second = None
    try:
        job = api.create(room="takeover", signaling_url=signal_server.url, recipe="webm")
        api.wait_for_state(job["id"], "recording", timeout=25)
        time.sleep(6)
        second = Serve(data, "--lease-seconds", "4", "--metrics-port", "0", database=postgres_database, command="worker")
        time.sleep(1)
        first.kill()  # SIGKILL: no goodbye, the lease just stops being renewed
        killed = time.time()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            now = api.job(job["id"])
            if now["attempts"] == 2 and now["state"] == "recording":
                break
            time.sleep(0.2)
        else:
            raise AssertionError(f"no other worker took the job over: {now}\n{second.logs()[-3000:]}")
        taken = parse_time(now["claimed_at"]) - killed
        print(f"another worker took the job over {taken:.2f} s after the kill (lease 4 s)")
        # Within the lease (renewed every 0.8 s), plus the new worker's 250 ms poll.
        assert 0 < taken < 4 + 1.5, taken
        time.sleep(6)
        api.request("POST", f"/v1/recordings/{job['id']}/stop")
        done = api.wait_for_state(job["id"], ("completed", "failed"), timeout=20)
        # The worker that took over counts what it recorded (the API process records nothing).
        figures = second.metrics()
        assert figures["tapedeck_packets_received_total"] > 100 and figures["tapedeck_bytes_written_total"] > 0, figures
        assert figures["tapedeck_active_recordings"] == 0 and figures['tapedeck_jobs{state="completed"}'] == 1, figures
    finally:
        speaker.terminate()
        speaker.wait(timeout=10)
        if second:
            assert second.terminate() == 0, second.logs()[-3000:]
        assert api.terminate() == 0
    assert done["state"] == "completed", done
    # Both segments are in the job's folder and decode: the first left by the killed worker
    # (recovered from its temporary name), the second by the worker that took over.
    assert [output["path"] for output in media_outputs(done)] == ["speaker.webm", "speaker-2.webm"], done["outputs"]
    # Each run's speaker timeline is kept: the first run's beside its manifest.
    assert [output["path"] for output in room_outputs(done)] == ["speakers.attempt-1.vtt", "speakers.vtt"], done["outputs"]
    folder = data / done["output_directory"]
    for output in media_outputs(done):
        assert output["finished"] and output["bytes"] > 0, output
        assert decode_errors(folder / output["path"]) == ""
    assert (folder / "manifest.attempt-1.json").exists() and (folder / "manifest.json").exists()
    assert not list(folder.glob(".*.partial")) + list(folder.glob(".*.opening"))
