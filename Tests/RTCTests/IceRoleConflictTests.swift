@testable import RTC
import Testing

@Suite("ICE role conflicts against a browser")
struct IceRoleConflictTests {
    @Test("our tie-breaker is below 2^32, whatever the seed")
    func tieBreakerIsSmall() {
        for seed in UInt64(0)..<2_000 {
            #expect(IceAgent(role: .controlling, credentials: .init(ufrag: "abcd", password: "0123456789abcdefghijkl"), seed: seed)
                .tieBreaker < 1 << 32)
        }
    }

    /// Chromium keeps the controlling role of an offer it rolled back to answer ours, and stalls
    /// if it then loses the conflict: the bot must be the one to yield.
    @Test("both controlling, the peer with a browser's 64-bit tie-breaker: the bot yields and follows its nomination")
    func botYieldsToABrowser() {
        let bot = TransportAddress(ip: IPAddress("192.0.2.10")!, port: 40_000)
        let browser = TransportAddress(ip: IPAddress("192.0.2.20")!, port: 50_000)
        for seed in UInt64(1)...5 {
            var simulation = IceSimulation(network: SimulatedNetwork(seed: seed), roles: (.controlling, .controlling),
                                           bases: ([bot], [browser]), seed: seed)
            simulation.endpoints[1].agent.tieBreaker = 0x9E37_79B9_7F4A_7C15 ^ seed  // a random 64-bit value
            simulation.begin()
            #expect(simulation.run(for: .seconds(10)) { $0.bothConnected })
            #expect(simulation.endpoints[0].agent.role == .controlled)
            #expect(simulation.endpoints[1].agent.role == .controlling)
        }
    }
}
