import Foundation
import Jobs
import Recorder

/// A job's outputs and statistics, read off its recording's manifest.
struct ManifestSummary: Equatable {
    var outputs: [JobOutput]
    var statistics: JobStatistics

    init(_ manifest: RecordingManifest) {
        var outputs: [JobOutput] = []
        var statistics = JobStatistics(participants: manifest.participants.count, packetsReceived: 0, packetsLost: 0,
                                       packetsRecovered: 0, bytesWritten: 0)
        for participant in manifest.participants {
            for segment in participant.segments {
                for file in segment.files {
                    outputs.append(JobOutput(path: file.path, participant: participant.name ?? participant.id,
                                             segment: segment.number, bytes: file.bytes, finished: file.finished,
                                             durationSeconds: file.tracks.map(\.durationSeconds).max()))
                    statistics.bytesWritten += file.bytes
                    let packets = file.packetTotals
                    statistics.packetsReceived += packets.received
                    statistics.packetsLost += packets.lost
                    statistics.packetsRecovered += packets.recovered
                }
            }
        }
        self.outputs = outputs
        self.statistics = statistics
    }

    /// The files that could not be written or finished, each with why (a full disk, a failed
    /// write): what the job must say, unlike a participant's dropped connection, which the
    /// manifest notes too but which spoils nothing already recorded.
    static func fileErrors(in manifest: RecordingManifest) -> [String] {
        manifest.participants.flatMap { participant in
            participant.segments.flatMap { segment in
                segment.files.compactMap { file in file.error.map { "\(file.path): \($0)" } }
            }
        }
    }
}
