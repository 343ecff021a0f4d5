import Testing

@testable import Jobs

@Suite struct OutboundURLPolicyTests {
    @Test(arguments: ["169.254.169.254", "169.254.1.2", "[fe80::1]", "fe80::abcd", "[fd00:ec2::254]",
                      // The forms HTTP clients and resolvers accept for the same address.
                      "2852039166", "0xA9.0xFE.0xA9.0xFE", "0251.0376.0251.0376", "169.254.43518", "[::ffff:169.254.169.254]",
                      "[::ffff:a9fe:a9fe]"])
    func linkLocalAndMetadataAddressesAreRefusedByDefault(_ host: String) {
        #expect(OutboundURLPolicy.standard.refusal(host: host) != nil)
    }

    @Test(arguments: ["metadata.google.internal", "Metadata.Google.Internal.", "metadata.goog", "metadata", "instance-data"])
    func metadataNamesAreRefusedByDefault(_ host: String) {
        let refusal = OutboundURLPolicy.standard.refusal(host: host)
        #expect(refusal?.contains("cloud metadata") == true)
    }

    @Test(arguments: ["127.0.0.1", "10.1.2.3", "hooks.example.org", "[2001:db8::1]", "192.168.0.10", "localhost"])
    func otherHostsAreAllowedByDefault(_ host: String) {
        #expect(OutboundURLPolicy.standard.refusal(host: host) == nil)
    }

    @Test func anOperatorCanDenyLoopbackAndPrivateRanges() throws {
        let policy = try OutboundURLPolicy(deny: ["127.0.0.0/8", "10.0.0.0/8", "::1/128"])
        #expect(policy.refusal(host: "127.0.0.1")?.contains("127.0.0.0/8") == true)
        #expect(policy.refusal(host: "2130706433") != nil, "127.0.0.1 as one number")
        #expect(policy.refusal(host: "10.200.0.1") != nil)
        #expect(policy.refusal(host: "[::1]") != nil)
        #expect(policy.refusal(host: "11.0.0.1") == nil)
        #expect(policy.refusal(host: "169.254.169.254") != nil, "the defaults stay")
    }

    @Test func anOperatorCanAllowAHostOrNetworkBack() throws {
        let policy = try OutboundURLPolicy(allow: ["169.254.10.0/24", "metadata.google.internal"], deny: ["10.0.0.0/8"])
        #expect(policy.refusal(host: "169.254.10.7") == nil)
        #expect(policy.refusal(host: "169.254.169.254") != nil)
        #expect(policy.refusal(host: "METADATA.google.internal") == nil)
        #expect(policy.refusal(host: "10.0.0.1") != nil)
    }

    @Test(arguments: ["10.0.0.0/33", "fe80::/129", "not-a-network", "10.0.0.0/x"])
    func aBadNetworkIsRefusedSayingWhy(_ text: String) {
        #expect(throws: OutboundURLPolicyError.self) { try OutboundURLPolicy(deny: [text]) }
    }
}
