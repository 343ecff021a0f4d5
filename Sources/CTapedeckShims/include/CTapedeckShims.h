// Thin C wrappers for the parts of OpenSSL, FFmpeg, libopus and libvpx that Swift cannot import:
// function-like macros and variadic functions. Each wrapper forwards one call and holds no logic.
#ifndef TAPEDECK_SHIMS_H
#define TAPEDECK_SHIMS_H

#include <stdint.h>
#include <sys/time.h>
#include <openssl/ssl.h>
#include <opus/opus.h>
#include <vpx/vpx_encoder.h>
#include <vpx/vpx_decoder.h>

// OpenSSL (DTLS timers, MTU and modes are macros over SSL_ctrl / SSL_CTX_ctrl).
int tapedeck_DTLSv1_get_timeout(SSL *ssl, struct timeval *timeout);
int tapedeck_DTLSv1_handle_timeout(SSL *ssl);
long tapedeck_SSL_set_mtu(SSL *ssl, long mtu);
long tapedeck_SSL_CTX_set_mode(SSL_CTX *ctx, long mode);
long tapedeck_SSL_set_options(SSL *ssl, long options);
int tapedeck_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list);
long tapedeck_BIO_set_mem_eof_return(BIO *bio, long value);

// FFmpeg error codes are macros (AVERROR(e), AVERROR_EOF).
int tapedeck_AVERROR(int posix_error);
int tapedeck_AVERROR_EOF(void);

// libopus controls are variadic.
int tapedeck_opus_encoder_set_bitrate(OpusEncoder *encoder, int32_t bits_per_second);
int tapedeck_opus_encoder_set_dtx(OpusEncoder *encoder, int32_t enabled);

// libvpx: init is a macro carrying the ABI version; controls are variadic.
vpx_codec_err_t tapedeck_vpx_codec_enc_init(vpx_codec_ctx_t *ctx, vpx_codec_iface_t *iface,
                                            const vpx_codec_enc_cfg_t *cfg, vpx_codec_flags_t flags);
vpx_codec_err_t tapedeck_vpx_codec_dec_init(vpx_codec_ctx_t *ctx, vpx_codec_iface_t *iface,
                                            const vpx_codec_dec_cfg_t *cfg, vpx_codec_flags_t flags);
vpx_codec_err_t tapedeck_vpx_codec_control_int(vpx_codec_ctx_t *ctx, int control_id, int value);

#endif
