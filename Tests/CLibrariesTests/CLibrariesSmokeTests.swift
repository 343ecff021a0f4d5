import CFFmpeg
import COpenSSL
import COpus
import CSRTP
import CDTLSShims
import CMediaShims
import CVPX
import Foundation
@testable import RTC
import Testing

/// Each test proves one C library links and initialises the way Tapedeck will use it.
@Suite("C libraries link and initialise")
struct CLibrariesSmokeTests {
    /// libsrtp's crypto kernel is process-wide and not safe to initialise concurrently or to
    /// shut down while other tests use it, so this goes through the core's one-time guard.
    @Test("libsrtp2 initialises")
    func srtpInitialises() throws {
        try SRTPLibrary.initialize()
        let version = try #require(srtp_get_version_string())
        #expect(String(cString: version).hasPrefix("libsrtp2"))
    }

    @Test("OpenSSL builds a DTLS context offering both DTLS-SRTP profiles")
    func dtlsContextWithSRTP() throws {
        let context = try #require(SSL_CTX_new(DTLS_method()))
        defer { SSL_CTX_free(context) }
        // SSL_CTX_set_tlsext_use_srtp returns 0 on success (unlike most of OpenSSL).
        #expect(SSL_CTX_set_tlsext_use_srtp(context, "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80") == 0)
        #expect(tapedeck_SSL_CTX_set1_groups_list(context, "P-256") == 1)
        let connection = try #require(SSL_new(context))
        defer { SSL_free(connection) }
        let profiles = try #require(SSL_get_srtp_profiles(connection))
        #expect(OPENSSL_sk_num(profiles) == 2)
        #expect(tapedeck_SSL_set_mtu(connection, 1200) == 1200)
    }

    @Test("libavformat writes a WebM header and trailer")
    func webmOutputContext() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("tapedeck-smoke-\(UUID().uuidString).webm").path
        defer { try? FileManager.default.removeItem(atPath: path) }

        var format: UnsafeMutablePointer<AVFormatContext>?
        #expect(avformat_alloc_output_context2(&format, nil, "webm", path) == 0)
        let context = try #require(format)
        defer { avformat_free_context(context) }
        let stream = try #require(avformat_new_stream(context, nil))
        stream.pointee.codecpar.pointee.codec_type = AVMEDIA_TYPE_VIDEO
        stream.pointee.codecpar.pointee.codec_id = AV_CODEC_ID_VP8
        stream.pointee.codecpar.pointee.width = 320
        stream.pointee.codecpar.pointee.height = 240
        stream.pointee.time_base = AVRational(num: 1, den: 1000)

        #expect(avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE) >= 0)
        #expect(avformat_write_header(context, nil) >= 0)
        #expect(av_write_trailer(context) == 0)
        #expect(avio_closep(&context.pointee.pb) == 0)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(size > 0)
        #expect(tapedeck_AVERROR_EOF() < 0)
    }

    @Test("libopus encodes 20 ms of a 440 Hz tone")
    func opusEncoder() throws {
        var status: Int32 = 0
        let encoder = try #require(opus_encoder_create(48_000, 2, OPUS_APPLICATION_VOIP, &status))
        defer { opus_encoder_destroy(encoder) }
        #expect(status == OPUS_OK)
        #expect(tapedeck_opus_encoder_set_bitrate(encoder, 64_000) == OPUS_OK)

        let samplesPerChannel = 960
        var pcm = [Int16](repeating: 0, count: samplesPerChannel * 2)
        for index in 0..<samplesPerChannel {
            let sample = Int16(8_000 * sin(2 * Double.pi * 440 * Double(index) / 48_000))
            pcm[2 * index] = sample
            pcm[2 * index + 1] = sample
        }
        var packet = [UInt8](repeating: 0, count: 1_500)
        let written = opus_encode(encoder, pcm, Int32(samplesPerChannel), &packet, Int32(packet.count))
        #expect(written > 0)
    }

    @Test("libvpx encodes a VP8 keyframe")
    func vp8Encoder() throws {
        let interface = try #require(vpx_codec_vp8_cx())
        var config = vpx_codec_enc_cfg_t()
        #expect(vpx_codec_enc_config_default(interface, &config, 0) == VPX_CODEC_OK)
        config.g_w = 160
        config.g_h = 120
        config.rc_target_bitrate = 300

        var codec = vpx_codec_ctx_t()
        #expect(tapedeck_vpx_codec_enc_init(&codec, interface, &config, 0) == VPX_CODEC_OK)
        defer { vpx_codec_destroy(&codec) }

        let image = try #require(vpx_img_alloc(nil, VPX_IMG_FMT_I420, 160, 120, 1))
        defer { vpx_img_free(image) }
        let planeBytes = [160 * 120, 80 * 60, 80 * 60]
        for (plane, bytes) in planeBytes.enumerated() {
            let base = try #require(withUnsafePointer(to: image.pointee.planes) {
                $0.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 3) { $0[plane] }
            })
            base.update(repeating: 128, count: bytes)
        }
        #expect(vpx_codec_encode(&codec, image, 0, 1, 0, UInt(VPX_DL_REALTIME)) == VPX_CODEC_OK)

        var iterator: vpx_codec_iter_t?
        var sawKeyframe = false
        while let packet = vpx_codec_get_cx_data(&codec, &iterator) {
            guard packet.pointee.kind == VPX_CODEC_CX_FRAME_PKT else { continue }
            let frame = packet.pointee.data.frame
            #expect(frame.sz > 0)
            sawKeyframe = sawKeyframe || (frame.flags & UInt32(VPX_FRAME_IS_KEY)) != 0
        }
        #expect(sawKeyframe)
    }
}
