"""What an operator reads: `tapedeck --version`, and `serve --log-format json` writing one JSON
object per line, the API's request log among them."""
import json
import subprocess

from jobs_service import Serve, wait_for
from peers import tapedeck_binary


def test_version_is_printed():
    result = subprocess.run([str(tapedeck_binary()), "--version"], capture_output=True, text=True, timeout=10)
    assert result.returncode == 0 and result.stdout.strip()[0].isdigit(), result


def test_json_logs_are_one_object_per_line_with_the_request_log(tmp_path):
    serve = Serve(tmp_path / "data", "--log-format", "json")
    try:
        status, headers, _ = serve.request("GET", "/v1/recordings/no-such-job", headers={"X-Request-Id": "trace-7"})
        assert status == 404 and headers["X-Request-Id"] == "trace-7"

        def request_line():
            lines = [json.loads(line) for line in serve.logs().splitlines() if line.strip()]
            return next((line for line in lines if line.get("message") == "request" and line.get("request_id") == "trace-7"),
                        None)
        line = wait_for(request_line, timeout=10)
        assert line, serve.logs()[-3000:]
        assert line["route"] == "/v1/recordings/{id}" and line["status"] == "404" and line["method"] == "GET", line
        assert float(line["duration_ms"]) >= 0 and line["level"] == "info" and line["time"].endswith("Z"), line
    finally:
        code = serve.terminate()
    assert code == 0
    # Every line, to the last one written at shutdown, is JSON.
    for text in serve.logs().splitlines():
        if text.strip():
            json.loads(text)
