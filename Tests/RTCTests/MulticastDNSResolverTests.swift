import RTC
import Testing

@Suite("Multicast DNS resolver")
struct MulticastDNSResolverTests {
    @Test("asks at once, again after 1 s and 2 s more, then gives the name up after 4 s more")
    func retries() throws {
        var resolver = MulticastDNSResolver()
        let start = ContinuousClock.now
        resolver.lookUp(ChromiumMulticastDNS.name, now: start)
        resolver.lookUp(ChromiumMulticastDNS.name.uppercased(), now: start)  // the same name
        var sentAt: [Duration] = []
        var now = start
        while let next = resolver.nextTimeout, next - start < .seconds(60) {
            now = next
            for query in resolver.dueQueries(now: now) {
                #expect(query == ChromiumMulticastDNS.query)
                sentAt.append(now - start)
            }
        }
        #expect(sentAt == [.zero, .seconds(1), .seconds(3)])
        #expect(resolver.isIdle)
        #expect(now - start == .seconds(7))
    }

    @Test("Chromium's answer resolves a pending name once; queries, goodbyes and other names resolve nothing")
    func resolves() throws {
        var resolver = MulticastDNSResolver()
        let now = ContinuousClock.now
        #expect(resolver.resolutions(in: ChromiumMulticastDNS.answer).isEmpty)  // nothing asked yet
        resolver.lookUp(ChromiumMulticastDNS.name.uppercased(), now: now)
        resolver.lookUp("other.local", now: now)
        _ = resolver.dueQueries(now: now)
        #expect(resolver.resolutions(in: ChromiumMulticastDNS.query).isEmpty)  // our own query, looped back
        var goodbye = ChromiumMulticastDNS.answer
        goodbye.replaceSubrange(12 + 44 + 4 ..< 12 + 44 + 8, with: [0, 0, 0, 0])  // the A record's TTL
        #expect(resolver.resolutions(in: goodbye).isEmpty)
        let found = resolver.resolutions(in: ChromiumMulticastDNS.answer)
        #expect(found.map(\.name) == [ChromiumMulticastDNS.name])
        #expect(found.map(\.address) == [ChromiumMulticastDNS.address])
        #expect(resolver.resolutions(in: ChromiumMulticastDNS.answer).isEmpty)
        #expect(!resolver.isIdle)  // other.local is still being asked for
    }

    @Test("caps the names pending at once and refuses names it cannot ask for")
    func caps() {
        var resolver = MulticastDNSResolver()
        let now = ContinuousClock.now
        for index in 0..<resolver.maxPendingLookups {
            let accepted = resolver.lookUp("n\(index).local", now: now)
            #expect(accepted)
        }
        let oneTooMany = resolver.lookUp("one-too-many.local", now: now)
        #expect(!oneTooMany)
        var fresh = MulticastDNSResolver()
        let malformed = fresh.lookUp("bad..local", now: now)
        #expect(!malformed)
        #expect(fresh.isIdle)
    }
}
