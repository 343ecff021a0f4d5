/// The latest sequence and picture parameter sets (NAL types 7 and 8) seen on an H.264 stream,
/// kept to put in front of an IDR access unit that arrives without them: a recording that starts
/// there, or a decoder that lost its state, needs both before the IDR slice.
///
/// Only one of each is kept: WebRTC encoders use a single SPS and PPS (id 0) per stream. The
/// buffers are replaced in place, so a stream repeating them on every keyframe does not allocate.
struct H264ParameterSets {
    private(set) var sequenceParameterSet: [UInt8] = []
    private(set) var pictureParameterSet: [UInt8] = []
    /// The picture size the stored SPS gives.
    private(set) var width: Int?
    private(set) var height: Int?

    var isComplete: Bool { !sequenceParameterSet.isEmpty && !pictureParameterSet.isEmpty }

    /// Keeps an SPS (the whole NAL unit, header byte first) when it parses.
    mutating func storeSequenceParameterSet(_ nalUnit: ArraySlice<UInt8>) {
        let parsed = nalUnit.withUnsafeBytes { H264SequenceParameterSet(nalUnit: $0) }
        guard let parsed else { return }
        sequenceParameterSet.removeAll(keepingCapacity: true)
        sequenceParameterSet.append(contentsOf: nalUnit)
        width = parsed.width
        height = parsed.height
    }

    mutating func storePictureParameterSet(_ nalUnit: ArraySlice<UInt8>) {
        guard nalUnit.count >= 2 else { return }
        pictureParameterSet.removeAll(keepingCapacity: true)
        pictureParameterSet.append(contentsOf: nalUnit)
    }
}
