// Thin C wrappers for the parts of OpenSSL, FFmpeg, libopus and libvpx that Swift cannot import:
// function-like macros and variadic functions. Each wrapper forwards one call and holds no logic.
#ifndef TAPEDECK_SHIMS_H
#define TAPEDECK_SHIMS_H

#include <stddef.h>
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
// SSL_OP_* values are built with the SSL_OP_BIT(n) function-like macro, which Swift does not import.
static const uint64_t tapedeck_SSL_OP_NO_QUERY_MTU = SSL_OP_NO_QUERY_MTU;
static const uint64_t tapedeck_SSL_OP_NO_RENEGOTIATION = SSL_OP_NO_RENEGOTIATION;
static const uint64_t tapedeck_SSL_OP_NO_TICKET = SSL_OP_NO_TICKET;
long tapedeck_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version);

// A BIO that keeps datagram boundaries, for DTLS over memory (no socket). Each BIO_write queues one
// datagram and each BIO_read takes one whole datagram (truncated to the reader's buffer, as recv()
// on a UDP socket does); an empty queue reads as "retry". OpenSSL writes whole records, sized to
// the MTU: a handshake flight packed into one write, or one record per write otherwise.
BIO *tapedeck_datagram_bio_new(void);
// Bytes in the oldest queued datagram, or 0 when the queue is empty.
size_t tapedeck_datagram_bio_next_datagram_size(BIO *bio);
// How many times OpenSSL has (re)started its DTLS retransmission timer on this read BIO.
unsigned long tapedeck_datagram_bio_dtls_timer_starts(BIO *bio);
// 1 if this OpenSSL lets tapedeck_datagram_bio_expire_dtls_timer work (OpenSSL 1.1.1 to 3.1).
int tapedeck_datagram_bio_supports_dtls_timer_expiry(void);
// Marks the running DTLS retransmission timer as expired, so DTLSv1_handle_timeout retransmits
// now: the caller's clock, not the wall clock, decides when. Returns 1 if a running timer was
// expired, 0 otherwise (no timer running, or unsupported OpenSSL).
int tapedeck_datagram_bio_expire_dtls_timer(BIO *bio);

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
