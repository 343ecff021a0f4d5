#include "CMediaShims.h"
#include <libavutil/error.h>

int tapedeck_AVERROR(int posix_error) { return AVERROR(posix_error); }
int tapedeck_AVERROR_EOF(void) { return AVERROR_EOF; }

int tapedeck_opus_encoder_set_bitrate(OpusEncoder *encoder, int32_t bits_per_second) {
    return opus_encoder_ctl(encoder, OPUS_SET_BITRATE(bits_per_second));
}
int tapedeck_opus_encoder_set_dtx(OpusEncoder *encoder, int32_t enabled) {
    return opus_encoder_ctl(encoder, OPUS_SET_DTX(enabled));
}
int tapedeck_opus_encoder_get_lookahead(OpusEncoder *encoder, int32_t *samples) {
    return opus_encoder_ctl(encoder, OPUS_GET_LOOKAHEAD(samples));
}

vpx_codec_err_t tapedeck_vpx_codec_enc_init(vpx_codec_ctx_t *ctx, vpx_codec_iface_t *iface,
                                            const vpx_codec_enc_cfg_t *cfg, vpx_codec_flags_t flags) {
    return vpx_codec_enc_init(ctx, iface, cfg, flags);
}
vpx_codec_err_t tapedeck_vpx_codec_dec_init(vpx_codec_ctx_t *ctx, vpx_codec_iface_t *iface,
                                            const vpx_codec_dec_cfg_t *cfg, vpx_codec_flags_t flags) {
    return vpx_codec_dec_init(ctx, iface, cfg, flags);
}
vpx_codec_err_t tapedeck_vpx_codec_control_int(vpx_codec_ctx_t *ctx, int control_id, int value) {
    return vpx_codec_control_(ctx, control_id, value);
}
