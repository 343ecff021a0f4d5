"""`tapedeck record` ending by itself, and refusing bad input, with clear messages."""
import json
import subprocess
import time

from media_checks import manifest_time
from peers import own_media_port, tapedeck_binary


def record(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([str(tapedeck_binary()), "record", *argv, *own_media_port()], capture_output=True, text=True, timeout=timeout)


def test_an_empty_room_ends_the_recording_and_fails_clearly(signal_server, tmp_path):
    out = tmp_path / "empty"
    result = record("--signaling", signal_server.url, "--room", "nobody-here", "--out", str(out),
                    "--stop-when-empty", "2", "--duration", "30")
    assert result.returncode == 1, result
    assert "nobody was in the room" in result.stderr, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["state"] == "failed" and manifest["participants"] == [], manifest
    assert manifest_time(manifest["endedAt"]) - manifest_time(manifest["startedAt"]) < 10, \
        "it did not stop when the room stayed empty"


def test_a_server_that_cannot_be_reached_ends_the_recording_at_the_join_timeout(tmp_path):
    out = tmp_path / "typo"
    started = time.monotonic()
    result = record("--signaling", "ws://127.0.0.1:1", "--room", "r", "--out", str(out), "--join-timeout-seconds", "2")
    took = time.monotonic() - started
    assert result.returncode == 1, result
    assert 'could not join room "r" at ws://127.0.0.1:1 within 2 s: connection refused' in result.stderr, result.stderr
    assert took < 6, took
    assert json.loads((out / "manifest.json").read_text())["state"] == "failed"


def test_an_unknown_recipe_is_refused_by_name_before_joining(signal_server, tmp_path):
    result = record("--signaling", signal_server.url, "--room", "r", "--out", str(tmp_path / "x"), "--recipe", "avi")
    assert result.returncode != 0
    assert "no recipe named 'avi'" in result.stderr and "webm" in result.stderr, result.stderr
    assert not (tmp_path / "x").exists(), "nothing may be created for a refused recording"


def test_a_signaling_url_that_is_not_websocket_is_refused(tmp_path):
    result = record("--signaling", "http://example.org", "--room", "r", "--out", str(tmp_path / "x"))
    assert result.returncode != 0 and "ws:// or wss://" in result.stderr, result.stderr


def test_a_recipe_file_a_container_cannot_hold_is_refused_by_key_before_joining(signal_server, tmp_path):
    recipe = tmp_path / "mine.yaml"
    recipe.write_text('description: "mine"\ncontainer: ogg\nvideo: passthrough\naudio: passthrough\ncpu_cost: 0.02\n')
    result = record("--signaling", signal_server.url, "--room", "r", "--out", str(tmp_path / "x"), "--recipe", str(recipe))
    assert result.returncode != 0
    assert f"'video: passthrough' in recipe 'mine' ({recipe}:3) cannot be used: ogg holds Opus audio only" in result.stderr, \
        result.stderr
    assert not (tmp_path / "x").exists(), "nothing may be created for a refused recording"
