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
                    outputs.append(JobOutput(path: file.path, kind: .media, participant: participant.name ?? participant.id,
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
        // The room's files, everyone's: the mix, then who spoke when.
        if let mix = manifest.mix {
            outputs.append(JobOutput(path: mix.file.path, kind: .media, participant: nil, segment: nil, bytes: mix.file.bytes,
                                     finished: mix.file.finished, durationSeconds: mix.file.tracks.map(\.durationSeconds).max()))
            statistics.bytesWritten += mix.file.bytes
        }
        if let timeline = manifest.speakerTimeline, timeline.error == nil {
            // Rewritten with every manifest, it is finished with the recording's last one.
            outputs.append(JobOutput(path: timeline.path, kind: .speakers, participant: nil, segment: nil, bytes: timeline.bytes,
                                     finished: timeline.finished, durationSeconds: nil))
        }
        // Each connection's raw capture once finished: uploaded with the files, a render job can
        // make the recording again on any worker. (One cut short stays on the recorder's disk.)
        for participant in manifest.participants {
            for connection in participant.connections {
                guard let capture = connection.capture, capture.finished else { continue }
                outputs.append(JobOutput(path: capture.path, kind: .capture, participant: participant.name ?? participant.id,
                                         segment: nil, bytes: capture.bytes, finished: true, durationSeconds: nil))
            }
        }
        self.outputs = outputs
        self.statistics = statistics
    }

    /// The files that could not be written or finished, each with why (a full disk, a failed
    /// write): what the job must say, unlike a participant's dropped connection, which the
    /// manifest notes too but which spoils nothing already recorded.
    static func fileErrors(in manifest: RecordingManifest) -> [String] {
        let files = manifest.participants.flatMap { participant in participant.segments.flatMap(\.files) }
            + (manifest.mix.map { [$0.file] } ?? [])
        return files.compactMap { file in file.error.map { "\(file.path): \($0)" } }
    }
}
