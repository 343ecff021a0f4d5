"""Real packet loss for end-to-end tests, made by the kernel (there is no netem here).

A `LossyNamespace` is a network namespace joined to the root namespace by a veth pair with
addresses only on that link: `outer` (10.213.X.1, root namespace) and `inner` (10.213.X.2, in the
namespace). A peer started inside it (`popen`, or peers.ChromiumLauncher(netns=...)) can reach only
`outer`: no default route, IPv6 off, so all its media crosses the link as IPv4.

An nftables table of ours in the root namespace drops `loss_percent` % of the UDP packets that
arrive from `inner`, at random, on the input hook (a drop on the output hook makes sendto fail
with EPERM instead of losing the packet). TCP (signaling, HTTP, chromedriver) is never dropped.
Two named counters count what was dropped and what passed, to prove the loss rate afterwards.

Names carry our pid (`tdk-<pid>-<n>` namespaces, `tdk_<pid>_<n>` tables, `tdk<pid>-<n>` links), so
leftovers of runs whose process is gone are removed before a new namespace is made.
"""
import fcntl
import itertools
import json
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
import time
from urllib.parse import urlencode

from peers import ChromiumLauncher, SignalServer, WebOrigin, tapedeck_binary

NETNS_PREFIX = "tdk-"
TABLE_PREFIX = "tdk_"
SUBNET = "10.213"
_NETNS_RE = re.compile(r"^tdk-(\d+)-(\d+)$")
_TABLE_RE = re.compile(r"^tdk_(\d+)_(\d+)$")
_LOCK = os.path.join("/run/lock" if os.path.isdir("/run/lock") else tempfile.gettempdir(), "tapedeck-lossy-netns.lock")
_counter = itertools.count(1)


class RigUnavailable(RuntimeError):
    """This machine cannot make namespaces or nftables rules; the message says what is missing."""


def _tool(name: str) -> str:
    """`ip`, `nft`, `sysctl` live in /usr/sbin, which a non-login root shell may not have on PATH."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin") or name


def _run(*argv: str, check: bool = True, timeout: float = 10) -> subprocess.CompletedProcess:
    argv = (_tool(argv[0]), *argv[1:])
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr.strip()}")
    return result


def _nft(script: str):
    result = subprocess.run([_tool("nft"), "-f", "-"], input=script, text=True, capture_output=True, timeout=10)
    if result.returncode != 0:
        raise RuntimeError(f"nft -f failed ({result.returncode}): {result.stderr.strip()}\n{script}")


def require_rig():
    """Raises RigUnavailable unless we are root with working `ip netns` and `nft`."""
    problems = []
    if os.geteuid() != 0:
        problems.append(f"must run as root (euid {os.geteuid()}): network namespaces and nftables need it")
    for tool, package in (("ip", "iproute2"), ("nft", "nftables")):
        if not os.path.isabs(_tool(tool)):
            problems.append(f"`{tool}` not found: install Debian package {package} (scripts/bootstrap does)")
    if not problems:
        for argv in (("ip", "netns", "list"), ("nft", "list", "tables")):
            result = _run(*argv, check=False)
            if result.returncode != 0:
                problems.append(f"`{' '.join(argv)}` failed: {result.stderr.strip()}")
    if problems:
        raise RigUnavailable("the packet-loss rig cannot run here: " + "; ".join(problems))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _kill_namespace_processes(name: str, grace: float = 3):
    """Every process in one of our namespaces was started by the rig: TERM, then KILL."""
    def pids():
        result = _run("ip", "netns", "pids", name, check=False)
        return [int(p) for p in result.stdout.split()] if result.returncode == 0 else []
    for sig in (signal.SIGTERM, signal.SIGKILL):
        remaining = pids()
        if not remaining:
            return
        for pid in remaining:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while pids() and time.monotonic() < deadline:
            time.sleep(0.05)


def cleanup_stale():
    """Removes namespaces and tables of ours whose creating process no longer exists."""
    for line in _run("ip", "netns", "list", check=False).stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        match = _NETNS_RE.match(name)
        if match and not _alive(int(match.group(1))):
            _kill_namespace_processes(name)
            _run("ip", "netns", "delete", name, check=False)
    tables = _run("nft", "list", "tables", "ip", check=False).stdout.split()
    for name in tables:
        match = _TABLE_RE.match(name)
        if match and not _alive(int(match.group(1))):
            _run("nft", "delete", "table", "ip", name, check=False)


class LossyNamespace:
    """The namespace, its link and its nftables table; `close` removes all three, and kills
    whatever still runs inside (everything there was started by the rig)."""

    def __init__(self, loss_percent: int = 5):
        if not 0 <= loss_percent <= 100 or int(loss_percent) != loss_percent:
            raise ValueError("loss_percent is a whole number of percent, 0 to 100")
        require_rig()
        self.loss_percent = int(loss_percent)
        self.closed = False
        pid, n = os.getpid(), next(_counter)
        self.name = f"{NETNS_PREFIX}{pid}-{n}"
        self.table = f"{TABLE_PREFIX}{pid}_{n}"
        self.link = f"tdk{pid}-{n}"  # the root namespace's end of the veth pair (at most 15 characters)
        self._created_netns = self._created_table = False
        try:
            with open(_LOCK, "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # parallel runs: one picks a subnet at a time
                cleanup_stale()
                self.subnet = self._free_subnet()
                self.outer, self.inner = f"{SUBNET}.{self.subnet}.1", f"{SUBNET}.{self.subnet}.2"
                self._create()
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _free_subnet() -> int:
        used = set(int(x) for x in re.findall(rf"inet {re.escape(SUBNET)}\.(\d+)\.",
                                               _run("ip", "-4", "-o", "addr", "show").stdout))
        candidates = [x for x in range(1, 255) if x not in used]
        if not candidates:
            raise RuntimeError(f"no free {SUBNET}.X.0/24 subnet")
        return random.choice(candidates)

    def _create(self):
        _run("ip", "netns", "add", self.name)
        self._created_netns = True
        # IPv6 off inside (and on our end of the link) before the link exists: no link-local
        # candidates that would bypass the IPv4 rule below.
        self.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
        _run("ip", "link", "add", self.link, "type", "veth", "peer", "name", "veth0", "netns", self.name)
        with open(f"/proc/sys/net/ipv6/conf/{self.link}/disable_ipv6", "w") as knob:
            knob.write("1")
        _run("ip", "addr", "add", f"{self.outer}/24", "dev", self.link)
        _run("ip", "link", "set", self.link, "up")
        self.exec("ip", "addr", "add", f"{self.inner}/24", "dev", "veth0")
        self.exec("ip", "link", "set", "veth0", "up")
        self.exec("ip", "link", "set", "lo", "up")
        self._created_table = True
        _nft(f"""
table ip {self.table} {{
  counter dropped {{ }}
  counter passed {{ }}
  chain input {{
    type filter hook input priority filter - 10; policy accept;
  }}
}}
""")
        self.set_loss(self.loss_percent)

    def set_loss(self, loss_percent: int):
        """Changes the drop rate, atomically, and restarts both counters from zero."""
        if not 0 <= loss_percent <= 100 or int(loss_percent) != loss_percent:
            raise ValueError("loss_percent is a whole number of percent, 0 to 100")
        self.loss_percent = int(loss_percent)
        chance = "" if self.loss_percent == 100 else f"numgen random mod 100 < {self.loss_percent} "  # 0..99
        _nft(f"""
flush chain ip {self.table} input
add rule ip {self.table} input ip saddr {self.inner} meta l4proto udp {chance}counter name "dropped" drop
add rule ip {self.table} input ip saddr {self.inner} meta l4proto udp counter name "passed"
reset counters table ip {self.table}
""")

    def exec(self, *argv: str) -> subprocess.CompletedProcess:
        return _run("ip", "netns", "exec", self.name, _tool(argv[0]), *argv[1:])

    def popen(self, argv, **kwargs) -> subprocess.Popen:
        """Starts a process inside the namespace."""
        argv = [str(arg) for arg in argv]
        return subprocess.Popen([_tool("ip"), "netns", "exec", self.name, _tool(argv[0]), *argv[1:]], **kwargs)

    def counters(self) -> dict:
        """UDP packets from `inner` dropped and passed so far, and the drop percentage."""
        result = {}
        for name in ("dropped", "passed"):
            listing = json.loads(_run("nft", "-j", "list", "counter", "ip", self.table, name).stdout)
            counter = next(item["counter"] for item in listing["nftables"] if "counter" in item)
            result[name] = counter["packets"]
        total = result["dropped"] + result["passed"]
        result["percent"] = 100.0 * result["dropped"] / total if total else 0.0
        return result

    def close(self):
        if self.closed:
            return
        self.closed = True
        if self._created_netns:
            _kill_namespace_processes(self.name)
            _run("ip", "netns", "delete", self.name, check=False)  # takes the veth pair with it
        if self._created_table:
            _run("nft", "delete", "table", "ip", self.table, check=False)

    def __repr__(self):
        return f"LossyNamespace({self.name}, {self.inner} -> {self.outer}, {self.loss_percent}% UDP loss)"


class LossyRig:
    """One call under loss: a LossyNamespace, and in the root namespace a web origin and
    `tapedeck signal` on the namespace link's `outer` address (reachable from inside), Chromium
    launchers inside (`sender`) and outside (`receiver`), and bots (`start_bot`). `close` undoes
    all of it, newest first, whatever state it is in."""

    def __init__(self, loss_percent: int = 5):
        self._cleanups, self.bots = [], []
        try:
            self.netns = LossyNamespace(loss_percent)
            self._cleanups.append(self.netns.close)
            self.origin = WebOrigin(host=self.netns.outer)
            self._cleanups.append(self.origin.stop)
            self.signal = SignalServer(host=self.netns.outer)
            self._cleanups.append(self.signal.stop)
            self.inside = ChromiumLauncher(netns=self.netns)
            self._cleanups.append(self.inside.quit_all)
            self.outside = ChromiumLauncher()
            self._cleanups.append(self.outside.quit_all)
            self._cleanups.append(self._stop_bots)
        except BaseException:
            self.close()
            raise
        # Pages come from http://OUTER:PORT, not loopback: getUserMedia needs this to work.
        self.secure_origin_flag = f"--unsafely-treat-insecure-origin-as-secure={self.origin.url}"

    def page_url(self, room: str, page: str = "relay-client.html", **query: str) -> str:
        return f"{self.origin.url}/{page}?" + urlencode({"room": room, "signaling": self.signal.url, **query})

    def sender(self, *flags: str):
        """A Chromium inside the namespace: what it sends crosses the lossy link."""
        return self.inside(self.secure_origin_flag, *flags)

    def receiver(self, *flags: str):
        """A Chromium in the root namespace."""
        return self.outside(self.secure_origin_flag, *flags)

    def start_bot(self, room: str, duration: float, log_path, *extra: str) -> subprocess.Popen:
        """`tapedeck join --json` in the root namespace; its log goes to `log_path` (a pipe
        could fill up and stall it), its JSON report to stdout."""
        log = open(log_path, "w")
        try:
            bot = subprocess.Popen(
                [str(tapedeck_binary()), "join", "--signaling", self.signal.url, "--room", room,
                 "--duration", str(duration), "--json", "--log-level", "info", *extra],
                stdout=subprocess.PIPE, stderr=log, text=True)
        finally:
            log.close()
        self.bots.append(bot)
        return bot

    def _stop_bots(self):
        for bot in self.bots:
            if bot.poll() is None:
                bot.kill()
                bot.wait()

    def close(self):
        while self._cleanups:
            cleanup = self._cleanups.pop()
            try:
                cleanup()
            except Exception as error:  # keep going: the namespace and table must go regardless
                print(f"LossyRig cleanup {cleanup.__qualname__} failed: {error!r}")
