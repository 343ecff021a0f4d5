/// The beginning of a VP9 frame's uncompressed header (VP9 bitstream specification §6.2), read far
/// enough to tell keyframes and their size:
///
///     frame_marker f(2) = 2, profile_low_bit, profile_high_bit, [reserved_zero if profile 3],
///     show_existing_frame, [frame_to_show_map_idx f(3) → done], frame_type (0 = KEY_FRAME),
///     show_frame, error_resilient_mode,
///     keyframe: frame_sync_code 0x49 0x83 0x42, color_config(), frame_width_minus_1 f(16),
///               frame_height_minus_1 f(16)
struct VP9UncompressedHeader: Hashable {
    var profile: Int
    var showsExistingFrame: Bool
    var isKeyframe: Bool
    var width: Int?
    var height: Int?

    /// Nil when the frame marker or a keyframe's sync code is wrong, or the bytes end too soon.
    init?(_ frame: UnsafeRawBufferPointer) {
        var reader = BitReader(frame)
        guard reader.bits(2) == 2, let low = reader.bit(), let high = reader.bit() else { return nil }
        profile = Int(high << 1 | low)
        if profile == 3 { guard reader.bit() == 0 else { return nil } }
        guard let showExisting = reader.flag() else { return nil }
        showsExistingFrame = showExisting
        if showExisting {
            isKeyframe = false
            return
        }
        guard let frameType = reader.bit(), reader.bits(2) != nil else { return nil }  // show_frame, error_resilient_mode
        isKeyframe = frameType == 0
        guard isKeyframe else { return }
        guard reader.bits(24) == 0x49_8342, Self.skipColorConfig(&reader, profile: profile),
              let widthMinusOne = reader.bits(16), let heightMinusOne = reader.bits(16) else { return nil }
        width = Int(widthMinusOne) + 1
        height = Int(heightMinusOne) + 1
    }

    /// color_config(), §6.2.2: bit depth, color space, and for profiles 1 and 3 the subsampling.
    private static func skipColorConfig(_ reader: inout BitReader, profile: Int) -> Bool {
        if profile >= 2 { guard reader.bit() != nil else { return false } }  // ten_or_twelve_bit
        guard let colorSpace = reader.bits(3) else { return false }
        let hasSubsampling = profile == 1 || profile == 3
        if colorSpace != 7 {  // not CS_RGB
            guard reader.bit() != nil else { return false }  // color_range
            if hasSubsampling { guard reader.bits(3) != nil else { return false } }  // subsampling_x, _y, reserved
        } else if hasSubsampling {
            guard reader.bit() != nil else { return false }  // reserved_zero
        }
        return true
    }
}
