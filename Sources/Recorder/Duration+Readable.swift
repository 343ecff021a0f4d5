import Foundation

extension Duration {
    /// The duration for people, in the largest unit it is a whole number of: "6 h", "90 min",
    /// "30 s", "2.5 s".
    public var readable: String {
        let (seconds, attoseconds) = components
        if attoseconds == 0, seconds > 0, seconds % 3_600 == 0 { return "\(seconds / 3_600) h" }
        if attoseconds == 0, seconds > 0, seconds % 60 == 0, seconds >= 120 { return "\(seconds / 60) min" }
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return value == value.rounded() ? "\(Int64(value)) s" : String(format: "%.1f s", value)
    }
}
