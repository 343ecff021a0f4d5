"""`tapedeck serve` on its embedded default (SQLite, one embedded worker): jobs POSTed to the
REST API join real rooms where `tapedeck publish` speaks, and end with files that decode."""
import json
import time

from jobs_service import Serve, WebhookReceiver, in_seconds, media_outputs, parse_time, publisher, signature_is_valid
from media_checks import decode_errors, probe
from peers import ROOT


def test_a_job_records_until_stopped_and_webhooks_report_it_signed(signal_server, tmp_path):
    hooks = WebhookReceiver()
    serve = Serve(tmp_path / "data")
    speaker = publisher(signal_server.url, "standup", "speaker", 60)
    try:
        job = serve.create(room="standup", signaling_url=signal_server.url, recipe="webm", webhook_url=hooks.url,
                           metadata={"meeting": "42"})
        assert job["state"] == "queued" and job["metadata"] == {"meeting": "42"}, job
        serve.wait_for_state(job["id"], "recording", timeout=20)
        time.sleep(5)
        status, _, stopping = serve.request("POST", f"/v1/recordings/{job['id']}/stop")
        assert status in (200, 202) and stopping["stop_requested"], (status, stopping)
        done = serve.wait_for_state(job["id"], ("completed", "failed"), timeout=20)
        assert done["state"] == "completed", done

        # A job on a room nobody joins ends failed, saying so.
        empty = serve.create(room="nobody-here", signaling_url=signal_server.url, recipe="webm", max_duration_s=3,
                             webhook_url=hooks.url)
        failed = serve.wait_for_state(empty["id"], ("completed", "failed"), timeout=25)
        assert failed["state"] == "failed" and "nobody" in failed["error"], failed

        [output] = media_outputs(done)
        assert output["participant"] == "speaker" and output["finished"] and output["bytes"] > 0, output
        path = serve.data / done["output_directory"] / output["path"]
        assert path.stat().st_size == output["bytes"]
        assert decode_errors(path) == ""
        assert {s["codec_type"] for s in probe(path)["streams"]} == {"audio", "video"}
        assert output["duration_s"] > 4, output
        assert done["statistics"]["packets_received"] > 100 and done["statistics"]["bytes_written"] >= output["bytes"]
        manifest = json.loads((path.parent / "manifest.json").read_text())
        assert manifest["recordingId"] == job["id"] and manifest["state"] == "finished"
        # The room's speaker timeline is one of the job's outputs, nobody's, and downloads as WebVTT.
        [timeline] = [o for o in done["outputs"] if "participant" not in o]
        assert timeline == {"path": "speakers.vtt", "kind": "speakers", "bytes": (path.parent / "speakers.vtt").stat().st_size,
                            "finished": True}, timeline
        status, headers, text = serve.request("GET", f"/v1/recordings/{job['id']}/files/speakers.vtt")
        assert status == 200 and headers["Content-Type"].startswith("text/vtt") and text.startswith("WEBVTT"), (status, headers)
        assert text == (path.parent / "speakers.vtt").read_text(encoding="utf-8")

        # The three events, each signed with the shared secret, each attempt recorded on its job.
        # The bot was in the empty room too, so that job started before it failed.
        def event_types():
            return sorted((event["type"], event["data"]["id"]) for event in hooks.events())
        expected = sorted([("recording.started", job["id"]), ("recording.completed", job["id"]),
                           ("recording.started", empty["id"]), ("recording.failed", empty["id"])])
        deadline = time.monotonic() + 10
        while event_types() != expected and time.monotonic() < deadline:
            time.sleep(0.1)
        assert event_types() == expected, hooks.events()
        assert all(signature_is_valid(body, header) for body, header in hooks.received), hooks.received
        assert not signature_is_valid(hooks.received[0][0], hooks.received[0][1], secret="another secret")
        completed = [e for e in hooks.events() if e["type"] == "recording.completed"][0]
        assert completed["data"]["outputs"] == done["outputs"]
        deliveries = serve.job(job["id"])["webhook_deliveries"]
        assert sorted(d["event"] for d in deliveries) == ["recording.completed", "recording.started"], deliveries
        assert all(d["status"] == 204 for d in deliveries), deliveries

        status, _, metrics = serve.request("GET", "/metrics")
        assert status == 200, metrics
        figures = {line.split(" ")[0]: float(line.split(" ")[1]) for line in metrics.splitlines()
                   if line and not line.startswith("#")}
        assert figures['tapedeck_jobs{state="completed"}'] == 1 and figures['tapedeck_jobs{state="failed"}'] == 1, figures
        assert figures["tapedeck_packets_received_total"] >= done["statistics"]["packets_received"], figures
        assert figures["tapedeck_bytes_written_total"] > 0 and figures["tapedeck_active_recordings"] == 0, figures

        # The live server serves the document test_openapi.py validates, and wants the token.
        status, _, document = serve.request("GET", "/openapi.yaml", token=None)
        assert status == 200 and document == (ROOT / "Sources" / "API" / "openapi.yaml").read_text()
        assert serve.request("GET", f"/v1/recordings/{job['id']}", token=None)[0] == 401
        assert serve.request("GET", f"/v1/recordings/{job['id']}", token="wrong")[0] == 401
        assert serve.request("GET", "/healthz", token=None)[0] == 200 and serve.request("GET", "/readyz", token=None)[0] == 200
    finally:
        speaker.terminate()
        speaker.wait(timeout=10)
        code = serve.terminate()
        hooks.stop()
    assert code == 0, serve.logs()[-3000:]


def test_a_scheduled_job_starts_on_time_and_ends_when_the_room_empties(signal_server, tmp_path):
    serve = Serve(tmp_path / "data")
    try:
        start_at = in_seconds(4)
        job = serve.create(room="later", signaling_url=signal_server.url, recipe="webm", start_at=start_at,
                           stop_when_empty_s=3)
        assert job["state"] == "scheduled", job
        claimed = serve.wait_for_state(job["id"], ("joining", "recording"), timeout=10)
        late = parse_time(claimed["claimed_at"]) - parse_time(start_at)
        print(f"scheduled job claimed {late * 1000:.0f} ms after start_at")
        assert 0 <= late < 1.0, (start_at, claimed["claimed_at"])

        speaker = publisher(signal_server.url, "later", "speaker", 6)
        assert speaker.wait(timeout=30) == 0
        left = time.time()
        done = serve.wait_for_state(job["id"], ("completed", "failed"), timeout=20)
        assert done["state"] == "completed", done
        # It ended once the room had been empty for stop_when_empty_s (noticed within a
        # manifest interval, 2 s), not at some other limit.
        ended = parse_time(done["ended_at"])
        assert 3 <= ended - left < 3 + 4, ended - left
        [output] = media_outputs(done)
        assert decode_errors(serve.data / done["output_directory"] / output["path"]) == ""
    finally:
        assert serve.terminate() == 0, serve.logs()[-3000:]


def test_sigterm_during_two_recordings_finishes_both_and_exits_0(signal_server, tmp_path):
    serve = Serve(tmp_path / "data")
    speakers = [publisher(signal_server.url, room, "speaker", 60) for room in ("room-a", "room-b")]
    try:
        jobs = [serve.create(room=room, signaling_url=signal_server.url, recipe=recipe)
                for room, recipe in (("room-a", "webm"), ("room-b", "mp4"))]
        for job in jobs:
            serve.wait_for_state(job["id"], "recording", timeout=25)
        time.sleep(5)
        started = time.monotonic()
        code = serve.terminate(timeout=15)
        print(f"tapedeck serve exited {time.monotonic() - started:.2f} s after SIGTERM")
        assert code == 0, serve.logs()[-3000:]
        assert time.monotonic() - started < 6, "finalizing took more than 5 s"
    finally:
        for speaker in speakers:
            speaker.terminate()
            speaker.wait(timeout=10)

    # Both jobs went back to the queue (another worker, or this one restarted, resumes them) with
    # their files finished and playable.
    api_only = Serve(tmp_path / "data", "--workers", "0")
    try:
        for job, extension in zip(jobs, (".webm", ".mp4")):
            now = api_only.job(job["id"])
            assert now["state"] == "queued" and now.get("lease") is None and now["attempts"] == 0, now
            [output] = media_outputs(now)
            path = api_only.data / now["output_directory"] / output["path"]
            assert output["finished"] and path.suffix == extension, output
            assert decode_errors(path) == ""
            assert not list(path.parent.glob(".*.partial")) + list(path.parent.glob(".*.opening"))
    finally:
        assert api_only.terminate() == 0


def test_a_webhook_the_receiver_refuses_is_retried_with_backoff(signal_server, tmp_path):
    hooks = WebhookReceiver(fail_first=2)
    serve = Serve(tmp_path / "data")
    try:
        job = serve.create(room="nobody-here", signaling_url=signal_server.url, recipe="webm", max_duration_s=3,
                           webhook_url=hooks.url)
        serve.wait_for_state(job["id"], "failed", timeout=25)
        deadline = time.monotonic() + 15
        while len(hooks.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        deliveries = serve.job(job["id"])["webhook_deliveries"]
    finally:
        assert serve.terminate() == 0
        hooks.stop()
    # The first event was refused twice, then delivered; every attempt is on the job.
    started = [d for d in deliveries if d["event"] == "recording.started"]
    assert [(d["attempt"], d["status"]) for d in started] == [(1, 503), (2, 503), (3, 204)], deliveries
    assert sorted(json.loads(body)["type"] for body, _ in hooks.received) == ["recording.failed", "recording.started"]
    # One event, one id, on every attempt; at least 1 s then 2 s between them.
    assert len({json.loads(body)["id"] for body in hooks.refused}) == 1
    gaps = [later - earlier for earlier, later in zip(hooks.arrivals, hooks.arrivals[1:3])]
    assert gaps[0] > 0.9 and gaps[1] > 1.9, gaps


def sigterm_after_a_refused_webhook(signal_server, tmp_path, fail_first: int):
    """Runs `tapedeck serve` with a job whose webhook receiver refuses its first `fail_first`
    POSTs, sends SIGTERM as soon as the first is refused, and returns (the receiver, still
    running, the data directory, the refused event's id)."""
    hooks = WebhookReceiver(fail_first=fail_first)
    serve = Serve(tmp_path / "data")
    try:
        serve.create(room="nobody-here", signaling_url=signal_server.url, recipe="webm", max_duration_s=30,
                     webhook_url=hooks.url)
        deadline = time.monotonic() + 20
        while not hooks.refused and time.monotonic() < deadline:
            time.sleep(0.02)
        assert hooks.refused, serve.logs()[-3000:]
    finally:
        code = serve.terminate(timeout=15)
    assert code == 0, serve.logs()[-3000:]
    return hooks, serve.data, json.loads(hooks.refused[0])["id"]


def test_an_event_refused_before_sigterm_is_delivered_by_the_next_process(signal_server, tmp_path):
    """A deploy restarts the service just after an event was refused: the event waits in the
    job store's outbox, and the next process delivers it, with the same id."""
    hooks, data, refused_id = sigterm_after_a_refused_webhook(signal_server, tmp_path, fail_first=1)
    restarted = Serve(data)
    try:
        deadline = time.monotonic() + 20
        while refused_id not in [json.loads(body)["id"] for body, _ in hooks.received] and time.monotonic() < deadline:
            time.sleep(0.1)
        delivered = [json.loads(body) for body, _ in hooks.received]
        assert [e["type"] for e in delivered if e["id"] == refused_id] == ["recording.started"], delivered
    finally:
        assert restarted.terminate() == 0
        hooks.stop()


def test_a_receiver_that_keeps_refusing_does_not_hold_up_shutdown(signal_server, tmp_path):
    """The process exits on SIGTERM without waiting out the retries (`terminate` allows 15 s for
    the recording's files and all); the event stays pending in the outbox, and the next process
    takes up its retries."""
    hooks, data, refused_id = sigterm_after_a_refused_webhook(signal_server, tmp_path, fail_first=1_000)
    refused_before = len(hooks.refused)
    assert not hooks.received, hooks.received
    restarted = Serve(data)
    try:
        deadline = time.monotonic() + 20
        while len(hooks.refused) == refused_before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert json.loads(hooks.refused[-1])["id"] == refused_id, hooks.refused[-1]
        status, _, metrics = restarted.request("GET", "/metrics")
        figures = {line.split(" ")[0]: float(line.split(" ")[1]) for line in metrics.splitlines()
                   if line and not line.startswith("#")}
        assert status == 200 and figures["tapedeck_webhook_events_pending"] >= 1, metrics
    finally:
        assert restarted.terminate() == 0
        hooks.stop()


def test_a_job_with_stop_at_completes_there(signal_server, tmp_path):
    """`stop_at` bounds a recording that nothing else stops: the job completes at that moment,
    with what was recorded until then."""
    serve = Serve(tmp_path / "data")
    speaker = publisher(signal_server.url, "until", "speaker", 60)
    try:
        stop_at = in_seconds(8)
        job = serve.create(room="until", signaling_url=signal_server.url, recipe="webm", stop_at=stop_at)
        done = serve.wait_for_state(job["id"], ("completed", "failed"), timeout=25)
        assert done["state"] == "completed", done
        late = parse_time(done["ended_at"]) - parse_time(stop_at)
        print(f"job with stop_at ended {late * 1000:.0f} ms after it")
        assert 0 <= late < 2, (stop_at, done["ended_at"])
        [output] = media_outputs(done)
        path = serve.data / done["output_directory"] / output["path"]
        assert decode_errors(path) == ""
        assert 3 < float(probe(path)["format"]["duration"]) < 8.5
    finally:
        speaker.terminate()
        speaker.wait(timeout=10)
        assert serve.terminate() == 0, serve.logs()[-3000:]
