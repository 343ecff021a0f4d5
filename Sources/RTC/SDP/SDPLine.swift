extension SDP {
    /// A line of a type this parser does not model (`i=`, `u=`, `e=`, `p=`, `b=`, `r=`, `z=`, `k=`,
    /// a second `c=` or `t=`), kept verbatim for round trips.
    public struct Line: Sendable, Hashable {
        public var type: Character
        public var value: String

        public init(type: Character, value: String) {
            self.type = type
            self.value = value
        }

        var sdpLine: String { "\(type)=\(value)" }
    }
}
