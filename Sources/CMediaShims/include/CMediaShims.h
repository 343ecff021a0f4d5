// Thin C wrappers for the parts of FFmpeg, libopus and libvpx that Swift cannot import:
// function-like macros and variadic functions. Each wrapper forwards one call and holds no logic.
#ifndef TAPEDECK_MEDIA_SHIMS_H
#define TAPEDECK_MEDIA_SHIMS_H

#include <stdint.h>
#include <opus/opus.h>
#include <vpx/vpx_encoder.h>
#include <vpx/vpx_decoder.h>

// FFmpeg error codes are macros (AVERROR(e), AVERROR_EOF).
int tapedeck_AVERROR(int posix_error);
int tapedeck_AVERROR_EOF(void);

// libopus controls are variadic.
int tapedeck_opus_encoder_set_bitrate(OpusEncoder *encoder, int32_t bits_per_second);
int tapedeck_opus_encoder_set_dtx(OpusEncoder *encoder, int32_t enabled);
int tapedeck_opus_encoder_get_lookahead(OpusEncoder *encoder, int32_t *samples);

// libvpx: init is a macro carrying the ABI version; controls are variadic.
vpx_codec_err_t tapedeck_vpx_codec_enc_init(vpx_codec_ctx_t *ctx, vpx_codec_iface_t *iface,
                                            const vpx_codec_enc_cfg_t *cfg, vpx_codec_flags_t flags);
vpx_codec_err_t tapedeck_vpx_codec_dec_init(vpx_codec_ctx_t *ctx, vpx_codec_iface_t *iface,
                                            const vpx_codec_dec_cfg_t *cfg, vpx_codec_flags_t flags);
vpx_codec_err_t tapedeck_vpx_codec_control_int(vpx_codec_ctx_t *ctx, int control_id, int value);

#endif
