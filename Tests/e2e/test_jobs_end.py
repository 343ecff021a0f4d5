"""Jobs always end: one that cannot reach its room fails within the server's join timeout, and
one that asks for no limit stops at the server's maximum duration (issue 15)."""
import json
import time

from jobs_service import Serve, WebhookReceiver, media_outputs, parse_time, publisher
from media_checks import decode_errors, probe

# Nothing listens on port 1: every connection to it is refused at once, as to a mistyped port.
UNREACHABLE = "ws://127.0.0.1:1"


def test_a_job_that_cannot_reach_its_room_fails_at_the_join_timeout_without_starting(tmp_path):
    hooks = WebhookReceiver()
    serve = Serve(tmp_path / "data", "--join-timeout-seconds", "3")
    try:
        created = time.monotonic()
        job = serve.create(room="typo", signaling_url=UNREACHABLE, recipe="webm", webhook_url=hooks.url)
        # Watch every state the job goes through: it must never be announced `recording`.
        states = []
        while time.monotonic() - created < 20:
            current = serve.job(job["id"])
            if not states or states[-1] != current["state"]:
                states.append(current["state"])
            if current["state"] in ("completed", "failed", "cancelled"):
                break
            time.sleep(0.05)
        took = time.monotonic() - created
        print(f"job against {UNREACHABLE} ended {took:.1f} s after it was made, through {states}")
        assert current["state"] == "failed", (current, serve.logs()[-3000:])
        assert "recording" not in states, states
        assert 3 <= took < 6, (took, states)
        error = current["error"]
        assert error.startswith(f'could not join room "typo" at {UNREACHABLE} within 3 s: connection refused (last of '), error
        # Final at once: not tried again on another attempt.
        assert current["attempts"] == 1 and "recording_started_at" not in current, current

        deadline = time.monotonic() + 10
        while not hooks.events() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)  # a `recording.started` would have come first; give a stray one time to show
        events = hooks.events()
        assert [event["type"] for event in events] == ["recording.failed"], events
        assert events[0]["data"]["error"] == error, events
    finally:
        code = serve.terminate()
        hooks.stop()
    assert code == 0, serve.logs()[-3000:]


def test_a_job_without_limits_stops_at_the_servers_maximum_duration(signal_server, tmp_path):
    serve = Serve(tmp_path / "data", "--max-duration-seconds", "4")
    speaker = publisher(signal_server.url, "long", "speaker", 60)
    try:
        job = serve.create(room="long", signaling_url=signal_server.url, recipe="webm")
        done = serve.wait_for_state(job["id"], ("completed", "failed"), timeout=30)
        assert done["state"] == "completed", done
        recorded = parse_time(done["ended_at"]) - parse_time(done["claimed_at"])
        print(f"job without limits ended {recorded:.1f} s after it was claimed")
        assert 4 <= recorded < 8, done
        [output] = media_outputs(done)
        path = serve.data / done["output_directory"] / output["path"]
        assert output["finished"] and decode_errors(path) == ""
        assert 2 < float(probe(path)["format"]["duration"]) < 4.5
        # Why it stopped, in the manifest; the job itself is whole and has no error.
        manifest = json.loads((path.parent / "manifest.json").read_text())
        assert manifest["state"] == "finished", manifest
        assert "stopped at the server's maximum duration of 4 s" in manifest["errors"], manifest["errors"]
        assert "error" not in done, done
        assert "stopped at the server's maximum duration of 4 s" in serve.logs()
    finally:
        speaker.terminate()
        speaker.wait(timeout=10)
        code = serve.terminate()
    assert code == 0, serve.logs()[-3000:]
