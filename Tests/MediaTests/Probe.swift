import Foundation
import MediaTestSupport

/// What ffprobe and ffmpeg make of a file.
struct Probe {
    struct Stream: Decodable {
        var codec_name: String
        var codec_type: String
        var width: Int?
        var height: Int?
        var sample_rate: String?
        var channels: Int?
        var nb_read_packets: String?
        var start_time: String?
        var duration: String?

        var packets: Int { Int(nb_read_packets ?? "") ?? -1 }
        var durationSeconds: Double { Double(duration ?? "") ?? .nan }
        var startSeconds: Double { Double(start_time ?? "") ?? .nan }
    }

    struct Format: Decodable {
        var format_name: String
        var duration: String?
    }

    private struct Report: Decodable {
        var streams: [Stream]
        var format: Format
    }

    var streams: [Stream]
    var format: Format

    var durationSeconds: Double { Double(format.duration ?? "") ?? .nan }

    func stream(_ type: String) -> Stream? { streams.first { $0.codec_type == type } }

    init(_ path: String) throws {
        let output = try ExternalTool.standardOutput("ffprobe", ["-v", "error", "-count_packets", "-show_streams", "-show_format",
                                                                 "-of", "json", path])
        let report = try JSONDecoder().decode(Report.self, from: Data(output.utf8))
        streams = report.streams
        format = report.format
    }

    /// Every packet's presentation time of the first stream of `type` ("a" or "v"), in seconds.
    static func packetTimes(_ path: String, stream type: String) throws -> [Double] {
        let output = try ExternalTool.standardOutput("ffprobe", ["-v", "error", "-select_streams", "\(type):0", "-show_entries",
                                                                 "packet=pts_time", "-of", "csv=p=0", path])
        return output.split(separator: "\n").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// What `ffmpeg -v error` says while decoding the whole file (or its first `seconds`):
    /// nothing, for a healthy file. `-enc_time_base -1` keeps each decoded frame at the file's own
    /// timestamp: otherwise ffmpeg re-times video onto the grid of the frame rate it guessed, and
    /// two frames closer than a grid step (a nudged frame, a camera's jitter) make it complain of
    /// its own rounding ("non monotonically increasing dts"), not of the file.
    static func decodeErrors(_ path: String, seconds: Double? = nil) throws -> String {
        let limit = seconds.map { ["-t", String($0)] } ?? []
        let output = try ExternalTool.run("ffmpeg", ["-nostdin", "-v", "error"] + limit
                                                    + ["-i", path, "-enc_time_base", "-1", "-f", "null", "-"])
        return output.standardError + (output.status == 0 ? "" : "exit status \(output.status)")
    }

    /// How many frames the decoder produced for the first stream of `type`.
    static func decodedFrames(_ path: String, stream type: String) throws -> Int {
        let output = try ExternalTool.standardOutput("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "\(type):0",
                                                                 "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path])
        return Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
