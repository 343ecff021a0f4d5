extension SDP {
    /// The `t=` line. WebRTC sessions are unbounded, so this is `t=0 0` in practice.
    public struct Timing: Sendable, Hashable {
        public var start: UInt64
        public var stop: UInt64

        public init(start: UInt64 = 0, stop: UInt64 = 0) {
            self.start = start
            self.stop = stop
        }

        static func parse(_ value: String, line: Int) throws(ParseError) -> Timing {
            let fields = SDPText.fields(value)
            guard fields.count == 2 else {
                throw .malformedTiming(line: line, reason: "expected start and stop time, found \(fields.count) fields")
            }
            guard let start = SDPText.decimal(fields[0], as: UInt64.self),
                  let stop = SDPText.decimal(fields[1], as: UInt64.self)
            else {
                throw .malformedTiming(line: line, reason: "times must be decimal numbers")
            }
            return Timing(start: start, stop: stop)
        }

        var sdpValue: String { "\(start) \(stop)" }
    }
}
