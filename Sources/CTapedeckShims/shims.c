#include "CTapedeckShims.h"
#include <libavutil/error.h>

int tapedeck_DTLSv1_get_timeout(SSL *ssl, struct timeval *timeout) { return (int)DTLSv1_get_timeout(ssl, timeout); }
int tapedeck_DTLSv1_handle_timeout(SSL *ssl) { return (int)DTLSv1_handle_timeout(ssl); }
long tapedeck_SSL_set_mtu(SSL *ssl, long mtu) { return SSL_set_mtu(ssl, mtu); }
long tapedeck_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
long tapedeck_SSL_set_options(SSL *ssl, long options) { return (long)SSL_set_options(ssl, (uint64_t)options); }
int tapedeck_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list) { return (int)SSL_CTX_set1_groups_list(ctx, list); }
long tapedeck_BIO_set_mem_eof_return(BIO *bio, long value) { return BIO_set_mem_eof_return(bio, value); }
long tapedeck_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) { return SSL_CTX_set_min_proto_version(ctx, version); }

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
