"""`make demo`, the README's first command, runs in `make test` too: scripts/demo.py with this
build's `tapedeck` (debug here, release under `make demo`) must end 0 and print a WebM and an MP4
that exist and decode."""
import re
import subprocess
import sys
from pathlib import Path

from media_checks import decode_errors, probe
from peers import ROOT, tapedeck_binary


def test_the_demo_prints_a_webm_and_an_mp4_that_decode(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "demo.py"), "--tapedeck", str(tapedeck_binary()),
                             "--seconds", "6", "--out", str(tmp_path / "data")],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    printed = [Path(match) for match in re.findall(r"^(\S+\.(?:webm|mp4))  \(", result.stdout, re.MULTILINE)]
    assert sorted(path.suffix for path in printed) == [".mp4", ".webm"], result.stdout
    for path in printed:
        assert path.is_file() and decode_errors(path) == "", path
        codecs = sorted(stream["codec_name"] for stream in probe(path)["streams"])
        assert codecs == (["aac", "h264"] if path.suffix == ".mp4" else ["opus", "vp8"]), (path, codecs)
        assert float(probe(path)["format"]["duration"]) > 4, path
