import Foundation
import Recorder

/// What `record` and `render` print on stdout when done: the files they wrote, one path per
/// line, or with `--json` the manifest.
enum ManifestPrinting {
    static func print(_ manifest: RecordingManifest, out: String, json: Bool) throws {
        if json {
            Swift.print(String(decoding: try ManifestWriter.encode(manifest), as: UTF8.self))
            return
        }
        for participant in manifest.participants {
            for segment in participant.segments {
                for file in segment.files { Swift.print((out as NSString).appendingPathComponent(file.path)) }
            }
        }
    }
}
