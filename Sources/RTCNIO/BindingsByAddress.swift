import RTC

/// A socket per local address, bound on first use: two peers starting at once must not both try
/// to bind the same address and port. A failed bind is forgotten, so a later peer tries again.
actor BindingsByAddress {
    private var bases: [IPAddress: Task<TransportAddress, any Error>] = [:]

    func base(on address: IPAddress,
              bind: @escaping @Sendable () async throws -> TransportAddress) async throws -> TransportAddress {
        if let binding = bases[address] { return try await binding.value }
        let binding = Task { try await bind() }
        bases[address] = binding
        do {
            return try await binding.value
        } catch {
            bases[address] = nil
            throw error
        }
    }
}
