extension VideoTranscoder {
    /// How libx264 encodes. The defaults are for recording many streams at once on few cores:
    /// a fast preset, one thread per stream (a machine's cores go to more recordings, not to
    /// one recording finishing sooner), and constant quality.
    public struct Settings: Sendable, Hashable {
        public enum RateControl: Sendable, Hashable {
            /// x264's average bitrate mode, in kbit/s.
            case bitrate(kbps: Int)
            /// Constant rate factor, 0–51 (lower is better; 23 is x264's default).
            case constantRateFactor(Double)
        }

        /// An x264 preset, "ultrafast" to "placebo".
        public var preset: String
        /// Constant quality by default: it keeps the quality of what arrived whatever size the
        /// sender picks (a 320x240 layer during congestion needs far fewer bits than 1280x720,
        /// which one fixed bitrate would either starve or waste).
        public var rateControl: RateControl
        /// The longest stretch of media between two keyframes, by the frames' timestamps (a
        /// frame count would stretch it when a camera drops to 15 fps in low light). Players seek
        /// to keyframes and MP4 fragments start at them.
        public var keyframeInterval: Duration
        /// Threads for the decoder and the encoder.
        public var threads: Int
        /// An x264 tune ("zerolatency", "film", ...) or none.
        public var tune: String?

        public init(preset: String = "veryfast", rateControl: RateControl = .constantRateFactor(23),
                    keyframeInterval: Duration = .seconds(2), threads: Int = 1, tune: String? = nil) {
            self.preset = preset
            self.rateControl = rateControl
            self.keyframeInterval = keyframeInterval
            self.threads = threads
            self.tune = tune
        }

        /// x264's presets (x264.h, x264_preset_names), checked here so that a typo names itself
        /// instead of failing as libx264's "Invalid argument".
        public static let presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow",
                                     "slower", "veryslow", "placebo"]

        func validate() throws(TranscoderError) {
            func invalid(_ why: String) -> TranscoderError {
                TranscoderError(operation: "configure H.264 encoder", reason: .invalidSettings(why))
            }
            guard Self.presets.contains(preset) else {
                throw invalid("preset \"\(preset)\" is not one of \(Self.presets.joined(separator: ", "))")
            }
            guard keyframeInterval > .zero else { throw invalid("keyframe interval \(keyframeInterval) is not positive") }
            guard (1...64).contains(threads) else { throw invalid("threads \(threads) is not within 1...64") }
            switch rateControl {
            case .bitrate(let kbps):
                guard (1...200_000).contains(kbps) else { throw invalid("bitrate \(kbps) kbit/s is not within 1...200000") }
            case .constantRateFactor(let crf):
                guard (0...51).contains(crf) else { throw invalid("CRF \(crf) is not within 0...51") }
            }
        }

        /// libx264's private options.
        var encoderOptions: [(String, String)] {
            // forced-idr: a keyframe we ask for (pict_type I) is an IDR, where decoding can start.
            var options = [("preset", preset), ("forced-idr", "1")]
            if let tune { options.append(("tune", tune)) }
            if case .constantRateFactor(let crf) = rateControl { options.append(("crf", String(crf))) }
            return options
        }
    }
}
