// The child process MediaTests' crash test kills: writes a WebM (VP8 + Opus) and a fragmented
// MP4 (H.264 + AAC) at a steady pace, says how far it got on stdout, and never finishes them.
//
//   media-crash-probe OUTPUT-DIRECTORY VP8.ivf OPUS.ogg H264.ts AAC.m4a SPEED
import Foundation
import Media
import MediaTestSupport

let arguments = CommandLine.arguments
guard arguments.count == 7, let speed = Double(arguments[6]), speed > 0 else {
    FileHandle.standardError.write(Data("usage: media-crash-probe DIR VP8 OPUS H264 AAC SPEED\n".utf8))
    exit(2)
}
let directory = arguments[1]

/// One line to the parent, unbuffered (FileHandle writes straight to the descriptor).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
do {
    let vp8 = try EncodedStream.read(arguments[2]).retimed(to: .rtpVideo)
    let opus = try EncodedStream.read(arguments[3]).retimed(to: .samples(48_000))
    let h264 = try EncodedStream.read(arguments[4]).retimed(to: .rtpVideo)
    let aac = try EncodedStream.read(arguments[5]).retimed(to: .samples(48_000))
    let webm = try MediaFileWriter(path: directory + "/crash.webm", container: .webm, tracks: [
        .video(.vp8, width: vp8.width, height: vp8.height),
        .audio(.opus, channels: opus.channels),
    ])
    let parameterSets = h264.frames.first { $0.isKeyframe }.flatMap { H264AnnexB.parameterSets(in: $0.data) }
    let mp4 = try MediaFileWriter(path: directory + "/crash.mp4", container: .mp4, tracks: [
        .video(.h264, width: h264.width, height: h264.height, extradata: parameterSets),
        .audio(.aac, sampleRate: aac.sampleRate, channels: aac.channels, extradata: aac.extradata),
    ])
    // Every frame of the four streams in time order, tagged with its writer and track.
    let sources: [(EncodedStream, MediaFileWriter, Int)] = [(vp8, webm, 0), (opus, webm, 1), (h264, mp4, 0), (aac, mp4, 1)]
    let schedule = sources.flatMap { stream, writer, track in
        stream.frames.map { (time: stream.seconds($0), frame: $0, writer: writer, track: track) }
    }.sorted { $0.time < $1.time }

    let start = ContinuousClock.now
    var reported = 0.0
    for item in schedule {
        let due = start + .seconds(item.time / speed)
        let wait = (due - .now).components
        if wait.seconds >= 0, wait.attoseconds > 0 || wait.seconds > 0 {
            Thread.sleep(forTimeInterval: Double(wait.seconds) + Double(wait.attoseconds) / 1e18)
        }
        try item.writer.write(track: item.track, data: item.frame.data, pts: item.frame.pts, isKeyframe: item.frame.isKeyframe)
        if item.time >= reported + 0.5 {
            reported = item.time
            say("written \(reported)")
        }
    }
    say("done")
    // Wait to be killed: the files are deliberately never finished.
    while true { Thread.sleep(forTimeInterval: 60) }
} catch {
    FileHandle.standardError.write(Data("media-crash-probe: \(error)\n".utf8))
    exit(1)
}
