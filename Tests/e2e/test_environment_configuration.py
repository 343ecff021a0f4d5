"""Configuration from the environment: a whole recording run set up only through TAPEDECK_…
variables, secrets read from files (`…_FILE`, as Docker and Kubernetes mount them) and never on
a command line; the command line winning over the environment; a dotenv file; and bad values
refused naming the variable."""
import json
import os
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

from media_checks import decode_errors
from peers import free_tcp_port, free_udp_port, tapedeck_binary, terminate, wait_for

API_TOKEN = "env-api-token-1f6e0c2a9b7d4e58"
WEBHOOK_SECRET = "env-webhook-secret-77c1d0aa3e"
SIGNAL_SECRET = "env-signal-secret-of-32-bytes-or-more-3a9c"


def secret_file(directory: Path, name: str, value: str) -> str:
    """A mounted secret: the value and a newline, readable by its owner only."""
    path = directory / name
    path.write_text(value + "\n")
    path.chmod(0o600)
    return str(path)


def start(argv: list, env: dict, stdout=subprocess.PIPE) -> subprocess.Popen:
    return subprocess.Popen([str(tapedeck_binary()), *argv], stdout=stdout, stderr=subprocess.PIPE, text=True,
                            env={"PATH": "/usr/bin:/bin", **env})


def first_line(process: subprocess.Popen, prefix: str) -> str:
    line = process.stdout.readline().strip()
    if not line.startswith(prefix):
        process.kill()
        raise AssertionError(f"{process.args[1]} did not start: {line!r} {process.stderr.read()[-3000:]}")
    return line.rsplit(" ", 1)[1]


def visible_in_proc(pid: int) -> str:
    """What `ps` and `docker inspect`-like tools show of a process: its command line and the
    environment it was started with."""
    return (Path(f"/proc/{pid}/cmdline").read_bytes() + Path(f"/proc/{pid}/environ").read_bytes()).decode(errors="replace")


def api(url: str, method: str, path: str, body=None, token: str | None = API_TOKEN):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode() if body is not None else None, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def test_a_recording_run_configured_only_through_the_environment_keeps_secrets_off_command_lines(postgres_database, tmp_path):
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    # The test cluster's URL carries a password, as a fleet's would.
    database_url = postgres_database
    db_password = urllib.parse.urlsplit(database_url).password
    assert db_password

    signal = start(["signal"], {
        "TAPEDECK_PORT": "0",
        "TAPEDECK_SIGNAL_TOKEN_SECRET_FILE": secret_file(secrets, "signal_secret", SIGNAL_SECRET),
    })
    processes = [signal]
    try:
        signal_url = first_line(signal, "tapedeck signal listening on ")

        def mint(identity: str, recorder: bool = False) -> str:
            env = {"TAPEDECK_SIGNAL_TOKEN_SECRET_FILE": str(secrets / "signal_secret"), "TAPEDECK_ROOM": "env-room",
                   "TAPEDECK_IDENTITY": identity, "TAPEDECK_RECORDER": "true" if recorder else "false"}
            result = subprocess.run([str(tapedeck_binary()), "signal", "token"], capture_output=True, text=True,
                                    timeout=30, env={"PATH": "/usr/bin:/bin", **env})
            assert result.returncode == 0, result.stderr
            return result.stdout.strip()

        recorder_token = mint("recorder", recorder=True)
        data = tmp_path / "data"
        serve = start(["serve"], {
            "TAPEDECK_HOST": "0.0.0.0",  # beyond loopback: allowed because the token (from its file) is set
            "TAPEDECK_PORT": "0",
            "TAPEDECK_DATA": str(data),
            "TAPEDECK_INCLUDE_LOOPBACK": "true",
            "TAPEDECK_RTC_UDP_PORT": str(free_udp_port()),
            "TAPEDECK_RTC_TCP_PORT": str(free_tcp_port()),
            "TAPEDECK_LOG_FORMAT": "json",
            "TAPEDECK_API_TOKEN_FILE": secret_file(secrets, "api_token", API_TOKEN),
            "TAPEDECK_WEBHOOK_SECRET_FILE": secret_file(secrets, "webhook_secret", WEBHOOK_SECRET),
            "TAPEDECK_DATABASE_FILE": secret_file(secrets, "database_url", database_url),
        })
        processes.append(serve)
        url = first_line(serve, "tapedeck serve listening on ").replace("0.0.0.0", "127.0.0.1")
        publisher = start(["publish"], {
            "TAPEDECK_SIGNALING": signal_url, "TAPEDECK_ROOM": "env-room",
            "TAPEDECK_TOKEN_FILE": secret_file(secrets, "alice_token", mint("alice")),
            "TAPEDECK_DURATION": "20", "TAPEDECK_SIZE": "320x240", "TAPEDECK_BITRATE": "300", "TAPEDECK_INCLUDE_LOOPBACK": "1",
        }, stdout=subprocess.DEVNULL)
        processes.append(publisher)

        assert api(url, "GET", "/v1/recordings", token=None)[0] == 401, "the API token from the file is enforced"
        status, job = api(url, "POST", "/v1/recordings", {
            "room": "env-room", "signaling_url": signal_url, "recipe": "webm", "max_duration_s": 6,
            "signaling_token": recorder_token})
        assert status == 201, job
        deadline = time.monotonic() + 60
        while (job := api(url, "GET", f"/v1/recordings/{job['id']}")[1])["state"] not in ("completed", "failed"):
            assert time.monotonic() < deadline, job
            time.sleep(0.2)
        assert job["state"] == "completed", job
        assert [(output.get("participant"), output["kind"]) for output in job["outputs"]] == \
            [("alice", "media"), (None, "speakers"), ("alice", "capture")], job["outputs"]
        output = data / job["output_directory"] / job["outputs"][0]["path"]
        assert output.stat().st_size > 10_000 and decode_errors(output) == "", output

        # The database the job went to is the one named by the URL in the file.
        count = subprocess.run(["psql", database_url, "-tAq", "-c", "SELECT count(*) FROM tapedeck_jobs"], capture_output=True, text=True)
        assert count.stdout.strip() == "1", count

        for process in processes:
            shown = visible_in_proc(process.pid)
            for secret in (API_TOKEN, WEBHOOK_SECRET, SIGNAL_SECRET, db_password, recorder_token):
                assert secret not in shown, (process.args, secret)
    finally:
        for process in reversed(processes):
            terminate(process)
    serve_log = serve.stderr.read()
    assert all(line.startswith("{") for line in serve_log.splitlines() if line.strip()), serve_log[-2000:]
    for secret in (API_TOKEN, WEBHOOK_SECRET, db_password, recorder_token):
        assert secret not in serve_log


def run(argv: list, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(tapedeck_binary()), *argv], capture_output=True, text=True, timeout=30,
                          env={"PATH": "/usr/bin:/bin", **env})


def test_the_command_line_wins_a_dotenv_file_fills_in_and_bad_values_name_their_variable(tmp_path):
    # A dotenv file's settings apply where the environment has none; the command line wins over both.
    dotenv = tmp_path / "tapedeck.env"
    dotenv.write_text(f"# an operator's settings\nTAPEDECK_DATA={tmp_path / 'from-file'}\nTAPEDECK_API_TOKEN={API_TOKEN}\n"
                      "TAPEDECK_PORT=1\n")
    serve = start(["serve", "--port", "0", "--workers", "0", "--rtc-udp-port", "0"], {"TAPEDECK_ENV_FILE": str(dotenv)})
    try:
        url = first_line(serve, "tapedeck serve listening on ")
        assert not url.endswith(":1"), url
        assert api(url, "GET", "/v1/recordings", token=None)[0] == 401, "TAPEDECK_API_TOKEN from the dotenv file"
        assert api(url, "GET", "/v1/recordings")[0] == 200
        wait_for(lambda: (tmp_path / "from-file").is_dir(), timeout=10)
    finally:
        assert terminate(serve) == 0

    refused = run(["serve", "--workers", "0"], {"TAPEDECK_RTC_UDP_PORT": "seventy", "TAPEDECK_DATA": str(tmp_path / "d")})
    assert refused.returncode != 0
    assert "seventy" in refused.stderr and "TAPEDECK_RTC_UDP_PORT (--rtc-udp-port)" in refused.stderr, refused.stderr

    refused = run(["serve"], {"TAPEDECK_INCLUDE_LOOPBACK": "maybe"})
    assert refused.returncode != 0 and "TAPEDECK_INCLUDE_LOOPBACK=maybe: expected true or false" in refused.stderr, refused.stderr

    token_file = secret_file(tmp_path, "token", API_TOKEN)
    refused = run(["serve"], {"TAPEDECK_API_TOKEN": API_TOKEN, "TAPEDECK_API_TOKEN_FILE": token_file})
    assert refused.returncode != 0 and "both TAPEDECK_API_TOKEN and TAPEDECK_API_TOKEN_FILE are set" in refused.stderr
    assert API_TOKEN not in refused.stderr

    refused = run(["serve"], {"TAPEDECK_DATABASE_FILE": str(tmp_path / "missing")})
    assert refused.returncode != 0 and f"TAPEDECK_DATABASE_FILE={tmp_path / 'missing'}: cannot read the file" in refused.stderr

    # Repeatable options take a comma-separated list.
    refused = run(["record", "--room", "r", "--out", str(tmp_path / "o")],
                  {"TAPEDECK_SIGNALING": "ws://127.0.0.1:9/ws", "TAPEDECK_PUBLIC_IP": "198.51.100.7, not-an-address"})
    assert refused.returncode != 0 and "--public-ip not-an-address" in refused.stderr, refused.stderr
