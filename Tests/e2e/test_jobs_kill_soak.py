"""The kill soak (issue 15): three `tapedeck worker`s on one real PostgreSQL record `tapedeck
publish` rooms while the test kills a worker with SIGKILL at random moments and starts another in
its place — SOAK_KILLS kills (10 here; `make soak` runs 100). Then every job is stopped, and:

- no job is lost: every one ends `completed`;
- no job was run by two workers at once: each claim of a job (its lease generation, logged by the
  worker that got it) belongs to one worker, and every run of a job had ended — its worker killed,
  or the run's end logged — before the job's next claim;
- the store counted every claim (a job's `lease_generation` is the number of claims logged);
- every file in every job's folder decodes, those left under temporary names by killed workers too.

SOAK_SEED replays a run's kill schedule."""
import json
import os
import random
import time

from jobs_service import Serve, media_outputs, parse_time, publisher
from media_checks import decode_errors

KILLS = int(os.environ.get("SOAK_KILLS", "10"))
ROOMS = 4
WORKERS = 3
LEASE = 3  # seconds: a killed worker's jobs go to another within about this
# Messages with which a worker says one run of a job is over (JobRun).
RUN_ENDED = ("job ended", "job given back to the queue", "cannot give the job back to the queue",
             "another worker took the job over; leaving it to them", "stopped writing: the lease could not be renewed",
             "another worker took the job over while its files were being delivered; leaving it to them",
             "the run ended without writing its outcome; the job goes back to the queue when its lease expires")


def ends_run(message: str) -> bool:
    """Whether a worker's log line says one of its runs of a job is over; a run that could not
    confirm its claim says "not <step>: …" and ends too."""
    return message in RUN_ENDED or (message.startswith("not ") and (
        "the job was claimed again" in message or "cannot confirm the lease" in message))


class Incarnation:
    """One worker process: its log, and when it was killed or stopped (test clock, Unix seconds)."""

    def __init__(self, data, database, logs):
        # webm costs 0.05 cores: at most two recordings per worker, so the jobs spread out.
        self.worker = Serve(data, "--capacity", "0.1", "--lease-seconds", str(LEASE), "--max-attempts", str(KILLS + 10),
                            "--log-format", "json", database=database, command="worker", log_dir=logs)
        self.ended_at = None

    def kill(self):
        self.ended_at = time.time()
        self.worker.kill()

    def stop(self):
        self.ended_at = time.time()
        return self.worker.terminate(timeout=30)

    def name(self) -> str | None:
        """The worker's name in leases, once it has logged."""
        return next((line["worker"] for line in self.lines() if "worker" in line), None)

    def lines(self) -> list:
        lines = []
        for text in self.worker.logs().splitlines():
            try:
                lines.append(json.loads(text))
            except ValueError:
                pass
        return lines


def test_workers_killed_at_random_lose_no_job_and_never_run_one_twice(signal_server, postgres_database, tmp_path):
    seed = int(os.environ.get("SOAK_SEED", str(time.time_ns() % 1_000_000)))
    rng = random.Random(seed)
    print(f"kill soak: {KILLS} kills, seed {seed} (SOAK_SEED={seed} replays it)")
    data, logs = tmp_path / "data", tmp_path / "logs"
    logs.mkdir()
    api = Serve(data, "--workers", "0", "--max-attempts", str(KILLS + 10), database=postgres_database, log_dir=logs)
    speakers = [publisher(signal_server.url, f"soak-{room}", "speaker", 3_600) for room in range(ROOMS)]
    incarnations = [Incarnation(data, postgres_database, logs) for _ in range(WORKERS)]
    jobs = []
    try:
        jobs = [api.create(room=f"soak-{room}", signaling_url=signal_server.url, recipe="webm") for room in range(ROOMS)]
        for job in jobs:
            api.wait_for_state(job["id"], "recording", timeout=60)
        for kill in range(KILLS):
            time.sleep(rng.uniform(1.0, 3.5))
            live = [incarnation for incarnation in incarnations if incarnation.ended_at is None]
            victim = rng.choice(live)
            victim.kill()
            incarnations.append(Incarnation(data, postgres_database, logs))
        # Every job recording again under a live worker (a killed worker's job after its lease
        # ran out), then asked to stop: a stop asked of a dead worker's job fails it.
        deadline = time.monotonic() + 60
        while True:
            # Asked each time: a worker just started has not logged its name yet.
            live = {incarnation.name() for incarnation in incarnations if incarnation.ended_at is None} - {None}
            current = [api.job(job["id"]) for job in jobs]
            if all(job["state"] == "recording" and job["lease"]["worker"] in live for job in current):
                break
            assert time.monotonic() < deadline, (live, [(job["state"], job.get("lease")) for job in current])
            time.sleep(0.2)
        for job in jobs:
            status, _, body = api.request("POST", f"/v1/recordings/{job['id']}/stop")
            assert status in (200, 202), (status, body)
        ended = [api.wait_for_state(job["id"], ("completed", "failed", "cancelled"), timeout=60) for job in jobs]
    finally:
        for speaker in speakers:
            speaker.terminate()
            speaker.wait(timeout=10)
        for incarnation in incarnations:
            if incarnation.ended_at is None:
                assert incarnation.stop() == 0, incarnation.worker.logs()[-3000:]
        assert api.terminate() == 0

    # No job lost.
    assert [job["state"] for job in ended] == ["completed"] * ROOMS, [(job["state"], job.get("error")) for job in ended]

    # Every claim, from the logs of the workers that got it: (job, generation) -> run.
    runs = {}
    for incarnation in incarnations:
        lines = incarnation.lines()
        for index, line in enumerate(lines):
            if line["message"] != "claimed":
                continue
            key = (line["job"], int(line["generation"]))
            assert key not in runs, f"generation {key[1]} of job {key[0]} was claimed twice"
            claimed = parse_time(line["time"])
            ends = [parse_time(later["time"]) for later in lines[index + 1:]
                    if later.get("job") == line["job"] and ends_run(later["message"])]
            # A run ends with its first end message, or with its worker (killed or stopped).
            end = min(ends + [incarnation.ended_at])
            runs[key] = (claimed, end, line["worker"])
    overlaps = []
    for job in ended:
        generations = sorted(generation for job_id, generation in runs if job_id == job["id"])
        assert generations == list(range(1, job["lease_generation"] + 1)), (job["id"], generations, job["lease_generation"])
        for earlier, later in zip(generations, generations[1:]):
            _, earlier_end, earlier_worker = runs[(job["id"], earlier)]
            later_claim, _, later_worker = runs[(job["id"], later)]
            if earlier_end > later_claim:
                overlaps.append((job["id"], earlier, earlier_worker, earlier_end, later, later_worker, later_claim))
    assert not overlaps, overlaps
    taken_over = sum(job["lease_generation"] - 1 for job in ended)
    print(f"{len(runs)} runs of {ROOMS} jobs; {taken_over} takeovers after {KILLS} kills")
    assert taken_over > 0, "no kill hit a worker while it recorded"

    # Every file decodes: the outputs, and what killed workers left under temporary names.
    for job in ended:
        folder = data / job["output_directory"]
        assert media_outputs(job), job
        for output in media_outputs(job):
            assert output["finished"] and output["bytes"] > 0, output
        media = [path for path in folder.iterdir() if path.name.endswith((".webm", ".webm.partial"))]
        assert len(media) >= len(media_outputs(job)), (media, job["outputs"])
        for path in media:
            assert decode_errors(path) == "", path
