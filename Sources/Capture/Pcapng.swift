/// The pcapng file format (IETF draft-ietf-opsawg-pcapng) as Tapedeck's capture uses it: the
/// numbers of its blocks and options, and of the one link type it writes.
///
/// A capture file is one section: a Section Header Block, one Interface Description Block for
/// the connection (link type `LINKTYPE_WIRESHARK_UPPER_PDU`, nanosecond timestamps, the
/// participant's id and name), then an Enhanced Packet Block per packet. Each packet's data is
/// Wireshark's "exported PDU" header — a dissector-name tag (`rtp`, `rtcp` or `sdp`) and the end
/// tag — followed by the decrypted RTP or RTCP packet exactly as it arrived, or by a session
/// description (SDP) the connection was negotiated with. Wireshark and tshark dissect all three
/// without being told ports; any pcapng reader can get at the bytes. docs/capture.md has more.
public enum Pcapng {
    public enum BlockType {
        public static let sectionHeader: UInt32 = 0x0A0D_0D0A
        public static let interfaceDescription: UInt32 = 0x0000_0001
        public static let enhancedPacket: UInt32 = 0x0000_0006
        public static let simplePacket: UInt32 = 0x0000_0003
    }

    /// Written in the writer's byte order; a reader learns the section's order from it.
    public static let byteOrderMagic: UInt32 = 0x1A2B_3C4D

    public enum Option {
        public static let endOfOptions: UInt16 = 0
        public static let comment: UInt16 = 1
        /// Section header: the application that wrote the section.
        public static let userApplication: UInt16 = 4
        /// Interface description: its name, description and timestamp resolution.
        public static let interfaceName: UInt16 = 2
        public static let interfaceDescription: UInt16 = 3
        public static let timestampResolution: UInt16 = 9
        /// Enhanced packet: flags, whose two low bits say the direction.
        public static let packetFlags: UInt16 = 2
    }

    /// `epb_flags` directions.
    public enum Direction: UInt32, Sendable {
        case unknown = 0
        case inbound = 1
        case outbound = 2
    }

    /// Wireshark's exported PDU (https://wiki.wireshark.org/Protocols/exported_pdu).
    public static let linkTypeUpperPDU: UInt16 = 252

    public enum ExportedPDUTag {
        public static let endOfOptions: UInt16 = 0
        public static let dissectorName: UInt16 = 12
    }

    /// The blocks' total lengths are multiples of 4, and bounded here so that a damaged length
    /// cannot make a reader take the rest of a file as one block.
    public static let maximumBlockLength = 1 << 20
}
