"""Real networks for end-to-end tests, made by the kernel: network namespaces linked to the root
namespace, packet loss (there is no netem here), stateful filtering and NAT (nftables).

A `LinkedNamespace` is a network namespace joined to the root namespace by a veth pair with
addresses only on that link: `outer` (10.213.X.1, root namespace) and `inner` (10.213.X.2, in the
namespace), IPv6 off on both ends, so everything crosses the link as IPv4. A peer started inside
it (`popen`, or peers.ChromiumLauncher(netns=...)) reaches only `outer`, unless the namespace has
`routes` via `outer` ("default", or addresses/CIDRs): traffic on them is forwarded on when a
`Masquerade` enables forwarding on the link, and is dropped by the root namespace otherwise.

Each namespace has an nftables table of ours in the root namespace. It drops `loss_percent` % of
the UDP packets that arrive from `inner`, at random, on the input hook (a drop on the output hook
makes sendto fail with EPERM instead of losing the packet); TCP (signaling, HTTP, chromedriver) is
never dropped. Two named counters count what was dropped and what passed, to prove the loss rate
afterwards. The same table can also refuse UDP the root namespace did not ask for (a stateful
firewall) or drop mDNS answers coming from the namespace.

A `Masquerade` makes the root namespace a NAT router from one linked namespace ("private") to
another ("public"): forwarding on just those two links, and source NAT to the public link's
`outer` address, in a table of ours.

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


def _nft_counter(table: str, name: str) -> int:
    listing = json.loads(_run("nft", "-j", "list", "counter", "ip", table, name).stdout)
    return next(item["counter"] for item in listing["nftables"] if "counter" in item)["packets"]


def _fresh_ids() -> tuple[int, int]:
    """Our pid and a number not used before in this process: what our names carry."""
    return os.getpid(), next(_counter)


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
        raise RigUnavailable("the network namespace rig cannot run here: " + "; ".join(problems))


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


def _check_percent(loss_percent) -> int:
    if not 0 <= loss_percent <= 100 or int(loss_percent) != loss_percent:
        raise ValueError("loss_percent is a whole number of percent, 0 to 100")
    return int(loss_percent)


class LinkedNamespace:
    """The namespace, its link and its nftables table; `close` removes all three, and kills
    whatever still runs inside (everything there was started by the rig)."""

    def __init__(self, loss_percent: int = 0, routes: tuple[str, ...] = ()):
        self.loss_percent = _check_percent(loss_percent)
        require_rig()
        self.closed = False
        pid, n = _fresh_ids()
        self.name, self.table = f"{NETNS_PREFIX}{pid}-{n}", f"{TABLE_PREFIX}{pid}_{n}"
        self.link = f"tdk{pid}-{n}"  # the root namespace's end of the veth pair (at most 15 characters)
        self._created_netns = self._created_table = False
        try:
            with open(_LOCK, "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # parallel runs: one picks a subnet at a time
                cleanup_stale()
                self.subnet = self._free_subnet()
                self.outer, self.inner = f"{SUBNET}.{self.subnet}.1", f"{SUBNET}.{self.subnet}.2"
                self._create(routes)
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

    @property
    def cidr(self) -> str:
        return f"{SUBNET}.{self.subnet}.0/24"

    def _create(self, routes: tuple[str, ...]):
        _run("ip", "netns", "add", self.name)
        self._created_netns = True
        # IPv6 off inside (and on our end of the link) before the link exists: no link-local
        # candidates that would bypass the IPv4 rules below.
        self.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
        _run("ip", "link", "add", self.link, "type", "veth", "peer", "name", "veth0", "netns", self.name)
        with open(f"/proc/sys/net/ipv6/conf/{self.link}/disable_ipv6", "w") as knob:
            knob.write("1")
        _run("ip", "addr", "add", f"{self.outer}/24", "dev", self.link)
        _run("ip", "link", "set", self.link, "up")
        self.exec("ip", "addr", "add", f"{self.inner}/24", "dev", "veth0")
        self.exec("ip", "link", "set", "veth0", "up")
        self.exec("ip", "link", "set", "lo", "up")
        for destination in routes:
            self.exec("ip", "route", "add", destination, "via", self.outer)
        self._created_table = True
        _nft(f"""
table ip {self.table} {{
  counter dropped {{ }}
  counter passed {{ }}
  counter unsolicited {{ }}
  counter mdns_answers_dropped {{ }}
  chain gate {{
    type filter hook input priority filter - 20; policy accept;
  }}
  chain input {{
    type filter hook input priority filter - 10; policy accept;
  }}
}}
""")
        self.set_loss(self.loss_percent)

    def set_loss(self, loss_percent: int):
        """Changes the drop rate, atomically, and restarts the loss counters from zero."""
        self.loss_percent = _check_percent(loss_percent)
        chance = "" if self.loss_percent == 100 else f"numgen random mod 100 < {self.loss_percent} "  # 0..99
        _nft(f"""
flush chain ip {self.table} input
add rule ip {self.table} input ip saddr {self.inner} meta l4proto udp {chance}counter name "dropped" drop
add rule ip {self.table} input ip saddr {self.inner} meta l4proto udp counter name "passed"
reset counter ip {self.table} dropped
reset counter ip {self.table} passed
""")

    def drop_unsolicited_udp(self):
        """A stateful firewall on our end of the link: UDP from the namespace reaches the root
        namespace only as a reply to what the root namespace sent there first (conntrack), and
        multicast (mDNS answers) passes. Counted in `counters()["unsolicited"]`."""
        _nft(f"""
add rule ip {self.table} gate iifname "{self.link}" ip daddr 224.0.0.0/4 accept
add rule ip {self.table} gate iifname "{self.link}" meta l4proto udp ct state new counter name "unsolicited" drop
""")

    def drop_multicast_dns_answers(self):
        """Nothing the namespace sends from the mDNS port reaches the root namespace: names it
        hides its addresses behind cannot be resolved from here. Counted in
        `counters()["mdns_answers_dropped"]`."""
        _nft(f"""
add rule ip {self.table} gate iifname "{self.link}" udp sport 5353 counter name "mdns_answers_dropped" drop
""")

    def exec(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        return _run("ip", "netns", "exec", self.name, _tool(argv[0]), *argv[1:], check=check)

    def popen(self, argv, **kwargs) -> subprocess.Popen:
        """Starts a process inside the namespace."""
        argv = [str(arg) for arg in argv]
        return subprocess.Popen([_tool("ip"), "netns", "exec", self.name, _tool(argv[0]), *argv[1:]], **kwargs)

    def counters(self) -> dict:
        """Packets counted so far: UDP from `inner` dropped and passed by the loss rule, and the
        drop percentage; UDP refused as unsolicited; mDNS answers dropped."""
        result = {name: _nft_counter(self.table, name)
                  for name in ("dropped", "passed", "unsolicited", "mdns_answers_dropped")}
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
        return f"LinkedNamespace({self.name}, {self.inner} -> {self.outer}, {self.loss_percent}% UDP loss)"


class Masquerade:
    """The root namespace as a NAT router from `private` to `public` (two LinkedNamespaces):
    what `private` sends towards `public` is forwarded with its source rewritten to
    `public.outer` (Linux keeps the source port when it is free, so the mapping is
    endpoint-independent), replies come back through the mapping, and nothing from `public`
    may open a flow towards `private`. `public` should have no route to `private` anyway.

    Forwarding is enabled on the two links only (net.ipv4.conf.LINK.forwarding), not with the
    global net.ipv4.ip_forward: nothing machine-wide changes, so parallel runs cannot undo
    each other's setting, and the knobs vanish with the links.

    With `forward_udp_port`, that one UDP port of `outside` is forwarded (DNAT) to the same port
    of `private.inner`, as a home router's or a cloud load balancer's port forward: the only
    way in that `public` has. Counted in `counters()["forwarded"]` (each flow's first packet).
    With `outbound_udp=False`, `private` may not open UDP flows towards `public` either (counted
    in `counters()["outbound_refused"]`): only answers within flows that came in through the
    forward leave, so a peer outside can only be reached by its reaching the forwarded port first
    — no masqueraded mapping does the forward's work."""

    def __init__(self, private: LinkedNamespace, public: LinkedNamespace, forward_udp_port: int | None = None,
                 outbound_udp: bool = True):
        self.private, self.public = private, public
        self.forward_udp_port = forward_udp_port
        self.closed = False
        pid, n = _fresh_ids()
        self.table = f"{TABLE_PREFIX}{pid}_{n}"
        self._created_table = False
        try:
            for link in (private.link, public.link):
                with open(f"/proc/sys/net/ipv4/conf/{link}/forwarding", "w") as knob:
                    knob.write("1")
            self._created_table = True
            port = forward_udp_port
            dnat = "" if port is None else f"""
  chain prerouting {{
    type nat hook prerouting priority dstnat; policy accept;
    iifname "{public.link}" ip daddr {public.outer} udp dport {port} counter name "forwarded" dnat to {private.inner}:{port}
  }}"""
            let_in = "" if port is None else \
                f'iifname "{public.link}" oifname "{private.link}" ip daddr {private.inner} udp dport {port} ct status dnat accept'
            let_out = "" if outbound_udp else \
                f'iifname "{private.link}" oifname "{public.link}" meta l4proto udp ct state new counter name "outbound_refused" drop'
            _nft(f"""
table ip {self.table} {{
  counter masqueraded {{ }}
  counter refused {{ }}
  counter forwarded {{ }}
  counter outbound_refused {{ }}{dnat}
  chain postrouting {{
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr {private.cidr} oifname "{public.link}" counter name "masqueraded" masquerade
  }}
  chain forward {{
    type filter hook forward priority filter; policy accept;
    {let_in}
    {let_out}
    iifname "{public.link}" oifname "{private.link}" ct state new counter name "refused" drop
  }}
}}
""")
        except BaseException:
            self.close()
            raise

    @property
    def outside(self) -> str:
        """The address the private namespace's traffic appears to come from."""
        return self.public.outer

    def counters(self) -> dict:
        """Flows from `private` given the NAT's address (each flow's first packet: NAT rules
        see only those), and packets from `public` refused for opening a flow inwards."""
        return {name: _nft_counter(self.table, name) for name in ("masqueraded", "refused", "forwarded", "outbound_refused")}

    def close(self):
        if self.closed:
            return
        self.closed = True
        if self._created_table:
            _run("nft", "delete", "table", "ip", self.table, check=False)
