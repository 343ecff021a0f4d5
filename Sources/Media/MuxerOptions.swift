/// The libavformat options that make each container survive a killed writer. Everything is
/// bounded by one interval (≤ 2 s): how much media may sit in memory before it reaches the disk.
enum MuxerOptions {
    static func dictionary(for container: MediaContainer, flushIntervalMicroseconds interval: Int64) -> [(String, String)] {
        // flush_packets=1: libav flushes its I/O buffer after every packet it writes. The muxers
        // below only hand it whole clusters, fragments or pages, so this costs one write() per
        // unit (none while a unit is being built) and the disk always ends at a unit boundary.
        // max_interleave_delta: never hold more than the interval waiting for a quiet track.
        // avoid_negative_ts=make_non_negative: keep the caller's timestamps (a track that starts
        // late stays late) unless one is negative; "auto" would zero each MP4 track's start.
        var options = [("flush_packets", "1"), ("max_interleave_delta", String(interval)),
                       ("avoid_negative_ts", "make_non_negative")]
        switch container {
        case .webm:
            // A cluster is closed (and so written) once it spans the interval; the Cues come only
            // with the trailer, so a killed file plays but seeks by scanning.
            options.append(("cluster_time_limit", String(max(interval / 1_000, 1))))
        case .mp4:
            // moov up front (empty_moov), then self-contained moof+mdat fragments at every video
            // keyframe and at least every interval; default_base_moof makes each fragment's
            // offsets relative to itself, so a truncated file is a valid prefix.
            // The moov is written before any track's first sample, so it cannot hold an edit list
            // for a track that starts late. frag_discont (with use_editlist=0) makes the muxer
            // put each track's real start time in its first fragment's tfdt instead; without it
            // the first frame of a late track is stretched back to 0.
            options.append(("movflags", "frag_keyframe+empty_moov+default_base_moof+frag_discont"))
            options.append(("use_editlist", "0"))
            options.append(("frag_duration", String(interval)))
        case .ogg:
            options.append(("page_duration", String(interval)))
        }
        return options
    }
}
