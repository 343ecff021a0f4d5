"""Render jobs through the REST API (`POST /v1/recordings/{id}/renders`): a recording job's raw
capture made again with another recipe by a worker, queued, run and reported like a recording,
its outputs decoding; a render of a recording that does not exist refused with nothing queued;
and a render on a worker that has nothing of the recording on its disk, from the captures its
worker delivered to object storage."""
import json
import time

from jobs_service import Serve, WebhookReceiver, capture_outputs, media_outputs, publisher
from media_checks import decode_errors, probe, stream_durations
from pcapng import read
from storage_service import MotoS3


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


def test_a_render_job_on_another_worker_fetches_the_captures_from_storage(signal_server, tmp_path):
    """A fleet without a shared data directory: the recording's worker delivers its files and its
    raw captures to the bucket (and keeps no local copy); another worker, with a data directory
    of its own and nothing of the recording on it, takes the render job, fetches the captures
    and renders them."""
    s3 = MotoS3()
    database = f"sqlite:{tmp_path / 'jobs.sqlite'}"
    recorder = Serve(tmp_path / "recorder-data", "--storage", f"s3://{s3.bucket}/meetings", database=database, env=s3.env())
    speaker = publisher(signal_server.url, "fetched", "speaker", 60)
    try:
        recorded = recorder.create(room="fetched", signaling_url=signal_server.url, recipe="webm", max_duration_s=8)
        recorded = recorder.wait_for_state(recorded["id"], ("completed", "failed"), timeout=60)
    finally:
        speaker.terminate()
        speaker.wait(timeout=10)
        assert recorder.terminate() == 0, recorder.logs()[-3000:]
    try:
        assert recorded["state"] == "completed", recorded
        [live] = media_outputs(recorded)
        [capture] = capture_outputs(recorded)
        prefix = f"meetings/{recorded['id']}/"
        assert capture["participant"] == "speaker" and "segment" not in capture and capture["finished"], capture
        assert capture["location"] == f"s3://{s3.bucket}/{prefix}{capture['path']}", capture
        assert not (recorder.data / recorded["output_directory"] / capture["path"]).exists(), "uploaded, the local copy went"
        # What was uploaded is the whole capture: an independent reader reads it to its end.
        uploaded = tmp_path / "uploaded.pcapng"
        s3.client().download_file(s3.bucket, prefix + capture["path"], str(uploaded))
        head = s3.client().head_object(Bucket=s3.bucket, Key=prefix + capture["path"])
        assert head["ContentType"] == "application/x-pcapng" and uploaded.stat().st_size == capture["bytes"], head
        _, packets, cut = read(uploaded.read_bytes())
        assert cut is None and len([p for p in packets if p.dissector == "rtp"]) > 200

        renderer = Serve(tmp_path / "renderer-data", "--storage", f"s3://{s3.bucket}/renders", database=database, env=s3.env())
        try:
            status, _, render = renderer.request("POST", f"/v1/recordings/{recorded['id']}/renders", {"recipe": "mp4"})
            assert status == 201, render
            done = renderer.wait_for_state(render["id"], ("completed", "failed"), timeout=90)
        finally:
            assert renderer.terminate() == 0, renderer.logs()[-3000:]
        assert done["state"] == "completed", (done, renderer.logs()[-3000:])
        assert "fetched the raw captures to render" in renderer.logs()
        assert not (renderer.data / done["output_directory"] / ".render-source").exists(), "the fetched captures were left behind"
        [output] = media_outputs(done)
        assert output["location"] == f"s3://{s3.bucket}/renders/{done['id']}/speaker.mp4", output
        assert capture_outputs(done) == [], "a render keeps no capture"
        made, was = tmp_path / "speaker.mp4", tmp_path / live["path"]
        s3.client().download_file(s3.bucket, f"renders/{done['id']}/speaker.mp4", str(made))
        s3.client().download_file(s3.bucket, prefix + live["path"], str(was))
        assert decode_errors(made) == ""
        assert {s["codec_type"]: s["codec_name"] for s in probe(made)["streams"]} == {"video": "h264", "audio": "aac"}
        made_video, was_video = stream_durations(made)["video"], stream_durations(was)["video"]
        assert abs((made_video["end"] - made_video["start"]) - (was_video["end"] - was_video["start"])) < 0.3, (made_video, was_video)
    finally:
        s3.stop()
