"""A strict reader of Tapedeck's raw captures (docs/capture.md), written from the pcapng
specification apart from the Swift reader, so that the tests check the file and not the code
that wrote it: one little-endian section, one interface of link type 252 (Wireshark's exported
PDU) with nanosecond timestamps, then enhanced packet blocks whose data starts with exported-PDU
tags naming the dissector."""
import struct
from dataclasses import dataclass


@dataclass
class Packet:
    offset: int
    time: float  # Unix seconds
    dissector: str
    data: bytes
    direction: int  # 1 inbound, 2 outbound
    comment: str | None


class Damaged(Exception):
    def __init__(self, offset: int, reason: str):
        super().__init__(f"byte {offset}: {reason}")
        self.offset = offset


def _options(body: bytes) -> dict[int, bytes]:
    options, at = {}, 0
    while at + 4 <= len(body):
        code, length = struct.unpack_from("<HH", body, at)
        if code == 0:
            break
        options[code] = body[at + 4: at + 4 + length]
        at += 4 + (length + 3) // 4 * 4
    return options


def read(data: bytes) -> tuple[dict, list[Packet], int | None]:
    """(interface options, packets, offset of a cut-short last block or None). Raises Damaged."""
    at, interface, packets = 0, None, []
    while at < len(data):
        if len(data) - at < 12:
            return interface, packets, at
        kind, length = struct.unpack_from("<II", data, at)
        if length < 12 or length % 4:
            raise Damaged(at, f"block length {length}")
        if len(data) - at < length:
            return interface, packets, at
        if struct.unpack_from("<I", data, at + length - 4)[0] != length:
            raise Damaged(at, "the two lengths differ")
        body = data[at + 8: at + length - 4]
        if at == 0:
            if kind != 0x0A0D0D0A or struct.unpack_from("<IHH", body)[0:3] != (0x1A2B3C4D, 1, 0):
                raise Damaged(at, "no little-endian pcapng 1.0 section header")
        elif kind == 1:
            link_type, = struct.unpack_from("<H", body)
            if link_type != 252 or interface is not None:
                raise Damaged(at, f"interface of link type {link_type}")
            interface = _options(body[8:])
            if interface.get(9) != b"\x09":
                raise Damaged(at, "timestamps not in nanoseconds")
        elif kind == 6:
            if interface is None:
                raise Damaged(at, "a packet before the interface")
            ifid, high, low, captured, original = struct.unpack_from("<IIIII", body)
            if ifid != 0 or captured != original:
                raise Damaged(at, "interface or lengths")
            pdu = body[20: 20 + captured]
            tag, tag_length = struct.unpack_from(">HH", pdu)
            if tag != 12:
                raise Damaged(at, f"first exported-PDU tag {tag}")
            name = pdu[4: 4 + tag_length].rstrip(b"\0").decode()
            end = 4 + (tag_length + 3) // 4 * 4
            if pdu[end: end + 4] != b"\0\0\0\0":
                raise Damaged(at, "no end tag")
            options = _options(body[20 + (captured + 3) // 4 * 4:])
            flags = struct.unpack("<I", options[2])[0] if 2 in options else 0
            comment = options[1].decode() if 1 in options else None
            packets.append(Packet(at, ((high << 32) | low) / 1e9, name, pdu[end + 4:], flags & 3, comment))
        else:
            raise Damaged(at, f"block type {kind:#x}")
        at += length
    return interface, packets, None
