"""A strict reader of the WebVTT files Tapedeck writes (W3C WebVTT: the `WEBVTT` signature,
blank-line separated cues of an optional identifier, a `start --> end` timing line and text).
Anything else — a missing signature, a malformed timestamp, a cue ending before it starts, text
with an unescaped `<`, `&` or `-->` — is an error, so a test fails on a file a player might
reject or misread."""
import html
import re
from dataclasses import dataclass

_TIMESTAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIMESTAMP} --> {_TIMESTAMP}$")


@dataclass
class Cue:
    identifier: str | None
    start: float
    end: float
    text: str


class WebVTTError(ValueError):
    pass


def _seconds(hours, minutes, seconds, milliseconds) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(milliseconds) / 1000


def parse(text: str) -> list[Cue]:
    if "\r" in text or "\0" in text:
        raise WebVTTError("carriage returns or NUL in the file")
    blocks = text.split("\n\n")
    header = blocks[0].split("\n")
    if header[0] != "WEBVTT" and not header[0].startswith(("WEBVTT ", "WEBVTT\t")):
        raise WebVTTError(f"no WEBVTT signature: {header[0]!r}")
    if not text.endswith("\n"):
        raise WebVTTError("the file does not end with a line break")
    cues = []
    for block in blocks[1:]:
        lines = [line for line in block.split("\n")]
        while lines and lines[-1] == "":
            lines.pop()
        if not lines:
            continue
        identifier = None
        if "-->" not in lines[0]:
            identifier = lines.pop(0)
        if not lines:
            raise WebVTTError(f"a cue without timing: {block!r}")
        match = _TIMING.match(lines[0])
        if not match:
            raise WebVTTError(f"malformed timing line: {lines[0]!r}")
        start, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])
        if end < start:
            raise WebVTTError(f"a cue ends before it starts: {lines[0]!r}")
        if cues and start < cues[-1].start:
            raise WebVTTError(f"cues out of order: {lines[0]!r}")
        body = lines[1:]
        if not body:
            raise WebVTTError(f"a cue without text: {block!r}")
        for line in body:
            if "-->" in line or "<" in line or re.search(r"&(?!(amp|lt|gt|nbsp|lrm|rlm);)", line):
                raise WebVTTError(f"cue text that is not plain escaped text: {line!r}")
        cues.append(Cue(identifier, start, end, html.unescape("\n".join(body))))
    return cues
