extension SDP {
    /// Media direction attributes (RFC 8866 §6.7), always from the point of view of the description's
    /// author: `sendonly` in an offer means the offerer sends.
    public enum Direction: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case sendrecv
        case sendonly
        case recvonly
        case inactive

        /// Whether the author of the description sends media in this direction.
        public var sends: Bool { self == .sendrecv || self == .sendonly }
        /// Whether the author of the description receives media in this direction.
        public var receives: Bool { self == .sendrecv || self == .recvonly }

        /// The direction the other side sees: what one side sends, the other receives.
        public var reversed: Direction {
            switch self {
            case .sendrecv: .sendrecv
            case .sendonly: .recvonly
            case .recvonly: .sendonly
            case .inactive: .inactive
            }
        }

        public var description: String { rawValue }
    }
}
