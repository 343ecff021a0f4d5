/// The API's shared secret (`TAPEDECK_API_TOKEN`), checked against `Authorization: Bearer …`.
public struct BearerToken: Sendable {
    private let secret: [UInt8]

    /// nil for an empty token: an empty secret would let anyone in who sends `Bearer `.
    public init?(_ secret: String) {
        guard !secret.isEmpty else { return nil }
        self.secret = Array(secret.utf8)
    }

    /// Whether an `Authorization` header carries this token. Compared in constant time: how long
    /// the comparison takes says nothing about how much of a guess was right.
    public func accepts(authorization: String?) throws(APIProblem) {
        guard let authorization else {
            throw .unauthorized("send the API token as Authorization: Bearer <token>")
        }
        let scheme = "bearer "
        guard authorization.count > scheme.count, authorization.lowercased().hasPrefix(scheme) else {
            throw .unauthorized("the Authorization header must read Bearer <token>")
        }
        let presented = Array(authorization.utf8.dropFirst(scheme.utf8.count))
        guard Self.constantTimeEqual(presented, secret) else {
            throw .unauthorized("the bearer token is not this server's")
        }
    }

    /// Looks at every byte of the longer of the two whatever they hold, so the time taken depends
    /// on the lengths only.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
