"""Recordings delivered to an S3-compatible server (moto, checking SigV4 signatures): `tapedeck
serve --storage` uploads each file and the manifest, and a job completes only once they are
there. Read back with boto3, independently of Tapedeck's own client, and decoded with ffmpeg."""
import http.client
import json
import os
import re
import signal
import time
import urllib.parse

from jobs_service import TOKEN, Serve, WebhookReceiver, media_outputs, publisher, room_outputs, wait_for
from media_checks import decode_errors, probe
from storage_service import MotoS3, TcpProxy


def _download(s3: MotoS3, key: str, path) -> bytes:
    s3.client().download_file(s3.bucket, key, str(path))
    return path.read_bytes()


def _get_without_following(url: str) -> http.client.HTTPResponse:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", parts.path, headers={"Authorization": f"Bearer {TOKEN}"})
    return connection.getresponse()


def test_a_recorded_job_lands_in_the_bucket_and_decodes(signal_server, tmp_path):
    s3 = MotoS3()
    hooks = WebhookReceiver()
    serve = Serve(tmp_path / "data", "--storage", f"s3://{s3.bucket}/meetings", "--webhook-url", hooks.url, env=s3.env())
    speakers = [publisher(signal_server.url, "storage", name, 12) for name in ("alice", "bob")]
    try:
        job = serve.create(room="storage", signaling_url=signal_server.url, recipe="webm", max_duration_s=6)
        done = serve.wait_for_state(job["id"], ("completed", "failed"), timeout=60)
        assert done["state"] == "completed", done
        assert done["files_finished"] and len(media_outputs(done)) == 2, done
        # The room's speaker timeline is an output too: uploaded, listed with where it went.
        [timeline] = room_outputs(done)
        assert timeline["path"] == "speakers.vtt" and timeline["finished"] and timeline["bytes"] > 0, timeline
        prefix = f"meetings/{job['id']}/"
        assert done["manifest_location"] == f"s3://{s3.bucket}/{prefix}manifest.json", done
        assert sorted(s3.keys(prefix)) == sorted([prefix + o["path"] for o in done["outputs"]] + [prefix + "manifest.json"])
        folder = serve.data / done["output_directory"]
        assert timeline["location"] == f"s3://{s3.bucket}/{prefix}speakers.vtt", timeline
        vtt = _download(s3, prefix + "speakers.vtt", tmp_path / "speakers.vtt")
        assert len(vtt) == timeline["bytes"] and vtt.startswith(b"WEBVTT"), vtt[:100]
        assert s3.client().head_object(Bucket=s3.bucket, Key=prefix + "speakers.vtt")["ContentType"] == "text/vtt"
        assert not (folder / "speakers.vtt").exists(), "uploaded, the local copy went like the others'"
        for output in media_outputs(done):
            assert output["location"] == f"s3://{s3.bucket}/{prefix}{output['path']}", output
            copy = tmp_path / output["path"]
            assert len(_download(s3, prefix + output["path"], copy)) == output["bytes"] > 0
            assert decode_errors(copy) == ""
            assert {stream["codec_type"] for stream in probe(copy)["streams"]} == {"audio", "video"}
            # keep_local defaults to false: the local copy went once the upload was checked.
            assert not (folder / output["path"]).exists(), output
        head = s3.client().head_object(Bucket=s3.bucket, Key=prefix + done["outputs"][0]["path"])
        assert head["ContentType"] == "video/webm", head
        uploaded_manifest = json.loads(_download(s3, prefix + "manifest.json", tmp_path / "manifest.json"))
        assert uploaded_manifest["recordingId"] == job["id"] and uploaded_manifest["state"] == "finished"
        assert (folder / "manifest.json").exists(), "the manifest stays beside the job's folder"
        assert s3.multipart_uploads() == []
        # recording.completed is written once the files are in the bucket, and says where.
        def completed_event():
            return next((e for e in hooks.events() if e["type"] == "recording.completed" and e["data"]["id"] == job["id"]), None)
        event = wait_for(completed_event, timeout=15)
        assert event and event["data"]["outputs"] == done["outputs"], (event, done["outputs"])
        assert event["data"]["manifest_location"] == done["manifest_location"]

        # The local copy is gone: the API sends a client to a presigned URL of the object.
        name = done["outputs"][0]["path"]
        response = _get_without_following(f"{serve.url}/v1/recordings/{job['id']}/files/{name}")
        location = response.getheader("Location") or ""
        assert response.status == 307, (response.status, response.read())
        assert location.startswith(f"{s3.endpoint}/{s3.bucket}/{prefix}{name}?") and "X-Amz-Signature=" in location, location

        # Purging the job's files deletes the objects too.
        status, _, purged = serve.request("DELETE", f"/v1/recordings/{job['id']}?purge=true")
        assert status == 200 and purged["files_purged_at"], (status, purged)
        assert s3.keys(prefix) == []

        # A job's own storage and keep_local win over the server's.
        kept = serve.create(room="storage", signaling_url=signal_server.url, recipe="webm", max_duration_s=3,
                            storage=f"s3://{s3.bucket}/other", keep_local=True)
        kept_done = serve.wait_for_state(kept["id"], ("completed", "failed"), timeout=60)
        assert kept_done["state"] == "completed", kept_done
        for output in kept_done["outputs"]:
            assert output["location"].startswith(f"s3://{s3.bucket}/other/{kept['id']}/"), output
            assert (serve.data / kept_done["output_directory"] / output["path"]).stat().st_size == output["bytes"]
    finally:
        for speaker in speakers:
            speaker.terminate()
            speaker.wait(timeout=10)
        code = serve.terminate()
        hooks.stop()
        s3.stop()
    assert code == 0, serve.logs()[-3000:]


def test_a_wrong_secret_key_fails_the_job_naming_the_servers_error_and_keeps_the_files(signal_server, tmp_path):
    s3 = MotoS3()
    serve = Serve(tmp_path / "data", "--storage", f"s3://{s3.bucket}", env=s3.env(secret="not-the-secret"))
    speaker = publisher(signal_server.url, "wrong-key", "alice", 10)
    try:
        job = serve.create(room="wrong-key", signaling_url=signal_server.url, recipe="webm", max_duration_s=4)
        done = serve.wait_for_state(job["id"], ("completed", "failed"), timeout=60)
        assert done["state"] == "failed", done
        assert "SignatureDoesNotMatch" in done["error"] and "HTTP 403" in done["error"], done["error"]
        assert f"s3://{s3.bucket}/{job['id']}/" in done["error"], done["error"]
        [output] = media_outputs(done)
        assert "location" not in output, output
        local = serve.data / done["output_directory"] / output["path"]
        assert local.stat().st_size == output["bytes"] > 0 and decode_errors(local) == ""
        assert s3.keys() == [] and s3.multipart_uploads() == []
    finally:
        speaker.terminate()
        speaker.wait(timeout=10)
        serve.terminate()
        s3.stop()


def test_storage_unreachable_for_60_s_mid_recording_delays_the_delivery_but_loses_nothing(signal_server, tmp_path):
    s3 = MotoS3()
    link = TcpProxy(s3.port)
    serve = Serve(tmp_path / "data", "--storage", f"s3://{s3.bucket}", env=s3.env(endpoint=link.url))
    # alice leaves early: her file is finished, and its upload tried, while storage is away.
    speakers = [publisher(signal_server.url, "outage", "alice", 5), publisher(signal_server.url, "outage", "bob", 60)]
    try:
        job = serve.create(room="outage", signaling_url=signal_server.url, recipe="webm")
        serve.wait_for_state(job["id"], "recording", timeout=20)
        link.cut()
        cut_at = time.monotonic()
        assert wait_for(lambda: any(o.get("participant") == "alice" and o["finished"] for o in serve.job(job["id"])["outputs"]),
                        timeout=30), serve.job(job["id"])
        time.sleep(3)
        status, _, _ = serve.request("POST", f"/v1/recordings/{job['id']}/stop")
        assert status in (200, 202)
        time.sleep(max(0.0, 60 - (time.monotonic() - cut_at)))
        waiting = serve.job(job["id"])
        assert waiting["state"] == "finalizing" and waiting["files_finished"], waiting
        assert all("location" not in o for o in waiting["outputs"]), waiting["outputs"]
        assert "S3 request failed, retrying" in serve.logs(), serve.logs()[-3000:]
        link.restore()

        done = serve.wait_for_state(job["id"], ("completed", "failed"), timeout=120)
        assert done["state"] == "completed", done
        assert sorted(o["participant"] for o in media_outputs(done)) == ["alice", "bob"], done["outputs"]
        for output in media_outputs(done):
            key = output["location"].split(f"s3://{s3.bucket}/", 1)[1]
            copy = tmp_path / output["path"]
            assert len(_download(s3, key, copy)) == output["bytes"] > 0 and decode_errors(copy) == ""
        assert f"{job['id']}/manifest.json" in s3.keys()
        assert s3.multipart_uploads() == []
    finally:
        for speaker in speakers:
            speaker.terminate()
            speaker.wait(timeout=10)
        serve.terminate()
        link.stop()
        s3.stop()


def test_kill_9_mid_multipart_upload_the_next_worker_completes_the_same_upload(signal_server, tmp_path):
    s3 = MotoS3()
    # 1 MiB/s per connection: a 5 MiB part takes five seconds to send, long enough to kill the
    # worker while it is on the wire.
    link = TcpProxy(s3.port, upload_bytes_per_second=1024 * 1024)
    options = ("--storage", f"s3://{s3.bucket}", "--upload-part-size-mib", "5", "--lease-seconds", "3")
    serve = Serve(tmp_path / "data", *options, env=s3.env(endpoint=link.url))
    # Keyframes every second at 720p: a file over 5 MiB in about 35 s.
    speaker = publisher(signal_server.url, "big", "alice", 60, size="1280x720", bitrate=5000, keyframe_interval=1)
    restarted = None
    try:
        job = serve.create(room="big", signaling_url=signal_server.url, recipe="webm", max_duration_s=40, keep_local=True)
        # The file is over 5 MiB: part 1 (5 MiB) and part 2 (the rest) go up side by side; kill
        # once the short part 2 is in and part 1 is still on its way.
        def one_part_in():
            uploads = s3.multipart_uploads()
            if not uploads:
                return None
            upload = uploads[0]
            parts = s3.client().list_parts(Bucket=s3.bucket, Key=upload["Key"], UploadId=upload["UploadId"]).get("Parts", [])
            return upload if len(parts) == 1 else None
        upload = wait_for(one_part_in, timeout=90)
        assert upload, f"no multipart upload with one part in\n{serve.logs()[-3000:]}"
        os.kill(serve.process.pid, signal.SIGKILL)
        serve.process.wait()

        restarted = Serve(tmp_path / "data", *options, env=s3.env(endpoint=link.url))
        done = restarted.wait_for_state(job["id"], ("completed", "failed"), timeout=90)
        assert done["state"] == "completed" and done["attempts"] == 2, done
        [output] = media_outputs(done)
        assert output["location"] == f"s3://{s3.bucket}/{upload['Key']}", (output, upload)
        local = tmp_path / "data" / done["output_directory"] / output["path"]
        assert local.stat().st_size > 5 * 1024 * 1024, "the file must need a multipart upload"
        assert _download(s3, upload["Key"], tmp_path / "copy.webm") == local.read_bytes()
        # The same upload id was completed, with the parts the first worker had sent kept (one,
        # or both when the other one landed between the look and the kill on a busy machine).
        log = restarted.logs()
        uploaded = [line for line in log.splitlines() if "file=alice.webm" in line and " uploaded" in line]
        assert len(uploaded) == 1 and f"upload_id={upload['UploadId']}" in uploaded[0], log[-3000:]
        assert int(re.search(r"parts_reused=(\d+)", uploaded[0]).group(1)) >= 1, uploaded[0]
        assert s3.multipart_uploads() == []
    finally:
        speaker.terminate()
        speaker.wait(timeout=10)
        if restarted:
            restarted.terminate()
        elif serve.process.poll() is None:
            serve.kill()
        link.stop()
        s3.stop()
