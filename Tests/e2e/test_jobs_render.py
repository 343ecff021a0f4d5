"""Render jobs through the REST API (`POST /v1/recordings/{id}/renders`): a recording job's raw
capture made again with another recipe by a worker, queued, run and reported like a recording,
its outputs decoding; and a render of a recording that does not exist refused with nothing queued."""
import json
import time

from jobs_service import Serve, WebhookReceiver, media_outputs, publisher
from media_checks import decode_errors, probe, stream_durations


def test_a_render_job_makes_a_webm_recording_again_as_mp4(signal_server, tmp_path):
    hooks = WebhookReceiver()
    serve = Serve(tmp_path / "data")
    speaker = publisher(signal_server.url, "renderable", "speaker", 60)
    try:
        recorded = serve.create(room="renderable", signaling_url=signal_server.url, recipe="webm", max_duration_s=8)
        recorded = serve.wait_for_state(recorded["id"], ("completed", "failed"), timeout=40)
        assert recorded["state"] == "completed", recorded
        [live] = media_outputs(recorded)

        status, _, problem = serve.request("POST", "/v1/recordings/no-such-recording/renders", {"recipe": "mp4"})
        assert status == 404 and problem["title"] == "Recording not found", problem
        status, _, problem = serve.request("POST", f"/v1/recordings/{recorded['id']}/renders", {"recipe": "avi"})
        assert status == 422 and problem["field"] == "recipe", problem
        _, _, listing = serve.request("GET", "/v1/recordings")
        assert len(listing["recordings"]) == 1, "a refused render queued something"

        status, _, render = serve.request("POST", f"/v1/recordings/{recorded['id']}/renders",
                                          {"recipe": "mp4", "webhook_url": hooks.url, "metadata": {"for": "editing"}})
        assert status == 201, render
        assert render["render_of"] == recorded["id"] and render["room"] == "renderable" and render["recipe"] == "mp4", render
        done = serve.wait_for_state(render["id"], ("completed", "failed"), timeout=60)
        # Reported like a recording: started, then completed, to its own webhook.
        deadline = time.monotonic() + 15
        while len([e for e in hooks.events() if e["data"]["id"] == render["id"]]) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        events = sorted(event["type"] for event in hooks.events() if event["data"]["id"] == render["id"])
    finally:
        speaker.terminate()
        speaker.wait(timeout=10)
        assert serve.terminate() == 0, serve.logs()[-3000:]
    assert done["state"] == "completed", (done, serve.logs()[-3000:])
    [output] = media_outputs(done)
    assert output["participant"] == "speaker" and output["path"] == "speaker.mp4" and output["finished"], output
    path = serve.data / done["output_directory"] / output["path"]
    assert decode_errors(path) == ""
    assert {s["codec_type"]: s["codec_name"] for s in probe(path)["streams"]} == {"video": "h264", "audio": "aac"}
    made, was = stream_durations(path), stream_durations(serve.data / recorded["output_directory"] / live["path"])
    assert abs((made["video"]["end"] - made["video"]["start"]) - (was["video"]["end"] - was["video"]["start"])) < 0.3, (made, was)
    manifest = json.loads((path.parent / "manifest.json").read_text())
    assert manifest["recordingId"] == render["id"] and manifest["recipe"] == "mp4" and manifest["state"] == "finished"
    assert events == ["recording.completed", "recording.started"], hooks.events()
    hooks.stop()
