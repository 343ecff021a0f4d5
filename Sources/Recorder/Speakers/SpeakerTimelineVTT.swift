/// `speakers.vtt`: the speaker timeline as WebVTT (W3C WebVTT), a cue per stretch of speech,
/// its text who spoke, its times from the recording's start, in the order speech started (cues
/// of people talking at once overlap, as WebVTT allows). A player shows it beside any of the
/// recording's files that start with the recording; a tool reads it as a plain list.
enum SpeakerTimelineVTT {
    /// `end`: where speech still going on is cut (the time of writing).
    static func render(_ intervals: [SpeakerTimeline.Interval], recordingStart: Double, end: Double) -> String {
        var text = "WEBVTT\n"
        for (number, interval) in intervals.sorted(by: { ($0.start, $0.participant) < ($1.start, $1.participant) }).enumerated() {
            let start = max(0, interval.start - recordingStart)
            let stop = max(start, (interval.end ?? end) - recordingStart)
            text += "\n\(number + 1)\n\(timestamp(start)) --> \(timestamp(stop))\n\(cueText(interval.participant))\n"
        }
        return text
    }

    /// `hh:mm:ss.ttt`, the hours always written (WebVTT allows more than two digits).
    static func timestamp(_ seconds: Double) -> String {
        let milliseconds = Int64((seconds * 1_000).rounded())
        let hours = milliseconds / 3_600_000
        let minutes = milliseconds / 60_000 % 60
        let wholeSeconds = milliseconds / 1_000 % 60
        return "\(padded(hours, 2)):\(padded(minutes, 2)):\(padded(wholeSeconds, 2)).\(padded(milliseconds % 1_000, 3))"
    }

    /// A participant's id as cue text: `&`, `<` and `>` escaped (so no markup and no `-->`), a
    /// line break made a space (a blank line would end the cue).
    static func cueText(_ participant: String) -> String {
        var text = ""
        for character in participant {
            switch character {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            case _ where character.isNewline: text += " "
            default: text.append(character)
            }
        }
        return text.isEmpty ? "&nbsp;" : text
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
