import Foundation
import Testing

@testable import ObjectStorage

@Suite("UploadState")
struct UploadStateTests {
    static let mebibyte: Int64 = 1024 * 1024

    @Test("parts cover the file exactly: all part-sized but the last")
    func byteRanges() {
        let state = UploadState(bucket: "b", key: "k", uploadID: "u", partSize: 5 * Self.mebibyte, fileSize: 12 * Self.mebibyte + 1)
        #expect(state.partCount == 3)
        #expect((1...3).map { state.byteRange(ofPart: $0) } == [
            0..<(5 * Self.mebibyte), (5 * Self.mebibyte)..<(10 * Self.mebibyte), (10 * Self.mebibyte)..<(12 * Self.mebibyte + 1),
        ])
        let exact = UploadState(bucket: "b", key: "k", uploadID: "u", partSize: 5 * Self.mebibyte, fileSize: 10 * Self.mebibyte)
        #expect(exact.partCount == 2)
    }

    @Test("recording parts out of order keeps them sorted and unique; the missing ones are the rest")
    func record() {
        var state = UploadState(bucket: "b", key: "k", uploadID: "u", partSize: 5 * Self.mebibyte, fileSize: 20 * Self.mebibyte)
        state.record(UploadedPart(partNumber: 3, etag: "\"c\"", size: 5 * Self.mebibyte))
        state.record(UploadedPart(partNumber: 1, etag: "\"a\"", size: 5 * Self.mebibyte))
        state.record(UploadedPart(partNumber: 3, etag: "\"c2\"", size: 5 * Self.mebibyte))
        #expect(state.parts.map(\.partNumber) == [1, 3])
        #expect(state.parts.last?.etag == "\"c2\"")
        #expect(state.missingPartNumbers == [2, 4])
    }

    @Test("survives a round trip through JSON, as a job store keeps it")
    func codable() throws {
        var state = UploadState(bucket: "b", key: "rooms/a b.webm", uploadID: "u~1", partSize: 8 * Self.mebibyte, fileSize: 17)
        state.record(UploadedPart(partNumber: 1, etag: "\"9b2cf535f27731c974343645a3985328\"", size: 17))
        let decoded = try JSONDecoder().decode(UploadState.self, from: JSONEncoder().encode(state))
        #expect(decoded == state)
    }
}
