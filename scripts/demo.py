"""`make demo`: what Tapedeck can do so far, end to end on this machine.

Starts `tapedeck signal`; a headless Chromium participant (fake camera and microphone) joins
room 'demo'; then `tapedeck join` joins the same room as the bot, negotiates with the
participant, connects through ICE and DTLS-SRTP, and reports what it decrypted. Writing files
arrives with `tapedeck record`; until then the demo stops at this report."""
import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "e2e"))
from peers import ChromiumLauncher, SignalServer, WebOrigin, wait_for  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tapedeck", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=8)
    args = parser.parse_args()

    server = SignalServer(binary=args.tapedeck)
    origin, launcher = WebOrigin(), ChromiumLauncher()
    print(f"demo: tapedeck signal is listening on {server.url}")
    try:
        page = launcher()
        page.get(f"{origin.url}/relay-client.html?room=demo&signaling={server.url}")
        if not wait_for(lambda: "joined and offered" in " ".join(page.execute_script("return window.relay.log")), 15):
            print("demo: the Chromium participant could not join", file=sys.stderr)
            return 1
        print("demo: a Chromium participant (fake camera and microphone) is in room 'demo'")
        print(f"demo: tapedeck join --room demo --duration {args.seconds:g} ...")
        result = subprocess.run([str(args.tapedeck), "join", "--signaling", server.url, "--room", "demo",
                                 "--duration", str(args.seconds)], capture_output=True, text=True)
    finally:
        launcher.quit_all()
        origin.stop()
        server.stop()
    print(result.stdout.rstrip())
    if result.returncode != 0:
        print(f"demo: the bot did not receive media: {result.stderr.strip()}", file=sys.stderr)
        return 1
    print("demo: the bot received and decrypted the participant's audio and video.")
    print("demo: recording to files arrives with `tapedeck record`; see README.md.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
