import Capture
import Foundation
import Media
import Synchronization

/// The disk half of a connection's capture, driven by the recording's `CaptureThread`: takes
/// the blocks the receive path put in the connection's ring and appends them to
/// `.NAME.pcapng.partial`, opened at the first drain with the file's header; at the end the file
/// is made durable and renamed to NAME.pcapng. A write that fails (a full disk) ends the capture
/// cut back to its last whole block, with the error in the manifest; the recording itself goes
/// on. Nothing is written once the recording's write gate has shut.
final class CaptureFile: Sendable {
    /// The file's name relative to the recording's directory (`alice.pcapng`).
    let path: String
    let ring: CaptureRing
    private let absolutePath: String
    private let temporaryPath: String
    private let header: [UInt8]
    private let gate: RecordingWriteGate
    private let state = Mutex(State())

    private struct State {
        var descriptor: Int32 = -1
        var bytes = 0
        var finished = false
        var ended = false
        var error: String?
        /// Blocks surely in the file: those the ring had counted before the last drain that
        /// succeeded (a block is counted after it is published, so each of those was drained).
        var kept = 0
    }

    init(path: String, directory: String, ring: CaptureRing, header: [UInt8], gate: RecordingWriteGate) {
        self.path = path
        self.ring = ring
        self.header = header
        self.gate = gate
        absolutePath = (directory as NSString).appendingPathComponent(path)
        temporaryPath = MediaFileWriter.temporaryPath(for: absolutePath)
    }

    deinit {
        state.withLock { if $0.descriptor >= 0 { close($0.descriptor) } }
    }

    /// On the capture thread: appends what the ring holds.
    func drain() {
        state.withLock { state in
            guard !state.ended else {
                ring.drain { _ in }
                return
            }
            guard gate.isOpen else {
                end(&state, error: "stopped: the recording may no longer write its folder")
                ring.drain { _ in }
                return
            }
            if state.descriptor < 0 {
                guard ring.written > 0 else { return }  // no packet yet: no file yet
                state.descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                guard state.descriptor >= 0 else {
                    end(&state, error: "cannot create \(temporaryPath): \(String(cString: strerror(errno)))")
                    return
                }
                guard header.withUnsafeBytes({ writeAll($0, to: state.descriptor) }) == nil else {
                    end(&state, error: "cannot write \(temporaryPath): \(String(cString: strerror(errno)))")
                    return
                }
                state.bytes = header.count
            }
            let before = state.bytes
            let blocksBefore = ring.written
            var failed: Int32 = 0
            let count = ring.drain { bytes in
                if failed == 0, let error = writeAll(bytes, to: state.descriptor) { failed = error }
            }
            if failed != 0 {
                // Back to the last whole block, so the file reads cleanly to there.
                _ = ftruncate(state.descriptor, off_t(before))
                end(&state, error: "cannot write \(temporaryPath): \(String(cString: strerror(failed)))")
            } else {
                state.bytes += count
                state.kept = blocksBefore
            }
        }
    }

    /// On the capture thread, once the connection has closed: the last blocks, then the rename
    /// (if the gate is still open).
    func finish() {
        drain()
        state.withLock { state in
            guard !state.ended else { return }
            state.ended = true
            guard state.descriptor >= 0 else { return }  // nothing arrived: no file
            close(state.descriptor)
            state.descriptor = -1
            guard gate.isOpen else {
                state.error = "stopped: the recording may no longer write its folder"
                return
            }
            let descriptor = open(temporaryPath, O_RDONLY | O_CLOEXEC)
            if descriptor >= 0 {
                fsync(descriptor)
                close(descriptor)
            }
            if rename(temporaryPath, absolutePath) == 0 {
                state.finished = true
                state.kept = ring.written  // the connection has closed: everything was drained
            } else {
                state.error = "cannot rename \(temporaryPath): \(String(cString: strerror(errno)))"
            }
        }
    }

    /// As it stands, for the manifest.
    var report: RecordingManifest.Capture {
        state.withLock { state in
            let taken = ring.written
            let kept = state.ended ? min(state.kept, taken) : taken
            return RecordingManifest.Capture(path: path, finished: state.finished,
                                             temporaryPath: state.finished ? nil : MediaFileWriter.temporaryPath(for: path),
                                             bytes: state.bytes, packets: kept, packetsDropped: ring.dropped + taken - kept,
                                             error: state.error)
        }
    }

    private func end(_ state: inout State, error: String) {
        if state.descriptor >= 0 {
            close(state.descriptor)
            state.descriptor = -1
        }
        state.ended = true
        state.error = state.error ?? error
    }
}
