internal import CMediaShims
internal import CVPX

/// The synthetic publisher's video: the test pattern (`TestPatternRenderer`) encoded as VP8 by
/// libvpx in its real-time mode, as a WebRTC sender encodes — constant bitrate, no lag, error
/// resilient, a keyframe every `keyframeInterval` and whenever asked (PLI/FIR).
///
/// Not thread-safe: one owner calls `encodeNextFrame`.
public final class TestPatternVideoEncoder {
    public struct Configuration: Sendable, Hashable {
        public var width: Int
        public var height: Int
        public var framesPerSecond: Int
        public var bitrateKbps: Int
        /// Seconds between keyframes when nobody asks for one.
        public var keyframeInterval: Int
        public var pattern: TestSignalPattern
        /// The moving pattern's picture painted one colour instead (nil: the pattern).
        public var colour: TestPatternColour?
        /// libvpx's speed for VP8 in real time, -16 (best) to 16 (fastest). A synthetic sender
        /// wants to be cheap more than sharp.
        public var speed: Int

        public init(width: Int = 640, height: Int = 480, framesPerSecond: Int = 30, bitrateKbps: Int = 600,
                    keyframeInterval: Int = 3, pattern: TestSignalPattern = .moving, colour: TestPatternColour? = nil, speed: Int = 12) {
            self.width = width
            self.height = height
            self.framesPerSecond = framesPerSecond
            self.bitrateKbps = bitrateKbps
            self.keyframeInterval = keyframeInterval
            self.pattern = pattern
            self.colour = colour
            self.speed = speed
        }
    }

    /// The RTP video clock (RFC 7741): `EncodedFrame.timestamp` counts in it.
    public static let clockRate = 90_000

    public let configuration: Configuration
    public private(set) var framesEncoded = 0
    public private(set) var keyframesEncoded = 0
    /// The index of the frame `encodeNextFrame` draws: its place in the pattern and on the clock.
    public private(set) var nextFrameIndex = 0
    private var codec = vpx_codec_ctx_t()
    private let image: UnsafeMutablePointer<vpx_image_t>
    private let renderer: TestPatternRenderer

    public init(configuration: Configuration) throws(MediaEncoderError) {
        let size = (configuration.width, configuration.height)
        guard size.0 >= 16, size.1 >= 16, size.0 <= 4_096, size.1 <= 4_096, size.0 % 2 == 0, size.1 % 2 == 0 else {
            throw MediaEncoderError(operation: "configure", message: "the size must be even, 16 to 4096 pixels a side, not \(size.0)x\(size.1)")
        }
        guard (1...120).contains(configuration.framesPerSecond), configuration.bitrateKbps > 0, configuration.keyframeInterval > 0 else {
            throw MediaEncoderError(operation: "configure", message: "frame rate (1–120), bitrate and keyframe interval must be positive")
        }
        guard let interface = vpx_codec_vp8_cx() else {
            throw MediaEncoderError(operation: "vpx_codec_vp8_cx", message: "this libvpx has no VP8 encoder")
        }
        var settings = vpx_codec_enc_cfg_t()
        var status = vpx_codec_enc_config_default(interface, &settings, 0)
        guard status == VPX_CODEC_OK else { throw Self.error("vpx_codec_enc_config_default", status) }
        settings.g_w = UInt32(configuration.width)
        settings.g_h = UInt32(configuration.height)
        // One tick per frame: pts is the frame index.
        settings.g_timebase = vpx_rational(num: 1, den: Int32(configuration.framesPerSecond))
        settings.g_threads = 1
        settings.g_lag_in_frames = 0
        settings.g_error_resilient = vpx_codec_er_flags_t(VPX_ERROR_RESILIENT_DEFAULT)
        settings.rc_end_usage = VPX_CBR
        settings.rc_target_bitrate = UInt32(configuration.bitrateKbps)
        // Never drop a frame: every tick sends one, so frame counts are what the clock says.
        settings.rc_dropframe_thresh = 0
        settings.rc_min_quantizer = 2
        settings.rc_max_quantizer = 56
        settings.rc_undershoot_pct = 100
        settings.rc_overshoot_pct = 15
        settings.rc_buf_initial_sz = 500
        settings.rc_buf_optimal_sz = 600
        settings.rc_buf_sz = 1_000
        settings.kf_mode = VPX_KF_AUTO
        settings.kf_min_dist = 0
        settings.kf_max_dist = UInt32(configuration.keyframeInterval * configuration.framesPerSecond)
        status = tapedeck_vpx_codec_enc_init(&codec, interface, &settings, 0)
        guard status == VPX_CODEC_OK else { throw Self.error("vpx_codec_enc_init", status) }
        status = tapedeck_vpx_codec_control_int(&codec, Int32(VP8E_SET_CPUUSED.rawValue), Int32(configuration.speed))
        guard status == VPX_CODEC_OK else {
            vpx_codec_destroy(&codec)
            throw Self.error("vpx_codec_control(VP8E_SET_CPUUSED)", status)
        }
        // Skip blocks that did not change (most of the pattern), as WebRTC's VP8 encoder does.
        _ = tapedeck_vpx_codec_control_int(&codec, Int32(VP8E_SET_STATIC_THRESHOLD.rawValue), 1)
        guard let image = vpx_img_alloc(nil, VPX_IMG_FMT_I420, UInt32(configuration.width), UInt32(configuration.height), 16) else {
            vpx_codec_destroy(&codec)
            throw MediaEncoderError(operation: "vpx_img_alloc", message: "out of memory")
        }
        self.image = image
        self.configuration = configuration
        renderer = TestPatternRenderer(width: configuration.width, height: configuration.height, pattern: configuration.pattern,
                                       colour: configuration.colour)
    }

    deinit {
        vpx_codec_destroy(&codec)
        vpx_img_free(image)
    }

    /// Draws and encodes the next frame, a keyframe when `forceKeyframe` (or when the interval
    /// is up). Its timestamp is the frame's place on the 90 kHz clock: index × 90000 / fps.
    public func encodeNextFrame(forceKeyframe: Bool = false) throws(MediaEncoderError) -> EncodedFrame {
        let index = nextFrameIndex
        nextFrameIndex += 1
        renderer.render(frame: index, framesPerSecond: configuration.framesPerSecond, into: picture)
        let flags = forceKeyframe ? vpx_enc_frame_flags_t(VPX_EFLAG_FORCE_KF) : 0
        let status = vpx_codec_encode(&codec, image, vpx_codec_pts_t(index), 1, flags, UInt(VPX_DL_REALTIME))
        guard status == VPX_CODEC_OK else { throw Self.error("vpx_codec_encode", status) }
        var data: [UInt8] = []
        var isKeyframe = false
        var iterator: vpx_codec_iter_t?
        while let packet = vpx_codec_get_cx_data(&codec, &iterator) {
            guard packet.pointee.kind == VPX_CODEC_CX_FRAME_PKT else { continue }
            let frame = packet.pointee.data.frame
            guard let bytes = frame.buf else { continue }
            data.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: frame.sz))
            isKeyframe = isKeyframe || frame.flags & vpx_codec_frame_flags_t(VPX_FRAME_IS_KEY) != 0
        }
        guard !data.isEmpty else {
            throw MediaEncoderError(operation: "vpx_codec_get_cx_data", message: "no frame came out for frame \(index)")
        }
        framesEncoded += 1
        if isKeyframe { keyframesEncoded += 1 }
        let timestamp = Int64(index) * Int64(Self.clockRate) / Int64(configuration.framesPerSecond)
        return EncodedFrame(data: data, timestamp: timestamp, isKeyframe: isKeyframe)
    }

    /// Jumps ahead to frame `index` (a sender that fell behind real time catches up): the
    /// frames in between are never drawn, and the next one is a keyframe-free continuation.
    public func skip(to index: Int) {
        nextFrameIndex = max(nextFrameIndex, index)
    }

    private var picture: PlanarPicture {
        let planes = image.pointee.planes, strides = image.pointee.stride
        return PlanarPicture(luma: planes.0!, blueDifference: planes.1!, redDifference: planes.2!,
                             lumaStride: Int(strides.0), chromaStride: Int(strides.1),
                             width: configuration.width, height: configuration.height)
    }

    private static func error(_ operation: String, _ status: vpx_codec_err_t) -> MediaEncoderError {
        MediaEncoderError(operation: operation, message: vpx_codec_err_to_string(status).map { String(cString: $0) } ?? "error \(status)")
    }
}
