"""Under 5% real packet loss (kernel drops of the UDP a headless Chromium sends, see
netns.py), Chromium must send as much video to the bot as to another Chromium: the bot
has to repair loss with NACKs, ask for keyframes, and feed back what it receives so that
Chromium's bandwidth estimate does not collapse.

Two runs, one after the other, each in a fresh namespace with the same loss:
1. baseline: sender Chromium (in the namespace) -> receiver Chromium (root namespace);
2. sender Chromium (in the namespace) -> `tapedeck join --json` (root namespace).
Both times the sender joins the room first and the other side joins second and offers.
The loss starts LOSS_ON seconds after the call connects: with loss from the first packet,
Chromium's start-up bandwidth probe sometimes fails, and its loss-based estimate then kept it at
~250 kbps for the whole run (3 of ~16 baseline runs), which made the baseline itself random.
The sender's video bitrate comes from its bytesSent in a window after the call connects (getStats,
outbound-rtp). It sends a noisy 640x480 clip, so that the encoder uses all the bitrate it is
given (Chromium's fake camera is so easy to encode that it stays far below any target), with
degradationPreference "maintain-resolution": on noise the encoder's QP stays high, so a Chromium
that scaled down to 320x240 after an early loss stayed there, capped at 600 kbps, for the rest of
the run. (contentHint "detail" would do that too, but it makes Chromium treat the track as a
screenshare, with periodic bandwidth probes that inflate bytesSent.)
"""
import json
import statistics
import subprocess
import time

from peers import wait_for

LOSS_PERCENT = 5
DROP_RANGE = (2.0, 9.0)  # measured drop share of the sender's UDP packets, in percent
LOSS_ON = 3.0  # seconds after the sender's connection is "connected"; no loss before
WINDOW = (15.0, 25.0)  # seconds after the sender's connection is "connected"
BOT_DURATION = WINDOW[1] + 8  # the bot stays past the window, then prints its report
MIN_SHARE = 0.8  # bitrate towards the bot / bitrate towards Chromium


def noisy_camera(directory) -> str:
    """A 2-second 640x480 30 fps clip with moving content and temporal noise (Chromium loops
    it): hard to encode, so the video bitrate follows the encoder's target."""
    path = directory / "noisy-640x480.y4m"
    if not path.exists():
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                        "testsrc2=size=640x480:rate=30,noise=alls=25:allf=t", "-t", "2",
                        "-pix_fmt", "yuv420p", str(path)], check=True, timeout=60)
    return str(path)


def page_state(page, field: str):
    return page.execute_script(f"return window.relay.{field}")


def joined(page) -> bool:
    return "joined and offered" in " ".join(page_state(page, "log"))


def measure_sender(page, connected_at: float, start_loss) -> dict:
    """Samples the sender's getStats about once a second until WINDOW ends, calling `start_loss`
    at LOSS_ON. Returns the video bitrate in WINDOW as the median of the 1 s bytesSent rates
    (`kbps`: robust to 1-2 s bursts, e.g. bandwidth probes, which bytesSent counts, and to dips,
    e.g. a busy CPU) and as the mean over the window (`meanKbps`), the mean encoder target, the
    quality limitation reasons seen, the selected candidate pair and a per-second timeline."""
    samples, loss_started = [], False
    while True:
        elapsed = time.monotonic() - connected_at
        if not loss_started and elapsed >= LOSS_ON:
            start_loss()
            loss_started = True
        samples.append((elapsed, page.execute_script("return await window.relay.outboundVideoStats()")))
        if elapsed >= WINDOW[1]:
            break
        next_stop = LOSS_ON if not loss_started else WINDOW[1]
        time.sleep(max(0.0, min(1.0, next_stop - elapsed)))
    video = [(t, s["video"]) for t, s in samples if s["video"] and "bytesSent" in s["video"]]
    result = {"kbps": 0.0, "meanKbps": 0.0, "targetKbps": None, "limitations": [], "timeline": [],
              "pair": samples[-1][1]["pair"], "codec": samples[-1][1]["codec"]}

    def rate(a, b):  # kbit/s: bytes * 8 / milliseconds
        return 8 * (b["bytesSent"] - a["bytesSent"]) / (b["timestamp"] - a["timestamp"])
    rates = []
    for (t0, a), (t1, b) in zip(video, video[1:]):
        if b["timestamp"] <= a["timestamp"]:
            continue
        if t0 >= WINDOW[0]:
            rates.append(rate(a, b))
        result["timeline"].append(
            f"{t1:5.1f}s {rate(a, b):6.0f} kbps target {b.get('targetBitrate', 0) / 1000:5.0f} "
            f"{b.get('frameWidth')}x{b.get('frameHeight')}@{b.get('framesPerSecond')} "
            f"{b.get('qualityLimitationReason')} nacks {b.get('nackCount')} plis {b.get('pliCount')}")
    inside = [v for t, v in video if t >= WINDOW[0]]
    if rates:
        result["kbps"] = statistics.median(rates)
        result["meanKbps"] = rate(inside[0], inside[-1])
        targets = [v["targetBitrate"] for v in inside if "targetBitrate" in v]
        result["targetKbps"] = statistics.mean(targets) / 1000 if targets else None
        result["limitations"] = sorted({v.get("qualityLimitationReason", "?") for v in inside})
    return result


def connect(page) -> float:
    """Waits until the sender page is connected; returns when (time.monotonic())."""
    assert wait_for(lambda: page_state(page, "connectionState") == "connected", 20), \
        f"the sender did not connect: {page_state(page, 'log')}"
    return time.monotonic()


def check_path(rig, measured, failures: list, run: str):
    """The media went over the lossy link as UDP: the sender's selected pair is
    INNER (udp) <-> OUTER, nothing else (no loopback, no IPv6, no TCP candidates)."""
    pair = measured["pair"] or {}
    local, remote = pair.get("local") or "", pair.get("remote") or ""
    if not (f" udp {rig.netns.inner}:" in local and f" udp {rig.netns.outer}:" in remote):
        failures.append(f"{run}: the sender's selected pair is {local} <-> {remote}, "
                        f"not udp {rig.netns.inner} <-> {rig.netns.outer}: the loss was not applied to it")


def check_drops(counters: dict, failures: list, run: str):
    if counters["dropped"] == 0 or not DROP_RANGE[0] <= counters["percent"] <= DROP_RANGE[1]:
        failures.append(f"{run}: nftables dropped {counters['dropped']} of the sender's "
                        f"{counters['dropped'] + counters['passed']} UDP packets while loss was on "
                        f"({counters['percent']:.1f}%), "
                        f"not {DROP_RANGE[0]}-{DROP_RANGE[1]}%")


def describe(run: str, measured: dict, counters: dict) -> str:
    target = f"{measured['targetKbps']:.0f}" if measured["targetKbps"] is not None else "n/a"
    return (f"{run}: sender video {measured['kbps']:.0f} kbps (median of 1 s rates in {WINDOW[0]:.0f}-"
            f"{WINDOW[1]:.0f} s; mean {measured['meanKbps']:.0f} kbps; encoder target {target} kbps; "
            f"limitation {measured['limitations']}; {measured['codec']}), "
            f"pair {(measured['pair'] or {}).get('local')} <-> {(measured['pair'] or {}).get('remote')}; "
            f"drops with loss on (from {LOSS_ON:.0f} s) {counters['dropped']}/{counters['dropped'] + counters['passed']} "
            f"({counters['percent']:.2f}%)\n    " + "\n    ".join(measured["timeline"]))


def primary_video(report: dict) -> dict | None:
    """The participant's video stream itself (not its RTX stream)."""
    video = [s for s in report.get("streams", [])
             if s.get("kind") == "video" and not str(s.get("codec", "")).lower().startswith("rtx")]
    return max(video, key=lambda s: s.get("packetsReceived", s.get("packetsDecrypted", 0)), default=None)


def run_call(rig, camera: str, room: str, join_other_side) -> tuple[dict, dict]:
    """The sender joins `room` first; `join_other_side()` brings in the other side, which offers.
    Loss starts at LOSS_ON; returns the sender's measurement and the drop counters, read now."""
    sender = rig.sender(camera)
    sender.get(rig.page_url(room, degradation="maintain-resolution"))
    assert wait_for(lambda: joined(sender), 15), f"the sender did not join: {page_state(sender, 'log')}"
    join_other_side()
    measured = measure_sender(sender, connect(sender), start_loss=lambda: rig.netns.set_loss(LOSS_PERCENT))
    return measured, rig.netns.counters()


def test_chromium_sends_the_bot_as_much_video_as_a_chromium_under_5_percent_loss(lossy_rig, tmp_path):
    camera = f"--use-file-for-fake-video-capture={noisy_camera(tmp_path)}"
    rig_failures, bot_failures, lines = [], [], []

    # Run 1: Chromium -> Chromium. The receiver uses Chromium's own fake camera: cheap, and what
    # it sends is not measured.
    rig = lossy_rig(0)
    baseline, baseline_drops = run_call(rig, camera, "baseline",
                                        lambda: rig.receiver().get(rig.page_url("baseline")))
    rig.close()  # frees the CPU for run 2
    check_path(rig, baseline, rig_failures, "baseline")
    check_drops(baseline_drops, rig_failures, "baseline")
    lines.append(describe("Chromium -> Chromium", baseline, baseline_drops))

    # Run 2: Chromium -> bot. The bot joins second and offers, as the receiver page did.
    rig = lossy_rig(0)
    bot_log = tmp_path / "bot.log"
    bot, bot_started = None, 0.0

    def start_bot():
        nonlocal bot, bot_started
        bot_started = time.monotonic()
        bot = rig.start_bot("bot", BOT_DURATION, bot_log)
    towards_bot, _ = run_call(rig, camera, "bot", start_bot)
    if time.monotonic() > bot_started + BOT_DURATION - 1:
        rig_failures.append("the bot run took so long to connect that the bot left before the window ended")
    check_path(rig, towards_bot, rig_failures, "bot")
    stdout, _ = bot.communicate(timeout=BOT_DURATION + 30)
    log_tail = bot_log.read_text()[-3000:]
    bot_drops = rig.netns.counters()  # the whole lossy part of the call, up to the bot leaving
    check_drops(bot_drops, rig_failures, "bot")
    lines.append(describe("Chromium -> bot", towards_bot, bot_drops))

    try:
        reports = json.loads(stdout)
    except json.JSONDecodeError:
        reports = None
    summary = "\n".join(lines)
    if not reports or len(reports) != 1:
        raise AssertionError(f"expected the bot's JSON report of one participant, got {stdout!r} "
                             f"(exit {bot.returncode}); bot log:\n{log_tail}\n{summary}")
    report = reports[0]
    video = primary_video(report) or {}
    summary += ("\nbot report: " + json.dumps({k: v for k, v in report.items() if k != "streams"})
                + "\nbot video stream: " + json.dumps(video)
                + "\nbot streams: " + json.dumps(report.get("streams")))
    print(summary)

    # The rig itself: it must have worked, or the comparison means nothing.
    if not report.get("connected"):
        rig_failures.append(f"the bot did not connect; log:\n{log_tail}")
    if rig.netns.inner not in str(report.get("selectedPair")):
        rig_failures.append(f"the bot's selected pair {report.get('selectedPair')} is not with {rig.netns.inner}")
    if video.get("packetsReceived", video.get("packetsDecrypted", 0)) <= 0:  # packetsDecrypted: older bots
        rig_failures.append("the bot received no video packets")
    if baseline["kbps"] < 500:
        rig_failures.append(f"the baseline sent only {baseline['kbps']:.0f} kbps: the sender is starved "
                            f"(limitation {baseline['limitations']}), the comparison is void")
    assert not rig_failures, "the loss rig did not work:\n- " + "\n- ".join(rig_failures) + "\n" + summary

    # The bot: loss repaired and reported, and Chromium not throttled by it.
    for field in ("packetsRecovered", "nacksSent", "keyframes", "plisSent", "frames"):
        if field not in video:
            bot_failures.append(f"the bot's video stream has no `{field}`")
        elif not video[field] >= 1:
            bot_failures.append(f"the bot's video `{field}` is {video[field]}, want >= 1")
    if towards_bot["kbps"] < MIN_SHARE * baseline["kbps"]:
        bot_failures.append(f"Chromium sent the bot {towards_bot['kbps']:.0f} kbps, under {MIN_SHARE:.0%} of the "
                            f"{baseline['kbps']:.0f} kbps it sent a Chromium receiver")
    if bot.returncode != 0:
        bot_failures.append(f"the bot exited {bot.returncode}; its log ends:\n{log_tail}")
    assert not bot_failures, "the bot under loss:\n- " + "\n- ".join(bot_failures) + "\n" + summary
