import Foundation

/// The captured RTP fixtures under Fixtures/rtp (see chromium-rtp.json and README.md there).
enum RTPFixture {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/rtp")

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    static func packets(_ name: String) throws -> [CapturedRTPPacket] {
        try RTPDumpReader.read(url(name)).map { record in
            guard let packet = CapturedRTPPacket(record.packet) else {
                throw RTPDumpReader.FormatError(description: "\(name): a record is not an RTP packet")
            }
            return packet
        }
    }

    /// The sidecar's description of one capture: payload type and encoding.
    static func description(of name: String) throws -> [String: Any] {
        let sidecar = try JSONSerialization.jsonObject(with: Data(contentsOf: url("chromium-rtp.json"))) as? [String: Any]
        let files = sidecar?["files"] as? [[String: Any]] ?? []
        guard let entry = files.first(where: { $0["file"] as? String == name }) else {
            throw RTPDumpReader.FormatError(description: "chromium-rtp.json does not describe \(name)")
        }
        return entry
    }
}
