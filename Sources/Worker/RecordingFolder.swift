import Foundation
import Jobs
import Recorder

/// A job's output folder across attempts. A job taken over after its worker died records again
/// into the same folder: the earlier attempt's manifest is kept under another name, its files
/// left under their temporary names are given their final names (their fragments and clusters
/// are playable as written; raw captures are cut back to their last whole block), files it had
/// made but not yet given media are removed, its `speakers.vtt` is kept as
/// `speakers.attempt-N.vtt`, and the new attempt's files take the next free names.
struct RecordingFolder {
    let path: String

    /// Makes the folder ready for another run of a job; returns the earlier runs' outputs as they
    /// now are on disk. An earlier run's manifest becomes `manifest.attempt-N.json`, N counting
    /// the earlier runs (a run given back at shutdown is one too, though it used up no attempt).
    func prepare(earlierOutputs: [JobOutput]) throws -> [JobOutput] {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let manifest = (path as NSString).appendingPathComponent(ManifestWriter.fileName)
        var outputs = earlierOutputs
        if FileManager.default.fileExists(atPath: manifest) {
            var run = 1
            while FileManager.default.fileExists(atPath: keptManifest(run)) { run += 1 }
            try FileManager.default.moveItem(atPath: manifest, toPath: keptManifest(run))
            // The speaker timeline is rewritten by every run: the earlier run's is kept beside
            // its manifest, under the name its output now has.
            let timeline = RecordingManifest.SpeakerTimelineFile.fileName
            let kept = "speakers.attempt-\(run).vtt"
            let timelinePath = (path as NSString).appendingPathComponent(timeline)
            if FileManager.default.fileExists(atPath: timelinePath) {
                try FileManager.default.moveItem(atPath: timelinePath, toPath: (path as NSString).appendingPathComponent(kept))
            }
            for index in outputs.indices where outputs[index].path == timeline { outputs[index].path = kept }
        }
        AbandonedCaptures.recover(in: path)
        RecordedFile.removeAbandonedOpenings(in: path)
        return outputs.compactMap(recovered)
    }

    private func keptManifest(_ run: Int) -> String {
        (path as NSString).appendingPathComponent("manifest.attempt-\(run).json")
    }

    /// An earlier attempt's output, moved to its final name if it was left under its temporary one;
    /// nil for one that is nowhere and never held a byte (its writer was killed before the file
    /// held media: there is nothing to list).
    private func recovered(_ output: JobOutput) -> JobOutput? {
        var output = output
        let final = (path as NSString).appendingPathComponent(output.path)
        let temporary = RecordedFile.temporaryPath(for: final)
        if !FileManager.default.fileExists(atPath: final), FileManager.default.fileExists(atPath: temporary) {
            try? FileManager.default.moveItem(atPath: temporary, toPath: final)
        }
        if let bytes = RecordedFile.bytesOnDisk(at: final) {
            output.bytes = Int(bytes)
            output.finished = true
        } else if output.bytes == 0 && !output.finished {
            return nil
        }
        return output
    }
}
