"""Real parts for end-to-end tests and the demo: the `tapedeck` binary as a process, a static
web origin for test pages, and headless Chromium with fake media devices."""
import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
WEB = Path(__file__).resolve().parent / "web"


def tapedeck_binary() -> Path:
    path = Path(os.environ.get("TAPEDECK_BIN", ROOT / ".build" / "debug" / "tapedeck"))
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: build first (make build)")
    return path


def free_udp_port() -> int:
    """A UDP port nothing on this machine's root namespace holds right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("0.0.0.0", 0))
        return probe.getsockname()[1]


def free_tcp_port() -> int:
    """A TCP port nothing on this machine's root namespace listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("0.0.0.0", 0))
        return probe.getsockname()[1]


def own_media_port() -> tuple[str, ...]:
    """`--rtc-udp-port` and `--rtc-tcp-port` for a bot in the root namespace: free ports of its
    own rather than the defaults 7882 and 7881, which another bot of the same test, or of another
    test run on this machine, may hold. The bot still shares those ports among all its peers."""
    udp = free_udp_port()
    tcp = free_tcp_port()
    while tcp == udp:
        tcp = free_tcp_port()
    return ("--rtc-udp-port", str(udp), "--rtc-tcp-port", str(tcp))


class SignalServer:
    """`tapedeck signal` on a free port of `host` (loopback unless told), as a separate process."""

    def __init__(self, *args: str, binary: Path | None = None, host: str = "127.0.0.1", env: dict | None = None):
        self.process = subprocess.Popen(
            [str(binary or tapedeck_binary()), "signal", "--host", host, "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=None if env is None else {"PATH": "/usr/bin:/bin", **env})
        line = self.process.stdout.readline().strip()
        if not line.startswith("tapedeck signal listening on "):
            self.process.kill()
            raise RuntimeError(f"signal server did not start: {line!r} {self.process.stderr.read()}")
        self.url = line.rsplit(" ", 1)[1]

    def stop(self) -> int:
        return terminate(self.process)


def terminate(process: subprocess.Popen, timeout: float = 10) -> int:
    """SIGTERM, then SIGKILL after `timeout` s; the exit status."""
    process.terminate()
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


class SeedsSignalServer:
    """The seed tutorial's plain relay server (seeds_signaling.py) on a free loopback port, run
    with this venv's python: relays offer/answer/ice-candidate verbatim to the other members of a
    room, never answers join, stamps nothing. `.log` holds what it printed after starting."""

    SCRIPT = Path(__file__).resolve().parent / "seeds_signaling.py"

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, str(self.SCRIPT)], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        line = self.process.stdout.readline().strip()
        if not line.startswith("seeds signaling listening on "):
            self.process.kill()
            raise RuntimeError(f"seeds signaling server did not start: {line!r} {self.process.stdout.read()}")
        self.url = line.rsplit(" ", 1)[1]
        self.log = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.process.stdout:
            self.log.append(line.rstrip("\n"))

    def stop(self) -> int:
        """Its exit status: SIGTERM ends the seed's server by Python's default action (-15)."""
        return terminate(self.process)


class Coturn:
    """A real coturn with long-term credentials test/test, on loopback (or `host`, an address of
    the root namespace); or, with `netns` (a netns.LinkedNamespace), on that namespace's `inner`
    address, port 3478. It listens on UDP and TCP (`url`, `tcp_url`), and with `certificate`
    (cert and key PEM files) on TLS too (`tls_url`). `stun_only` makes it a plain STUN server
    (Binding needs no credentials). coturn 4.6 ignores SIGTERM while it holds allocations, so it
    is stopped with SIGKILL."""

    RELAY_PORTS = (49160, 49400)

    def __init__(self, netns=None, stun_only: bool = False, host: str | None = None, certificate: tuple | None = None):
        if netns is None:
            host = host or "127.0.0.1"
            self.port = self._free_port(host)
            self.tls_port = self._free_port(host, avoid=self.port)
        else:
            host, self.port, self.tls_port = netns.inner, 3478, 5349  # the namespace is ours alone: the ports are free
        tls = ["--no-tls"] if certificate is None else \
            [f"--cert={certificate[0]}", f"--pkey={certificate[1]}", f"--tls-listening-port={self.tls_port}"]
        argv = ["turnserver", "-n", f"--listening-ip={host}", f"--relay-ip={host}", f"--listening-port={self.port}",
                f"--min-port={self.RELAY_PORTS[0]}", f"--max-port={self.RELAY_PORTS[1]}", "--fingerprint", *tls,
                "--no-dtls", "--no-cli", "--no-tcp-relay", "--log-file=stdout", "--simple-log", "--pidfile="]
        argv += ["--stun-only"] if stun_only else ["--lt-cred-mech", "--user=test:test", "--realm=test.local",
                                                   "--allow-loopback-peers"]
        start = netns.popen if netns is not None else subprocess.Popen
        self.process = start(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.7)
        if self.process.poll() is not None:
            raise RuntimeError("turnserver exited at start")
        self.host = host
        self.url = f"{'stun' if stun_only else 'turn'}:{host}:{self.port}"
        self.tcp_url = f"turn:{host}:{self.port}?transport=tcp"
        self.tls_url = f"turns:{host}:{self.tls_port}"

    @classmethod
    def _free_port(cls, host: str, avoid: int = 0) -> int:
        """A port free for UDP and TCP on `host`, outside the relay range."""
        import socket
        while True:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                udp.bind((host, 0))
                port = udp.getsockname()[1]
                try:
                    tcp.bind((host, port))
                except OSError:
                    continue
            if port != avoid and not cls.RELAY_PORTS[0] <= port <= cls.RELAY_PORTS[1]:
                return port

    def stop(self):
        self.process.kill()
        self.process.wait()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class WebOrigin:
    """Serves Tests/e2e/web on 127.0.0.1, a secure context where getUserMedia works. On another
    `host`, pages need Chromium's --unsafely-treat-insecure-origin-as-secure=URL for that."""

    def __init__(self, host: str = "127.0.0.1"):
        handler = functools.partial(_QuietHandler, directory=str(WEB))
        self.httpd = http.server.ThreadingHTTPServer((host, 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://{host}:{self.httpd.server_address[1]}"

    def stop(self):
        self.httpd.shutdown()


class ChromiumLauncher:
    """Launches headless Chromium instances with fake camera and microphone.

    With `netns` (an object with `popen(argv, **kwargs)`, `inner` and `outer` addresses, such as
    netns.LinkedNamespace), chromedriver and so Chromium run inside that network namespace;
    chromedriver listens on the namespace's address, accepts only the root namespace's end of
    the link, and selenium drives it from here with webdriver.Remote.

    Without `media_permission`, camera and microphone prompts are not auto-accepted: such a
    page has no getUserMedia, and Chromium hides its host addresses behind mDNS names."""

    FLAGS = ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
             "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
             "--autoplay-policy=no-user-gesture-required")
    GRANTS_MEDIA_PERMISSION = "--use-fake-ui-for-media-stream"

    def __init__(self, netns=None, media_permission: bool = True):
        self.drivers, self.profiles, self.netns, self.chromedrivers = [], [], netns, []
        self.flags = self.FLAGS if media_permission else tuple(f for f in self.FLAGS if f != self.GRANTS_MEDIA_PERMISSION)

    def __call__(self, *extra_args: str) -> webdriver.Chrome:
        profile = tempfile.mkdtemp(prefix="tapedeck-chromium-")
        self.profiles.append(profile)
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for flag in (*self.flags, f"--user-data-dir={profile}", *extra_args):
            options.add_argument(flag)
        chromedriver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
        if self.netns is None:
            driver = webdriver.Chrome(service=Service(chromedriver), options=options)
        else:
            driver = self._remote_in_namespace(chromedriver, options)
        self.drivers.append(driver)
        return driver

    def _remote_in_namespace(self, chromedriver: str, options) -> webdriver.Remote:
        port = 9515 + len(self.chromedrivers)  # the namespace is ours alone: its ports are free
        process = self.netns.popen([chromedriver, f"--port={port}", f"--allowed-ips={self.netns.outer}"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.chromedrivers.append(process)
        url = f"http://{self.netns.inner}:{port}"

        def ready():
            try:
                with urllib.request.urlopen(f"{url}/status", timeout=1) as response:
                    return response.status == 200
            except OSError:
                return process.poll() is not None  # stop waiting if it died
        if not wait_for(ready, 15) or process.poll() is not None:
            raise RuntimeError(f"chromedriver in namespace {self.netns.name} did not start (exit {process.poll()})")
        return webdriver.Remote(command_executor=url, options=options)

    def quit_all(self):
        for driver in self.drivers:
            try:
                driver.quit()
            except Exception:  # a dead session must not keep the rest from being cleaned up
                pass
        for process in self.chromedrivers:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for profile in self.profiles:
            shutil.rmtree(profile, ignore_errors=True)


def wait_for(predicate, timeout: float, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def relay_call(launch, origin: str, signaling_url: str, room: str, timeout: float = 30):
    """Two relay-protocol pages call each other through `signaling_url`.
    Returns (connected, per-page logs)."""
    url = f"{origin}/relay-client.html?room={room}&signaling={signaling_url}"
    first = launch()
    first.get(url)
    # The first page offers into an empty room; wait until it has, so the second page's offer
    # is the one that starts the call.
    wait_for(lambda: "joined and offered" in " ".join(first.execute_script("return window.relay.log")), 15)
    second = launch()
    second.get(url)
    return _call_outcome((first, second), "relay", ("first", "second"), timeout)


def _call_outcome(pages, page_object: str, names, timeout: float):
    """(connected with media both ways, per-page logs) for two pages in a call; `page_object`
    is the page's window object (`relay`, `seeds`)."""
    def state(page, field):
        return page.execute_script(f"return window.{page_object}.{field}")

    connected = wait_for(lambda: all(state(p, "connectionState") == "connected" for p in pages), timeout)
    # Media flowed both ways, not just ICE: each page received the other's two tracks.
    media = connected and wait_for(lambda: all(state(p, "remoteTracks") >= 2 for p in pages), 10)
    logs = {name: state(p, "log") for name, p in zip(names, pages)}
    return bool(connected and media), logs


def seeds_call(launch, origin: str, signaling_url: str, room: str, timeout: float = 30):
    """Two seeds-client pages in one plain room: both join, the first calls, the second answers.
    Returns (connected with media both ways, per-page logs)."""
    url = f"{origin}/seeds-client.html?room={room}&signaling={signaling_url}"
    pages = (launch(), launch())
    for page in pages:
        page.get(url)
        if not wait_for(lambda: page.execute_script("return window.seeds.joined"), 15):
            return False, {"unjoined": page.execute_script("return window.seeds.log")}
    pages[0].execute_script("window.seeds.call()")
    return _call_outcome(pages, "seeds", ("caller", "callee"), timeout)


def wait_until_joined(recorder: subprocess.Popen, timeout: float = 20) -> list[str]:
    """Reads a `tapedeck record` (or `join`) process's log until it says it joined the room, so
    that a participant started next finds it there; the lines read. Fails with them otherwise."""
    lines, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = recorder.stderr.readline()
        lines.append(line)
        if "joined the room" in line:
            return lines
        if not line and recorder.poll() is not None:
            break
    raise AssertionError("the recorder did not join the room:\n" + "".join(lines)[-3000:])
