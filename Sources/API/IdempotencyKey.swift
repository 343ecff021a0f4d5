/// The `Idempotency-Key` header of `POST /v1/recordings`: a scheduler's own name for one
/// request, so that sending it again (after a timeout, say) cannot record the meeting twice.
enum IdempotencyKey {
    static let header = "Idempotency-Key"
    static let maxLength = 255

    /// The key, or nil when the header is absent. 1–255 visible ASCII characters.
    static func parse(_ value: String?) throws(APIProblem) -> String? {
        guard let value else { return nil }
        guard (1...maxLength).contains(value.utf8.count), value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .invalidHeader(header, "\(header) must be 1 to \(maxLength) visible ASCII characters, without spaces")
        }
        return value
    }
}
