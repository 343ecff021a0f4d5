import RTC

/// A multicast DNS response (RFC 6762) from anyone on the link, as the resolver reads it while it
/// waits for a peer's `.local` candidate: names with compression pointers, records of any type.
enum MulticastDNSFuzz {
    static let name = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.local"

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let bytes = Array(input)
        if let message = try? MulticastDNSMessage(decoding: bytes) {
            for record in message.addressRecords { _ = record.name.utf8.count }
        }
        var resolver = MulticastDNSResolver()
        _ = resolver.lookUp(name, now: .now)
        for (resolved, address) in resolver.resolutions(in: bytes) {
            fuzzCheck(MulticastDNSResolver.key(resolved) == MulticastDNSResolver.key(name), "resolved \(resolved), which was not asked for")
            _ = address.description
        }
    }
}
