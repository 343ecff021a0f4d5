"""Prints the RTCP byte vectors used by RTCPVectorTests.swift, packed by aiortc 1.16 (aiortc/rtp.py).

Run with the project's virtualenv: .venv/bin/python Tests/RTCTests/Fixtures/rtcp/rtcp_vectors.py
"""
from aiortc.rtp import (
    RTCP_PSFB_APP, RTCP_PSFB_FIR, RTCP_PSFB_PLI, RTCP_RTPFB_NACK,
    RtcpByePacket, RtcpPacket, RtcpPsfbPacket, RtcpReceiverInfo, RtcpRrPacket, RtcpRtpfbPacket,
    RtcpSdesPacket, RtcpSenderInfo, RtcpSourceInfo, RtcpSrPacket, pack_remb_fci,
)
from struct import pack

report = RtcpReceiverInfo(ssrc=0x11223344, fraction_lost=0x40, packets_lost=-5,
                          highest_sequence=0x0001_FFFE, jitter=123, lsr=0xAABBCCDD, dlsr=0x00018000)
report2 = RtcpReceiverInfo(ssrc=0x55667788, fraction_lost=0, packets_lost=0x7FFFFF,
                           highest_sequence=17, jitter=0, lsr=0, dlsr=0)
vectors = {
    "senderReport": RtcpSrPacket(ssrc=0x01020304, sender_info=RtcpSenderInfo(
        ntp_timestamp=0xE8A1B2C3_80000000, rtp_timestamp=0xDEADBEEF, packet_count=1000, octet_count=123456),
        reports=[report]),
    "senderReportNoBlocks": RtcpSrPacket(ssrc=0x01020304, sender_info=RtcpSenderInfo(
        ntp_timestamp=0x00000001_00000001, rtp_timestamp=0, packet_count=0, octet_count=0)),
    "receiverReport": RtcpRrPacket(ssrc=0xCAFEBABE, reports=[report, report2]),
    "sourceDescription": RtcpSdesPacket(chunks=[RtcpSourceInfo(ssrc=0x01020304, items=[(1, b"abcdefghij")])]),
    # aiortc closes every chunk with two null octets and pads the packet once at the end: for a
    # CNAME of 5 octets that is 3 more null octets than RFC 3550 §6.5 needs, which parsers ignore.
    "sourceDescriptionLoosePadding": RtcpSdesPacket(chunks=[RtcpSourceInfo(ssrc=0x01020304, items=[(1, b"tapes")])]),
    "goodbye": RtcpByePacket(sources=[0x01020304, 0x05060708]),
    "genericNACK": RtcpRtpfbPacket(fmt=RTCP_RTPFB_NACK, ssrc=0x01020304, media_ssrc=0x0A0B0C0D,
                                   lost=[100, 101, 103, 116, 117, 200]),
    "pictureLossIndication": RtcpPsfbPacket(fmt=RTCP_PSFB_PLI, ssrc=0x01020304, media_ssrc=0x0A0B0C0D),
    # aiortc has no FIR packer; its PSFB packet carries the RFC 5104 §4.3.1.1 FCI given as bytes.
    "fullIntraRequest": RtcpPsfbPacket(fmt=RTCP_PSFB_FIR, ssrc=0x01020304, media_ssrc=0,
                                       fci=pack("!LB3x", 0x0A0B0C0D, 7) + pack("!LB3x", 0x0E0F1011, 255)),
    "receiverEstimatedMaximumBitrate": RtcpPsfbPacket(fmt=RTCP_PSFB_APP, ssrc=0x01020304, media_ssrc=0,
                                                      fci=pack_remb_fci(1_234_567_890, [0x0A0B0C0D, 0x0E0F1011])),
    "receiverEstimatedMaximumBitrateSmall": RtcpPsfbPacket(fmt=RTCP_PSFB_APP, ssrc=0x01020304, media_ssrc=0,
                                                           fci=pack_remb_fci(250_000, [0x0A0B0C0D])),
}
for name, packet in vectors.items():
    data = bytes(packet)
    RtcpPacket.parse(data)  # aiortc reads back what it wrote
    print(f"{name}: {data.hex(' ')}")
compound = b"".join(bytes(vectors[n]) for n in ("receiverReport", "sourceDescription", "genericNACK"))
print(f"compound: {compound.hex(' ')}")
