/// The picture size from an H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1, §7.4.2.1.1).
///
/// Reads the RBSP in place, skipping emulation-prevention bytes, through the fields that come
/// before the size: the high-profile chroma and scaling-matrix fields, the picture-order-count
/// fields, then the size in macroblocks, frame_mbs_only_flag and the cropping window.
struct H264SequenceParameterSet: Hashable {
    var profileIndication: UInt8
    var levelIndication: UInt8
    var width: Int
    var height: Int

    /// `nalUnit` starts with the NAL header byte (type 7). Nil when the syntax runs past the end
    /// or a value is out of its range.
    init?(nalUnit: UnsafeRawBufferPointer) {
        guard nalUnit.count >= 4, nalUnit[0] & 0x1F == 7 else { return nil }
        profileIndication = nalUnit[1]
        levelIndication = nalUnit[3]
        var reader = BitReader(nalUnit, startingAt: 4, removingEmulationPrevention: true)
        guard let identifier = reader.unsignedExpGolomb(), identifier <= 31 else { return nil }
        var chromaFormat: UInt32 = 1  // 4:2:0 unless a high profile says otherwise
        var separateColourPlanes = false
        if Self.profilesWithChromaInfo.contains(profileIndication) {
            guard let format = reader.unsignedExpGolomb(), format <= 3 else { return nil }
            chromaFormat = format
            if format == 3 {
                guard let separate = reader.flag() else { return nil }
                separateColourPlanes = separate
            }
            // bit_depth_luma_minus8, bit_depth_chroma_minus8, qpprime_y_zero_transform_bypass_flag
            guard reader.unsignedExpGolomb() != nil, reader.unsignedExpGolomb() != nil, reader.bit() != nil,
                  let scalingMatrixPresent = reader.flag() else { return nil }
            if scalingMatrixPresent {
                for list in 0..<(chromaFormat == 3 ? 12 : 8) {
                    guard let present = reader.flag() else { return nil }
                    if present, !Self.skipScalingList(&reader, size: list < 6 ? 16 : 64) { return nil }
                }
            }
        }
        guard reader.unsignedExpGolomb() != nil,  // log2_max_frame_num_minus4
              let pictureOrderCountType = reader.unsignedExpGolomb() else { return nil }
        switch pictureOrderCountType {
        case 0:
            guard reader.unsignedExpGolomb() != nil else { return nil }  // log2_max_pic_order_cnt_lsb_minus4
        case 1:
            guard reader.bit() != nil, reader.signedExpGolomb() != nil, reader.signedExpGolomb() != nil,
                  let cycle = reader.unsignedExpGolomb(), cycle <= 255 else { return nil }
            for _ in 0..<cycle { guard reader.signedExpGolomb() != nil else { return nil } }
        case 2:
            break
        default:
            return nil
        }
        guard reader.unsignedExpGolomb() != nil, reader.bit() != nil,  // max_num_ref_frames, gaps_in_frame_num…
              let widthInMacroblocksMinusOne = reader.unsignedExpGolomb(), widthInMacroblocksMinusOne < 1024,
              let heightInMapUnitsMinusOne = reader.unsignedExpGolomb(), heightInMapUnitsMinusOne < 1024,
              let frameMacroblocksOnly = reader.flag() else { return nil }
        if !frameMacroblocksOnly { guard reader.bit() != nil else { return nil } }  // mb_adaptive_frame_field_flag
        guard reader.bit() != nil, let cropping = reader.flag() else { return nil }  // direct_8x8_inference_flag
        let fieldFactor = frameMacroblocksOnly ? 1 : 2
        var width = (Int(widthInMacroblocksMinusOne) + 1) * 16
        var height = fieldFactor * (Int(heightInMapUnitsMinusOne) + 1) * 16
        if cropping {
            guard let left = reader.unsignedExpGolomb(), let right = reader.unsignedExpGolomb(),
                  let top = reader.unsignedExpGolomb(), let bottom = reader.unsignedExpGolomb() else { return nil }
            // §7.4.2.1.1: crop offsets count chroma samples (CropUnitX/Y) unless ChromaArrayType is 0.
            let chromaArrayType = separateColourPlanes ? 0 : chromaFormat
            let unitX = chromaArrayType == 0 || chromaArrayType == 3 ? 1 : 2
            let unitY = (chromaArrayType == 1 ? 2 : 1) * fieldFactor
            width -= unitX * (Int(left) + Int(right))
            height -= unitY * (Int(top) + Int(bottom))
        }
        guard width > 0, height > 0 else { return nil }
        self.width = width
        self.height = height
    }

    /// profile_idc values whose SPS carries chroma_format_idc and the bit depths (§7.3.2.1.1).
    private static let profilesWithChromaInfo: Set<UInt8> = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]

    /// scaling_list(), §7.3.2.1.1.1: delta-coded until a delta makes the next scale 0.
    private static func skipScalingList(_ reader: inout BitReader, size: Int) -> Bool {
        var lastScale: Int32 = 8
        var nextScale: Int32 = 8
        for _ in 0..<size where nextScale != 0 {
            guard let delta = reader.signedExpGolomb(), (-128...127).contains(delta) else { return false }
            nextScale = (lastScale + delta + 256) % 256
            if nextScale != 0 { lastScale = nextScale }
        }
        return true
    }
}
