"""The bot behind a real NAT (netns_rigs.NatRig): it gathers a server-reflexive candidate through
a STUN server (coturn) outside the NAT, and that candidate is the only way Chromium can reach it:
Chromium's namespace has no route to the bot's host address. In both join orders the bot must
connect and decrypt audio and video, with the NAT's address as its side of the selected pair,
seen so by Chromium too."""
import json
import re

import pytest

from netns_rigs import settle, wait_for_log
from peers import wait_for
from test_join_chromium import assert_received_audio_and_video

BOT_SECONDS = 8


def page_state(page, field: str):
    return page.execute_script(f"return window.relay.{field}")


@pytest.mark.parametrize("bot_first", [True, False], ids=["bot-answers", "bot-offers"])
def test_bot_behind_a_nat_connects_through_its_server_reflexive_address(nat_rig, tmp_path, bot_first):
    rig = nat_rig()
    bot_host, outside, chromium_host = rig.private.inner, rig.nat.outside, rig.public.inner
    unreachable = rig.public.exec("ip", "route", "get", bot_host, check=False)
    assert unreachable.returncode != 0, f"Chromium's namespace can reach the bot's host address: {unreachable.stdout}"

    log = tmp_path / "bot.log"
    if bot_first:
        bot = rig.start_bot("nat", BOT_SECONDS, log)
        assert wait_for_log(log, "joined the room"), log.read_text()[-2000:]
        page = rig.participant()
        page.get(rig.page_url("nat"))
    else:
        page = rig.participant()
        page.get(rig.page_url("nat"))
        assert wait_for(lambda: "joined and offered" in " ".join(page_state(page, "log")), 15), page_state(page, "log")
        bot = rig.start_bot("nat", BOT_SECONDS, log)
    assert wait_for(lambda: page_state(page, "connectionState") == "connected", 20), page_state(page, "log")
    chromium_pair = page.execute_script("return await window.relay.outboundVideoStats()")["pair"] or {}
    returncode, stdout = settle(bot, BOT_SECONDS + 30)
    stderr = log.read_text()
    assert stdout.strip(), f"no report; exit {returncode}; log:\n{stderr[-3000:]}"
    reports = json.loads(stdout)
    report = reports[0] if reports else {}
    nat = rig.nat.counters()
    print(f"bot candidates {report.get('localCandidates')}; bot pair {report.get('selectedPair')}; "
          f"Chromium pair {chromium_pair.get('local')} <-> {chromium_pair.get('remote')}; NAT {nat}")

    assert_received_audio_and_video(returncode, reports, stderr)
    # Gathered: the host candidate, and through STUN the NAT's mapping of it.
    hosts = [c for c in report["localCandidates"] if c.startswith(f"host {bot_host}:")]
    assert len(hosts) == 1, report["localCandidates"]
    base = hosts[0].split()[1]
    srflx = [c for c in report["localCandidates"] if re.fullmatch(rf"srflx {re.escape(outside)}:\d+ raddr {re.escape(base)}", c)]
    assert len(srflx) == 1, f"no srflx candidate {outside}:PORT raddr {base} in {report['localCandidates']}"
    # The pair media flowed on: our side as Chromium saw it is the NAT's mapping (the srflx
    # candidate), the far side Chromium's host address. Chromium agrees: its remote side is
    # our srflx candidate, or, when our check reached it before the trickled candidate did,
    # the same address learned as peer-reflexive (getStats hides a prflx address: port only).
    pair = report["selectedPair"]
    mapped = srflx[0].split()[1]
    assert pair.startswith(f"srflx {mapped} "), pair
    assert re.search(rf" <-> (host|prflx) {re.escape(chromium_host)}:\d+", pair), pair
    mapped_port = mapped.rsplit(":", 1)[1]
    assert chromium_pair.get("remote") in (f"srflx udp {mapped}", f"prflx udp {mapped}", f"prflx udp :{mapped_port}"), chromium_pair
    assert (chromium_pair.get("local") or "").startswith(f"host udp {chromium_host}:"), chromium_pair
    assert nat["masqueraded"] > 0, nat
