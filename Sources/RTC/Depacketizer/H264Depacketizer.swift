/// H.264 over RTP in packetization mode 1 (RFC 6184 §6.3): single NAL unit packets (types 1–23),
/// STAP-A (24, §5.7.1) and FU-A (28, §5.8). The frame comes out in Annex B byte-stream format,
/// each NAL unit behind a 00 00 00 01 start code, with the last SPS and PPS put in front of an IDR
/// slice when its access unit lacks them. STAP-B, MTAPs and FU-B belong to the interleaved mode
/// (2), which is never negotiated here, and are rejected as malformed.
struct H264Depacketizer {
    private var parameterSets = H264ParameterSets()
    /// The access unit so far carried its own SPS/PPS (or had the remembered ones inserted).
    private var frameHasSequenceParameterSet = false
    private var frameHasPictureParameterSet = false
    /// An FU-A started (S=1) and not yet ended (E=1): its type and where its NAL unit begins in the frame.
    private var openFragmentType: UInt8?
    private var openFragmentStart = 0

    static let startCode: [UInt8] = [0, 0, 0, 1]

    /// True unless an FU-A was left without its end.
    var frameIsWhole: Bool { openFragmentType == nil }

    func inspect(_ payload: UnsafeRawBufferPointer) -> PayloadLayout? {
        guard !payload.isEmpty else { return nil }
        switch payload[0] & 0x1F {
        case 1...23:
            return PayloadLayout(startsFrame: Self.canBeginAccessUnit(payload))
        case 24:
            // STAP-A: [header] then (16-bit size, NAL unit) until the end, at least one unit.
            var offset = 1
            var units = 0
            while offset < payload.count {
                guard offset + 2 <= payload.count else { return nil }
                let size = Int(payload.readUInt16(at: offset))
                guard size > 0, offset + 2 + size <= payload.count else { return nil }
                offset += 2 + size
                units += 1
            }
            guard units > 0 else { return nil }
            let firstUnit = UnsafeRawBufferPointer(rebasing: payload[3 ..< 3 + Int(payload.readUInt16(at: 1))])
            return PayloadLayout(startsFrame: Self.canBeginAccessUnit(firstUnit))
        case 28:
            // FU-A: [indicator][S|E|R|type] then a fragment; S and E both set is invalid (§5.8).
            guard payload.count >= 3 else { return nil }
            let header = payload[1]
            let type = header & 0x1F
            guard (1...23).contains(type), header & 0xC0 != 0xC0 else { return nil }
            let isStart = header & 0x80 != 0
            return PayloadLayout(startsFrame: isStart && Self.canBegin(type: type, sliceStart: payload[2]))
        default:
            return nil
        }
    }

    /// Whether a NAL unit can be the first of an access unit (H.264 §7.4.1.2.3): a delimiter, SEI
    /// or parameter set, or the first slice of a picture (first_mb_in_slice = 0, a ue(v) whose
    /// first bit is then 1). Lets the assembler find a frame's start after a loss.
    private static func canBeginAccessUnit(_ nalUnit: UnsafeRawBufferPointer) -> Bool {
        guard !nalUnit.isEmpty else { return false }
        return canBegin(type: nalUnit[0] & 0x1F, sliceStart: nalUnit.count > 1 ? nalUnit[1] : 0)
    }

    private static func canBegin(type: UInt8, sliceStart: UInt8) -> Bool {
        switch type {
        case 1...5: sliceStart & 0x80 != 0
        case 6...9, 14, 15: true  // SEI, SPS, PPS, AUD, prefix NAL, subset SPS
        default: false
        }
    }

    mutating func beginFrame() {
        frameHasSequenceParameterSet = false
        frameHasPictureParameterSet = false
        openFragmentType = nil
    }

    /// False when the packet does not fit the frame so far (an FU-A continuing no fragment).
    mutating func append(_ payload: UnsafeRawBufferPointer, _ layout: PayloadLayout, to frame: inout FrameBuffer) -> Bool {
        switch payload[0] & 0x1F {
        case 24:
            guard openFragmentType == nil else { return false }
            var offset = 1
            while offset < payload.count {
                let size = Int(payload.readUInt16(at: offset))
                appendNALUnit(UnsafeRawBufferPointer(rebasing: payload[offset + 2 ..< offset + 2 + size]), to: &frame)
                offset += 2 + size
            }
            return true
        case 28:
            let type = payload[1] & 0x1F
            if payload[1] & 0x80 != 0 {
                guard openFragmentType == nil else { return false }
                // The NAL header is rebuilt from the indicator's F and NRI bits and the FU type (§5.8).
                openFragmentStart = beginNALUnit(header: payload[0] & 0xE0 | type, to: &frame)
                openFragmentType = type
            } else {
                guard openFragmentType == type else { return false }
            }
            frame.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: payload[2 ..< payload.count]))
            if payload[1] & 0x40 != 0 {
                finishNALUnit(type: type, startingAt: openFragmentStart, in: frame)
                openFragmentType = nil
            }
            return true
        default:
            guard openFragmentType == nil else { return false }
            appendNALUnit(payload, to: &frame)
            return true
        }
    }

    private mutating func appendNALUnit(_ nalUnit: UnsafeRawBufferPointer, to frame: inout FrameBuffer) {
        let start = beginNALUnit(header: nalUnit[0], to: &frame)
        frame.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: nalUnit[1 ..< nalUnit.count]))
        finishNALUnit(type: nalUnit[0] & 0x1F, startingAt: start, in: frame)
    }

    /// Writes a start code and the NAL header; returns where the NAL unit begins in the frame.
    private mutating func beginNALUnit(header: UInt8, to frame: inout FrameBuffer) -> Int {
        if header & 0x1F == 5 {
            if !(frameHasSequenceParameterSet && frameHasPictureParameterSet), parameterSets.isComplete {
                frame.bytes.append(contentsOf: Self.startCode)
                frame.bytes.append(contentsOf: parameterSets.sequenceParameterSet)
                frame.bytes.append(contentsOf: Self.startCode)
                frame.bytes.append(contentsOf: parameterSets.pictureParameterSet)
                frameHasSequenceParameterSet = true
                frameHasPictureParameterSet = true
            }
            frame.isKeyframe = true
            frame.width = parameterSets.width
            frame.height = parameterSets.height
        }
        frame.bytes.append(contentsOf: Self.startCode)
        let start = frame.bytes.count
        frame.bytes.append(header)
        return start
    }

    /// Remembers a finished SPS or PPS for later IDR frames.
    private mutating func finishNALUnit(type: UInt8, startingAt start: Int, in frame: FrameBuffer) {
        switch type {
        case 7:
            frameHasSequenceParameterSet = true
            parameterSets.storeSequenceParameterSet(frame.bytes[start ..< frame.bytes.count])
        case 8:
            frameHasPictureParameterSet = true
            parameterSets.storePictureParameterSet(frame.bytes[start ..< frame.bytes.count])
        default:
            break
        }
    }
}
