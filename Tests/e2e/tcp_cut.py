"""Cutting one TCP service off from one linked network namespace, with nftables in the root
namespace: every packet the namespace sends to the service's port is dropped on arrival, and
every packet the service sends back is dropped on its way out. Nothing is refused or reset: to
both ends the network just went silent, as when a link or a firewall fails. Lifting the cut lets
the same connections carry on (TCP retransmits what was dropped).

The table is ours (`tdkcut_<pid>_<n>`, apart from netns.py's `tdk_` tables); tables of runs whose
process is gone are removed before a new one is made."""
import itertools
import json
import os
import re

from netns import LinkedNamespace, _alive, _nft, _run

TABLE_PREFIX = "tdkcut_"
_TABLE_RE = re.compile(r"^tdkcut_(\d+)_(\d+)$")
_counter = itertools.count(1)


def _cleanup_stale():
    for name in _run("nft", "list", "tables", "ip", check=False).stdout.split():
        match = _TABLE_RE.match(name)
        if match and not _alive(int(match.group(1))):
            _run("nft", "delete", "table", "ip", name, check=False)


class TcpCut:
    """`cut()` and `restore()` the traffic between `namespace` and TCP port `port` of the root
    namespace; `close()` removes the table (and so any cut)."""

    def __init__(self, namespace: LinkedNamespace, port: int):
        _cleanup_stale()
        self.namespace, self.port = namespace, port
        self.table = f"{TABLE_PREFIX}{os.getpid()}_{next(_counter)}"
        self.closed = False
        _nft(f"""
table ip {self.table} {{
  counter inbound_dropped {{ }}
  counter outbound_dropped {{ }}
  chain input {{
    type filter hook input priority filter - 30; policy accept;
  }}
  chain output {{
    type filter hook output priority filter - 30; policy accept;
  }}
}}
""")

    def cut(self):
        ns = self.namespace
        _nft(f"""
add rule ip {self.table} input iifname "{ns.link}" ip saddr {ns.inner} tcp dport {self.port} counter name "inbound_dropped" drop
add rule ip {self.table} output ip daddr {ns.inner} tcp sport {self.port} counter name "outbound_dropped" drop
""")

    def restore(self):
        _nft(f"flush chain ip {self.table} input\nflush chain ip {self.table} output\n")

    def counters(self) -> dict:
        result = {}
        for name in ("inbound_dropped", "outbound_dropped"):
            listing = json.loads(_run("nft", "-j", "list", "counter", "ip", self.table, name).stdout)
            result[name] = next(item["counter"] for item in listing["nftables"] if "counter" in item)["packets"]
        return result

    def close(self):
        if not self.closed:
            self.closed = True
            _run("nft", "delete", "table", "ip", self.table, check=False)
