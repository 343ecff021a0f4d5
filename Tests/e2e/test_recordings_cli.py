"""`tapedeck recordings`, the API's command-line client, drives a whole job against a real
`tapedeck serve`: start, list, stop, get, download (resumed from a partial file), and the file
it downloads decodes. The files routes answer byte ranges over a real socket, and the retention
sweep deletes the files of ended jobs."""
import json
import os
import subprocess
import time
import urllib.request

from jobs_service import TOKEN, Serve, media_outputs, publisher
from media_checks import decode_errors, probe
from peers import tapedeck_binary


def cli(serve: Serve, *args: str, token: str = TOKEN) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TAPEDECK_URL": serve.url, "TAPEDECK_API_TOKEN": token}
    return subprocess.run([str(tapedeck_binary()), "recordings", *args], capture_output=True, text=True, env=env, timeout=60)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, (result.args, result.returncode, result.stdout, result.stderr)
    return result.stdout


def test_the_cli_starts_lists_stops_and_downloads_a_recording_that_decodes(signal_server, tmp_path):
    serve = Serve(tmp_path / "data")
    speaker = publisher(signal_server.url, "cli-room", "speaker", 60)
    try:
        started = json.loads(ok(cli(serve, "start", "--room", "cli-room",
                                    "--signaling-url", signal_server.url, "--recipe", "webm", "--max-duration", "60",
                                    "--metadata", "meeting=42", "--json")))
        job_id = started["id"]
        assert started["state"] == "queued" and started["metadata"] == {"meeting": "42"}, started

        listed = json.loads(ok(cli(serve, "list", "--json")))
        assert [job["id"] for job in listed["recordings"]] == [job_id], listed
        table = ok(cli(serve, "list", "--room", "cli-room"))
        assert table.splitlines()[0].split() == ["ID", "STATE", "ROOM", "RECIPE", "CREATED", "FILES"], table
        assert job_id in table and "cli-room" in table, table

        serve.wait_for_state(job_id, "recording", timeout=20)
        time.sleep(5)
        stopping = ok(cli(serve, "stop", job_id))
        assert "stop" in stopping and "requested" in stopping, stopping
        done = serve.wait_for_state(job_id, ("completed", "failed"), timeout=20)
        assert done["state"] == "completed", done
        shown = ok(cli(serve, "get", job_id))
        assert "completed" in shown and done["outputs"][0]["path"] in shown, shown

        [output] = media_outputs(done)
        on_server = serve.data / done["output_directory"] / output["path"]
        target = tmp_path / "downloaded"
        ok(cli(serve, "download", job_id, "--output", str(target)))
        downloaded = target / output["path"]
        assert downloaded.read_bytes() == on_server.read_bytes()
        assert decode_errors(downloaded) == ""
        assert {s["codec_type"] for s in probe(downloaded)["streams"]} == {"audio", "video"}
        manifest = json.loads((target / "manifest.json").read_text())
        assert manifest["recordingId"] == job_id and manifest["state"] == "finished", manifest

        # An interrupted download leaves .NAME.partial; the next run asks only for the rest. The
        # partial file's first half is zeros here, so a download that started over would not keep them.
        size = on_server.stat().st_size
        downloaded.unlink()
        partial = downloaded.parent / f".{downloaded.name}.partial"
        partial.write_bytes(bytes(size // 2))
        ok(cli(serve, "download", job_id, "--output", str(target)))
        assert downloaded.read_bytes() == bytes(size // 2) + on_server.read_bytes()[size // 2:]
        assert not partial.exists()

        # A Range request over the real socket: exactly those bytes.
        request = urllib.request.Request(f"{serve.url}/v1/recordings/{job_id}/files/{output['path']}",
                                         headers={"Authorization": f"Bearer {TOKEN}", "Range": "bytes=1000-1999"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 206
            assert response.headers["Content-Range"] == f"bytes 1000-1999/{size}"
            assert response.headers["Content-Type"] == "video/webm"
            assert response.read() == on_server.read_bytes()[1000:2000]

        # Errors print the server's explanation and exit non-zero.
        missing = cli(serve, "get", "no-such-recording")
        assert missing.returncode != 0 and "there is no recording no-such-recording" in missing.stderr, missing
        refused = cli(serve, "list", token="wrong")
        assert refused.returncode != 0 and "HTTP 401" in refused.stderr, refused
        ended = cli(serve, "cancel", job_id)
        assert ended.returncode != 0 and "already ended" in ended.stderr, ended

        purged = json.loads(ok(cli(serve, "cancel", job_id, "--purge", "--json")))
        assert purged["files_purged_at"] and not on_server.exists(), purged
        gone = cli(serve, "download", job_id, "--output", str(tmp_path / "again"))
        assert gone.returncode != 0 and "were deleted" in gone.stderr, gone
    finally:
        speaker.terminate()
        speaker.wait(timeout=10)
        code = serve.terminate()
    assert code == 0, serve.logs()[-3000:]


def test_the_retention_sweep_deletes_an_ended_recordings_files(signal_server, tmp_path):
    # --retention-seconds and --retention-sweep-seconds are --retention-days and its hourly
    # sweep, made short for the test.
    serve = Serve(tmp_path / "data", "--retention-seconds", "3", "--retention-sweep-seconds", "1")
    speaker = publisher(signal_server.url, "kept-briefly", "speaker", 30)
    try:
        job = serve.create(room="kept-briefly", signaling_url=signal_server.url, recipe="webm", max_duration_s=3)
        done = serve.wait_for_state(job["id"], ("completed", "failed"), timeout=30)
        assert done["state"] == "completed", done
        folder = serve.data / done["output_directory"]
        [output] = media_outputs(done)
        # HEAD: the headers GET would send, without the file.
        status, headers, _ = serve.request("HEAD", f"/v1/recordings/{job['id']}/files/{output['path']}")
        assert status == 200 and headers["Content-Length"] == str(output["bytes"]) and folder.exists(), headers

        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not serve.job(job["id"]).get("files_purged_at"):
            time.sleep(0.2)
        assert serve.job(job["id"]).get("files_purged_at"), serve.logs()[-3000:]
        assert not folder.exists()
        status, _, problem = serve.request("GET", f"/v1/recordings/{job['id']}/files/{output['path']}")
        assert status == 410 and problem["type"] == "urn:tapedeck:problem:files-purged", (status, problem)
        assert "--retention-days sweep" in problem["detail"], problem
    finally:
        speaker.terminate()
        speaker.wait(timeout=10)
        code = serve.terminate()
    assert code == 0, serve.logs()[-3000:]
