// Thin C wrappers for the parts of OpenSSL that Swift cannot import (function-like macros), and a
// datagram BIO for DTLS over memory. RTC's only C shims: it links no media library.
// Each wrapper forwards one call and holds no logic.
#ifndef TAPEDECK_DTLS_SHIMS_H
#define TAPEDECK_DTLS_SHIMS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>
#include <openssl/ssl.h>

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

#endif
