"""Whole calls on kernel networks (see netns.py): which namespaces, servers, browsers and bots a
test needs, made in order and torn down newest first, whatever state they are in.

- LossyRig: Chromium in a namespace whose UDP towards the root namespace is lost at a given
  rate; a receiver (Chromium or the bot) in the root namespace.
- NatRig: the bot in a "private" namespace behind a NAT (the root namespace masquerades it);
  a STUN server (coturn) and Chromium in a "public" namespace that has no route to the
  private one, so only the bot's server-reflexive address can reach it.
- ForwardedPortRig: the bot behind a NAT that forwards one UDP port to it (and nothing else),
  announcing the NAT's outside address (`--public-ip`); Chromium and publishers outside.
- MulticastDNSRig: Chromium without camera permission in a namespace (so it signals only mDNS
  names for its host addresses), the bot in the root namespace.
- UdpBlockedRig: the bot in a namespace where no UDP passes either way (loopback aside), coturn
  reachable over TCP and TLS, Chromium outside reaching coturn's relay over UDP.
"""
import os
import tempfile
import subprocess
from urllib.parse import urlencode

from netns import LinkedNamespace, Masquerade
from peers import ChromiumLauncher, Coturn, SignalServer, WebOrigin, own_media_port, tapedeck_binary, wait_for


class Rig:
    """What every rig has: a cleanup stack, a web origin and `tapedeck signal` on an address of
    the root namespace that the browsers' namespace reaches, and bots."""

    def __init__(self):
        self._cleanups, self.bots = [], []

    def _own(self, thing, stop: str = "close"):
        """`thing`, to be stopped (its method `stop`) when the rig closes."""
        self._cleanups.append(getattr(thing, stop))
        return thing

    def _serve_pages_and_signaling(self, host: str):
        self.origin = self._own(WebOrigin(host=host), "stop")
        # Open on a namespace address: the rooms of these tests need no tokens, so say so.
        self.signal = self._own(SignalServer("--allow-unauthenticated", host=host), "stop")
        # Pages come from http://HOST:PORT, not loopback: getUserMedia needs this to work.
        self.secure_origin_flag = f"--unsafely-treat-insecure-origin-as-secure={self.origin.url}"

    def _launcher(self, **kwargs) -> ChromiumLauncher:
        return self._own(ChromiumLauncher(**kwargs), "quit_all")

    def page_url(self, room: str, page: str = "relay-client.html", **query: str) -> str:
        return f"{self.origin.url}/{page}?" + urlencode({"room": room, "signaling": self.signal.url, **query})

    def start_bot(self, room: str, duration: float, log_path, *extra: str, netns: LinkedNamespace | None = None,
                  log_level: str = "info") -> subprocess.Popen:
        """`tapedeck join --json` (in `netns`, or the root namespace); its log goes to
        `log_path` (a pipe could fill up and stall it), its JSON report to stdout."""
        argv = [str(tapedeck_binary()), "join", "--signaling", self.signal.url, "--room", room,
                "--duration", str(duration), "--json", "--log-level", log_level, *extra]
        if netns is None and "--rtc-udp-port" not in extra:
            argv += own_media_port()  # in a namespace of its own, the default port is free
        with open(log_path, "w") as log:
            start = netns.popen if netns is not None else subprocess.Popen
            bot = start(argv, stdout=subprocess.PIPE, stderr=log, text=True)
        self.bots.append(bot)
        return bot

    def _stop_bots(self):
        for bot in self.bots:
            if bot.poll() is None:
                bot.kill()
                bot.wait()

    def close(self):
        self._stop_bots()
        while self._cleanups:
            cleanup = self._cleanups.pop()
            try:
                cleanup()
            except Exception as error:  # keep going: namespaces and tables must go regardless
                print(f"{type(self).__name__} cleanup failed: {error!r}")


class LossyRig(Rig):
    """One call under loss: a LinkedNamespace losing `loss_percent` % of its UDP, pages and
    signaling on its `outer` address, Chromium launchers inside (`sender`) and outside
    (`receiver`), and bots in the root namespace."""

    def __init__(self, loss_percent: int = 5):
        super().__init__()
        try:
            self.netns = self._own(LinkedNamespace(loss_percent))
            self._serve_pages_and_signaling(self.netns.outer)
            self.inside = self._launcher(netns=self.netns)
            self.outside = self._launcher()
        except BaseException:
            self.close()
            raise

    def sender(self, *flags: str):
        """A Chromium inside the namespace: what it sends crosses the lossy link."""
        return self.inside(self.secure_origin_flag, *flags)

    def receiver(self, *flags: str):
        """A Chromium in the root namespace."""
        return self.outside(self.secure_origin_flag, *flags)


class NatRig(Rig):
    """The bot behind a NAT. `private` (the bot's namespace) routes everything via the root
    namespace, which masquerades it towards `public` as `nat.outside`; `public` holds coturn as
    the STUN server (`stun.url`) and the Chromium participants, and has no route back to
    `private`. Pages and signaling are on `public.outer`, which both reach (unNATed: it is the
    root namespace's own address)."""

    def __init__(self):
        super().__init__()
        try:
            self.private = self._own(LinkedNamespace(routes=("default",)))
            self.public = self._own(LinkedNamespace())
            self.nat = self._own(Masquerade(self.private, self.public))
            self.stun = self._own(Coturn(netns=self.public, stun_only=True), "stop")
            self._serve_pages_and_signaling(self.public.outer)
            self.browsers = self._launcher(netns=self.public)
        except BaseException:
            self.close()
            raise

    def participant(self, *flags: str):
        return self.browsers(self.secure_origin_flag, *flags)

    def start_bot(self, room: str, duration: float, log_path, *extra: str, **kwargs) -> subprocess.Popen:
        return super().start_bot(room, duration, log_path, "--stun", self.stun.url, *extra, netns=self.private, **kwargs)


class ForwardedPortRig(Rig):
    """The bot behind a NAT with one UDP port forwarded to it: `private` (the bot's namespace)
    is masqueraded towards `public` as `nat.outside`, and `nat.outside:PORT` is forwarded
    (DNAT) to the bot's `PORT`, the one way in. UDP flows may not start from `private`: the bot's
    media leaves only as answers within flows a participant opened through the forward, so what
    connects is the forward and nothing else. No STUN server: the bot announces the NAT's
    address itself (`public_ip_args`). Pages and signaling are on `public.outer`; Chromium
    (`participant`) and `tapedeck publish` (`start_publisher`) run in `public`."""

    def __init__(self, port: int = 7882):
        super().__init__()
        self.port = port
        try:
            self.private = self._own(LinkedNamespace(routes=("default",)))
            self.public = self._own(LinkedNamespace())
            self.nat = self._own(Masquerade(self.private, self.public, forward_udp_port=port, outbound_udp=False))
            self._serve_pages_and_signaling(self.public.outer)
            self.browsers = self._launcher(netns=self.public)
        except BaseException:
            self.close()
            raise

    @property
    def public_ip_args(self) -> tuple[str, ...]:
        return ("--public-ip", self.nat.outside)

    def participant(self, *flags: str):
        return self.browsers(self.secure_origin_flag, *flags)

    def start_recorder(self, room: str, out, *extra: str) -> subprocess.Popen:
        """`tapedeck record --json` in `private` on the default media port, announcing the NAT's
        address; its log on stderr (read it to see it join)."""
        argv = [str(tapedeck_binary()), "record", "--signaling", self.signal.url, "--room", room, "--out", str(out),
                "--json", "--log-level", "info", *self.public_ip_args, *extra]
        recorder = self.private.popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.bots.append(recorder)
        return recorder

    def start_publisher(self, room: str, *extra: str) -> subprocess.Popen:
        """`tapedeck publish` in `public`: synthetic participants on ports of their own."""
        argv = [str(tapedeck_binary()), "publish", "--signaling", self.signal.url, "--room", room, *extra]
        publisher = self.public.popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.bots.append(publisher)
        return publisher

    def udp_sockets(self, pid: int) -> list[str]:
        """The local addresses of the UDP sockets process `pid` holds in `private` (`ss -uanp`)."""
        listing = self.private.exec("ss", "-uanp").stdout.splitlines()
        return [line.split()[3] for line in listing[1:] if f"pid={pid}," in line]


class MulticastDNSRig(Rig):
    """A Chromium without camera permission in `netns`, sending a canvas and an oscillator; the
    bot in the root namespace.

    Without camera permission Chromium gathers only on the interface of its route to 8.8.8.8
    (how WebRTC finds the "default" local address; it sends nothing there), so the namespace
    has that one route. Not a default route: Chromium's DNS lookups would follow it towards the
    machine's nameserver, unreachable from here, and every page load would wait ~26 s for them
    to time out."""

    WEBRTC_DEFAULT_ROUTE_PROBE = "8.8.8.8/32"

    def __init__(self):
        super().__init__()
        try:
            self.netns = self._own(LinkedNamespace(routes=(self.WEBRTC_DEFAULT_ROUTE_PROBE,)))
            self._serve_pages_and_signaling(self.netns.outer)
            self.browsers = self._launcher(netns=self.netns, media_permission=False)
        except BaseException:
            self.close()
            raise

    def participant(self, *flags: str):
        return self.browsers(*flags)

    def page_url(self, room: str, page: str = "relay-client.html", **query: str) -> str:
        return super().page_url(room, page, media="synthetic", **query)


class UdpBlockedRig(Rig):
    """The bot behind a firewall that lets no UDP through: in `netns`, whose UDP towards the
    root namespace is all dropped (the link's own 100 % loss rule, counted) and which drops all
    UDP arriving inside, loopback aside (a table in the namespace, counted in
    `udp_dropped_inside`). TCP passes: signaling, pages, and coturn on `netns.outer`, listening on
    TCP and on TLS with a self-signed certificate for that address (`certificate_file`, its own
    CA). Chromium runs in the root namespace and reaches coturn's relay (also `netns.outer`)
    over UDP as usual, so the one way between them is the bot's TURN relay, allocated over a
    stream. With `turn=False` there is no coturn: the one way is ICE-TCP to the bot's TCP port."""

    def __init__(self, turn: bool = True):
        super().__init__()
        try:
            self.netns = self._own(LinkedNamespace(loss_percent=100))
            self._drop_udp_inside()
            self.directory = tempfile.mkdtemp(prefix="tapedeck-turn-tls-")
            if turn:
                self.certificate_file = os.path.join(self.directory, "cert.pem")
                key_file = os.path.join(self.directory, "key.pem")
                subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                "-nodes", "-keyout", key_file, "-out", self.certificate_file, "-days", "1",
                                "-subj", "/CN=tapedeck test TURN", "-addext", f"subjectAltName=IP:{self.netns.outer}"],
                               check=True, capture_output=True)
                self.turn = self._own(Coturn(host=self.netns.outer, certificate=(self.certificate_file, key_file)), "stop")
            self._serve_pages_and_signaling(self.netns.outer)
            self.browsers = self._launcher()
        except BaseException:
            self.close()
            raise

    def _drop_udp_inside(self):
        for rule in (("add", "table", "inet", "udpblock"),
                     ("add", "counter", "inet", "udpblock", "dropped"),
                     ("add", "chain", "inet", "udpblock", "input", "{ type filter hook input priority 0 ; policy accept ; }"),
                     ("add", "rule", "inet", "udpblock", "input", "iifname", "lo", "accept"),
                     ("add", "rule", "inet", "udpblock", "input", "meta", "l4proto", "udp", "counter", "name", "dropped", "drop")):
            self.netns.exec("nft", *rule)

    def udp_dropped_inside(self) -> int:
        listing = self.netns.exec("nft", "list", "counter", "inet", "udpblock", "dropped").stdout
        return int(listing.split("packets")[1].split()[0])

    def participant(self, *flags: str):
        return self.browsers(self.secure_origin_flag, *flags)

    def tcp_sockets(self, pid: int) -> list[tuple[str, str, str]]:
        """The TCP sockets process `pid` holds in `netns` (`ss -tanp`): state, local and peer address."""
        listing = self.netns.exec("ss", "-tanp").stdout.splitlines()
        return [(line.split()[0], line.split()[3], line.split()[4]) for line in listing[1:] if f"pid={pid}," in line]

    def start_recorder(self, room: str, out, *extra: str) -> subprocess.Popen:
        """`tapedeck record --json` in `netns`; its log on stderr."""
        argv = [str(tapedeck_binary()), "record", "--signaling", self.signal.url, "--room", room, "--out", str(out),
                "--json", "--log-level", "info", *extra]
        recorder = self.netns.popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.bots.append(recorder)
        return recorder

    def close(self):
        super().close()
        if getattr(self, "directory", None):
            subprocess.run(["rm", "-rf", self.directory], check=False)


def wait_for_log(path, text: str, timeout: float = 20) -> bool:
    """Until the file at `path` contains `text` (the bot's log saying it joined, say)."""
    def seen():
        try:
            with open(path) as log:
                return text in log.read()
        except FileNotFoundError:
            return False
    return bool(wait_for(seen, timeout))


def settle(bot: subprocess.Popen, timeout: float) -> tuple[int, str]:
    """The bot's exit status and report, once it has finished on its own."""
    stdout, _ = bot.communicate(timeout=timeout)
    return bot.returncode, stdout
