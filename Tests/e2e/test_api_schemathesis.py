"""The API fuzzed from its own OpenAPI document by schemathesis: requests generated from the
served document (valid ones, invalid ones, and sequences following the links between
operations) against a real `tapedeck serve`; no answer may be a 5xx, and every answer must be one
the document describes, with the status, content type, headers and body schema it gives.
`make fuzz` runs the same for longer (SCHEMATHESIS_EXAMPLES)."""
import json
import os
import subprocess
import urllib.request
from pathlib import Path

import yaml

from jobs_service import TOKEN, Serve
from peers import tapedeck_binary

CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
])


def test_schemathesis_finds_no_5xx_and_no_answer_outside_the_document(tmp_path):
    # No workers: the jobs it makes stay queued, so every route has a recording to act on.
    serve = Serve(tmp_path / "data", "--workers", "0")
    try:
        st = Path(os.environ.get("VIRTUAL_ENV", Path(__file__).resolve().parents[2] / ".venv")) / "bin" / "st"
        examples = os.environ.get("SCHEMATHESIS_EXAMPLES", "40")
        result = subprocess.run(
            [str(st), "run", f"{serve.url}/openapi.yaml", "-H", f"Authorization: Bearer {TOKEN}", "--checks", CHECKS,
             "--max-examples", examples, "--seed", "20261205", "--no-color",
             # One worker thread: Python 3.11's ast module keeps its recursion depth per
             # process, not per thread, so two threads parsing at once (hypothesis describing a
             # filter lambda) can fail with "AST constructor recursion depth mismatch" (CPython
             # gh-106905), a runtime error of the tool, not a finding about the API.
             "--workers", "1"],
            capture_output=True, text=True, timeout=900, cwd=tmp_path)
        report = result.stdout + result.stderr
        assert result.returncode == 0, report[-6000:]
        assert "generated" in report and " passed" in report, report[-3000:]
        # The server survived all of it and still answers.
        status, _, _ = serve.request("GET", "/v1/recordings")
        assert status == 200
    finally:
        assert serve.terminate() == 0


def test_the_documents_recipes_are_the_servers(tmp_path):
    serve = Serve(tmp_path / "data", "--workers", "0")
    try:
        with urllib.request.urlopen(f"{serve.url}/openapi.yaml", timeout=10) as response:
            document = yaml.safe_load(response.read())
    finally:
        assert serve.terminate() == 0
    documented = document["components"]["schemas"]["RecordingRequest"]["properties"]["recipe"]["enum"]
    listed = subprocess.run([str(tapedeck_binary()), "recipes", "--json"], capture_output=True, text=True, timeout=30, check=True)
    assert sorted(documented) == sorted(recipe["name"] for recipe in json.loads(listed.stdout))
