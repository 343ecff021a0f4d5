"""Chromium without camera or microphone permission (a canvas and an oscillator, no
getUserMedia: netns_rigs.MulticastDNSRig) signals its host address only as an mDNS name
(`UUID.local`). The bot resolves the name with a multicast DNS query, which Chromium's own
responder answers on the link, and checks the real address.

To prove the resolution (and not peer-reflexive learning) made the connection, the bot's side of
the link is a stateful firewall: UDP from Chromium reaches the bot only as a reply to what the
bot sent first. Chromium's checks therefore cannot reveal its address; only the name can. A last
run drops Chromium's mDNS answers instead, with no firewall: the bot then connects through the
peer-reflexive candidate Chromium's checks reveal, the fallback when a name does not resolve."""
import json
import re
import socket

import pytest

from netns_rigs import settle, wait_for_log
from peers import wait_for
from test_join_chromium import assert_received_audio_and_video

BOT_SECONDS = 8


def page_state(page, field: str):
    return page.execute_script(f"return window.relay.{field}")


def run_call(rig, tmp_path, room: str, bot_first: bool) -> tuple[dict, list, tuple]:
    """A call between the bot and the page; returns the bot's report, the page's gathered
    candidates, and what assert_received_audio_and_video takes."""
    log = tmp_path / f"{room}.log"
    if bot_first:
        bot = rig.start_bot(room, BOT_SECONDS, log)
        assert wait_for_log(log, "joined the room"), log.read_text()[-2000:]
        page = rig.participant()
        page.get(rig.page_url(room))
    else:
        page = rig.participant()
        page.get(rig.page_url(room))
        assert wait_for(lambda: "joined and offered" in " ".join(page_state(page, "log")), 15), page_state(page, "log")
        bot = rig.start_bot(room, BOT_SECONDS, log)
    returncode, stdout = settle(bot, BOT_SECONDS + 30)
    candidates = page_state(page, "localCandidates")
    stderr = log.read_text()
    assert stdout.strip(), f"no report; exit {returncode}; log:\n{stderr[-3000:]}"
    reports = json.loads(stdout)
    report = reports[0] if reports else {}
    print(f"Chromium candidates {candidates}; bot sees {report.get('remoteCandidates')}; "
          f"pair {report.get('selectedPair')}; link counters {rig.netns.counters()}")
    return report, candidates, (returncode, reports, stderr)


def mdns_host_candidates(rig, candidates: list) -> set:
    """Chromium's host candidates as (name, port); asserts they are all mDNS names and that its
    address appears in none of its candidates."""
    hosts = {(c.split()[4], int(c.split()[5])) for c in candidates if " typ host" in c}
    assert hosts, f"Chromium gathered no host candidate: {candidates}"
    assert all(name.endswith(".local") for name, _ in hosts), f"Chromium revealed a host address: {candidates}"
    assert not any(rig.netns.inner in c for c in candidates), candidates
    return hosts


def assert_firewall_refuses_unsolicited_udp(rig):
    """A datagram the namespace sends the root namespace unasked never arrives (and is
    counted); the call itself then shows that replies do."""
    before = rig.netns.counters()["unsolicited"]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as listener:
        listener.bind((rig.netns.outer, 0))
        listener.settimeout(0.5)
        rig.netns.exec("python3", "-c", "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)"
                       f".sendto(b'unasked', ('{rig.netns.outer}', {listener.getsockname()[1]}))")
        with pytest.raises(TimeoutError):
            listener.recvfrom(64)
    assert rig.netns.counters()["unsolicited"] == before + 1


@pytest.mark.parametrize("bot_first", [True, False], ids=["bot-answers", "bot-offers"])
def test_bot_resolves_chromiums_mdns_candidate(mdns_rig, tmp_path, bot_first):
    rig = mdns_rig()
    rig.netns.drop_unsolicited_udp()
    assert_firewall_refuses_unsolicited_udp(rig)
    report, candidates, outcome = run_call(rig, tmp_path, "mdns", bot_first)
    hosts = mdns_host_candidates(rig, candidates)
    assert_received_audio_and_video(*outcome)
    # The far side of the pair is Chromium's host candidate at its real address, found from its name.
    remote = report["selectedPair"].split(" <-> ", 1)[1]
    match = re.fullmatch(rf"host {re.escape(rig.netns.inner)}:(\d+) \((\S+\.local)\)", remote)
    assert match, f"the selected pair's remote side is not a resolved mDNS host candidate: {report['selectedPair']}"
    assert (match.group(2), int(match.group(1))) in hosts, (hosts, remote)


def test_without_mdns_answers_the_bot_learns_chromium_as_peer_reflexive(mdns_rig, tmp_path):
    rig = mdns_rig()
    rig.netns.drop_multicast_dns_answers()
    report, candidates, outcome = run_call(rig, tmp_path, "prflx", bot_first=True)
    mdns_host_candidates(rig, candidates)
    assert_received_audio_and_video(*outcome)
    assert re.search(rf" <-> prflx {re.escape(rig.netns.inner)}:\d+$", report["selectedPair"]), report["selectedPair"]
    assert rig.netns.counters()["mdns_answers_dropped"] > 0, "Chromium's mDNS answers never came: the run proves nothing"
