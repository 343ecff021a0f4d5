"""`make demo`: what Tapedeck can do so far, end to end on this machine.

Starts `tapedeck signal`, then two headless Chromium participants (fake camera and microphone)
join one room through it and call each other. The recorder joins such rooms in a later release;
until then the demo stops once the call is connected."""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
from peers import ChromiumLauncher, SignalServer, WebOrigin, relay_call  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tapedeck", type=Path, required=True)
    args = parser.parse_args()

    server = SignalServer(binary=args.tapedeck)
    origin, launcher = WebOrigin(), ChromiumLauncher()
    print(f"demo: tapedeck signal is listening on {server.url}")
    try:
        print("demo: two Chromium participants join room 'demo' and call each other ...")
        connected, logs = relay_call(launcher, origin.url, server.url, room="demo")
    finally:
        launcher.quit_all()
        origin.stop()
        server.stop()
    if not connected:
        print(f"demo: the participants did not connect: {logs}", file=sys.stderr)
        return 1
    print("demo: connected — audio and video flowed both ways through the room.")
    print("demo: recording arrives with `tapedeck record`; see README.md for the roadmap.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
