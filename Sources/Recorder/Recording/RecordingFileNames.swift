import Foundation
import Media
import Synchronization

/// Names the files of one recording from its recipe's template, for the recorders of all its
/// participants: each name is claimed once (`OutputFileNames`), so two segments, two
/// participants or an earlier run's files never share one.
final class RecordingFileNames: Sendable {
    private let template: FileNameTemplate
    private let room: String
    private let names: Mutex<OutputFileNames>

    init(template: FileNameTemplate, room: String, directory: String) {
        self.template = template
        self.room = room
        names = Mutex(OutputFileNames(directory: directory))
    }

    func name(_ file: SegmentFileName) throws -> String {
        try name(file, template: template)
    }

    /// A name from another template, claimed among the same names (the raw captures').
    func name(_ file: SegmentFileName, template: FileNameTemplate) throws -> String {
        let values = FileNameValues(room: room, participant: file.participant, track: file.track,
                                    kind: file.kind.flatMap(MediaKind.init(rawValue:)),
                                    time: Date(timeIntervalSince1970: file.start))
        let base = try template.render(values)
        return names.withLock { $0.claim(base: base, fileExtension: file.fileExtension, segment: file.segment) }
    }
}
