"""Webhooks through the job store's outbox: an event is written with the state change it
reports, so a `kill -9` or a receiver down for long loses nothing; each job's events arrive in
order, each exactly once here (delivery is at least once, with the event's `id` to tell).
Retries are shortened by `--webhook-max-retry-delay-seconds` (the default caps the wait at 5 min)."""
import collections
import subprocess
import time

from jobs_service import Serve, WebhookReceiver, in_seconds, parse_time, publisher, signature_is_valid
from peers import tapedeck_binary

SHORT_RETRIES = ("--webhook-max-retry-delay-seconds", "2")


def closed_port() -> int:
    """A loopback port nothing listens on (a receiver that is down), free for one to come back on."""
    receiver = WebhookReceiver()
    receiver.stop()
    return receiver.port


def wait_until(predicate, timeout: float, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s in vain: {what()}")
        time.sleep(0.1)


def record_a_short_job(serve: Serve, signal_server, room: str, webhook_url: str) -> dict:
    """A job that records `tapedeck publish` for 3 s and completes; the job as it ended."""
    speaker = publisher(signal_server.url, room, "speaker", 60)
    try:
        job = serve.create(room=room, signaling_url=signal_server.url, recipe="webm", max_duration_s=3,
                           webhook_url=webhook_url)
        done = serve.wait_for_state(job["id"], ("completed", "failed"), timeout=40)
    finally:
        speaker.terminate()
        speaker.wait(timeout=10)
    assert done["state"] == "completed", done
    return done


def posts_by_event_id(hooks: WebhookReceiver) -> collections.Counter:
    return collections.Counter(event["id"] for event in hooks.events())


def test_kill_9_right_after_a_job_completes_then_a_restart_delivers_each_event_once(signal_server, tmp_path):
    port = closed_port()
    data = tmp_path / "data"
    serve = Serve(data, *SHORT_RETRIES)
    try:
        job = record_a_short_job(serve, signal_server, "standup", f"http://127.0.0.1:{port}/hooks")
    finally:
        serve.kill()
    # The receiver was down: nothing got through before the kill.
    tried = [d["event"] for d in job["webhook_deliveries"]]
    assert "recording.completed" not in tried, job["webhook_deliveries"]

    hooks = WebhookReceiver(port=port)
    # Two processes on the same database after the restart: both deliver, neither twice.
    restarted = Serve(data, *SHORT_RETRIES)
    worker = Serve(data, *SHORT_RETRIES, command="worker")
    try:
        wait_until(lambda: len(hooks.received) >= 2, 30, lambda: (hooks.events(), restarted.logs()[-3000:]))
        time.sleep(3)  # time for a duplicate to show, if any were sent
        events = hooks.events()
        assert [(e["type"], e["data"]["id"]) for e in events] == [
            ("recording.started", job["id"]), ("recording.completed", job["id"])], events
        assert set(posts_by_event_id(hooks).values()) == {1}, posts_by_event_id(hooks)
        assert all(signature_is_valid(body, header) for body, header in hooks.received)
        completed = events[1]
        assert completed["data"]["state"] == "completed" and completed["data"]["outputs"] == job["outputs"], completed
        # Every attempt is on the job (any made before the kill were refused), one got through for each.
        deliveries = restarted.job(job["id"])["webhook_deliveries"]
        assert [d["event"] for d in deliveries if d.get("status") == 204] == ["recording.started", "recording.completed"]
        assert all(d.get("status") is None and d.get("error") for d in deliveries if d.get("status") != 204), deliveries
    finally:
        assert worker.terminate() == 0
        assert restarted.terminate() == 0
        hooks.stop()


def test_a_receiver_down_for_long_gets_the_events_afterwards_in_order(signal_server, postgres_database, tmp_path):
    """A serve and a worker process on PostgreSQL; the receiver is down for 20 s, during which
    the job records and completes and its events are refused again and again."""
    port = closed_port()
    data = tmp_path / "data"
    down_since = time.monotonic()
    serve = Serve(data, *SHORT_RETRIES, database=postgres_database)
    worker = Serve(data, *SHORT_RETRIES, "--metrics-port", "0", database=postgres_database, command="worker")
    hooks = None
    try:
        job = record_a_short_job(serve, signal_server, "review", f"http://127.0.0.1:{port}/hooks")
        metrics = worker.metrics()
        assert metrics["tapedeck_webhook_events_pending"] == 2, metrics
        time.sleep(max(0.0, 20 - (time.monotonic() - down_since)))
        refused = [d for d in serve.job(job["id"])["webhook_deliveries"] if d.get("status") is None]
        assert len(refused) >= 4 and {d["event"] for d in refused} == {"recording.started"}, refused

        hooks = WebhookReceiver(port=port)
        wait_until(lambda: len(hooks.received) >= 2, 30, lambda: (hooks.events(), serve.logs()[-3000:]))
        time.sleep(3)
        assert [e["type"] for e in hooks.events()] == ["recording.started", "recording.completed"], hooks.events()
        assert set(posts_by_event_id(hooks).values()) == {1}, posts_by_event_id(hooks)
        wait_until(lambda: worker.metrics()["tapedeck_webhook_events_pending"] == 0, 10, worker.metrics)
        # The backoff doubled from 1 s to the 2 s cap: attempts at least a second apart, then 2 s.
        # Every attempt was refused but the last; one more may have been refused between the look
        # at the refusals above and the receiver's coming back.
        started = [d for d in serve.job(job["id"])["webhook_deliveries"] if d["event"] == "recording.started"]
        assert all(d.get("status") is None for d in started[:-1]) and started[-1].get("status") is not None, started
        times = [parse_time(d["at"]) for d in started]
        gaps = [later - earlier for earlier, later in zip(times, times[1:])]
        assert len(times) in (len(refused) + 1, len(refused) + 2), (len(times), len(refused))
        assert gaps[0] > 0.9 and all(gap > 1.9 for gap in gaps[1:]), gaps
    finally:
        assert worker.terminate() == 0
        assert serve.terminate() == 0
        if hooks:
            hooks.stop()


def test_a_job_cancelled_before_it_ran_reports_recording_cancelled(tmp_path):
    """`DELETE /v1/recordings/{id}` of a scheduled job: `recording.cancelled`, to the job's own
    `webhook_url`, or to the server's `--webhook-url` when the job has none."""
    default_hooks, own_hooks = WebhookReceiver(), WebhookReceiver()
    serve = Serve(tmp_path / "data", "--webhook-url", default_hooks.url)
    try:
        later = dict(room="later", signaling_url="ws://127.0.0.1:9/ws", recipe="webm", start_at=in_seconds(600))
        job = serve.create(**later)
        own = serve.create(**later, webhook_url=own_hooks.url)
        for scheduled in (job, own):
            assert scheduled["state"] == "scheduled", scheduled
            status, _, cancelled = serve.request("DELETE", f"/v1/recordings/{scheduled['id']}")
            assert status in (200, 202) and cancelled["state"] == "cancelled", (status, cancelled)
        wait_until(lambda: default_hooks.received and own_hooks.received, 15,
                   lambda: (default_hooks.events(), own_hooks.events(), serve.logs()[-3000:]))
        time.sleep(1)
        for hooks, expected in ((default_hooks, job), (own_hooks, own)):
            [event] = hooks.events()
            assert event["type"] == "recording.cancelled" and event["data"]["id"] == expected["id"], event
            assert event["data"]["state"] == "cancelled" and event["data"]["ended_at"], event
            assert signature_is_valid(*hooks.received[0])
    finally:
        assert serve.terminate() == 0
        default_hooks.stop()
        own_hooks.stop()


def test_a_default_webhook_url_that_is_not_http_is_refused_at_start(tmp_path):
    for argv, env in ((["--webhook-url", "ftp://hooks.example.org/x"], {}),
                      ([], {"TAPEDECK_WEBHOOK_URL": "hooks.example.org/x"})):
        result = subprocess.run([str(tapedeck_binary()), "serve", "--data", str(tmp_path / "data"), "--port", "0",
                                 "--rtc-udp-port", "0", *argv],
                                capture_output=True, text=True, timeout=30, env={"PATH": "/usr/bin:/bin", **env})
        assert result.returncode != 0, result
        given = argv[1] if argv else env["TAPEDECK_WEBHOOK_URL"]
        assert f'--webhook-url: "{given}" is not an http:// or https:// URL' in result.stderr, result.stderr
        if env:  # the variable is named, so a deployment's operator knows what to fix
            assert "Options from the environment: TAPEDECK_WEBHOOK_URL (--webhook-url)" in result.stderr, result.stderr
